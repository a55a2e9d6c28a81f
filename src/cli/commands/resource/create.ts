import {Flags} from '@oclif/core'
import type {AutoPlaceRequest, LayerType, ResourceCreate} from '../../../api/wire.ts'
import {arg, layerList, listOf, variadicArg, waitFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {parsePlaceCount, selectFilter, selectFlags, type SelectFlags} from '../../placement.ts'

/** How a resource is made diskless: `r create`, `rd auto-place`. */
export const disklessFlags = {
  'drbd-diskless': Flags.boolean({description: 'mark the resource as DRBD diskless'}),
  'nvme-initiator': Flags.boolean({description: 'mark the resource as NVMe initiator'}),
}

function disklessType(f: SelectFlags): string | undefined {
  return f['drbd-diskless'] ? 'DRBD_DISKLESS' : f['nvme-initiator'] ? 'NVME_INITIATOR' : f.diskless ? 'DISKLESS' : undefined
}

/** An autoplace request from a replica count (N, +N, max) and the placement flags. */
export function autoPlaceRequest(count: string | undefined, f: SelectFlags): AutoPlaceRequest {
  const filter = selectFilter(f)
  return {
    diskless_on_remaining: filter.diskless_on_remaining,
    select_filter: {...filter, ...(count === undefined ? {} : {place_count: undefined, ...parsePlaceCount(count)}), diskless_type: disklessType(f)},
    layer_list: filter.layer_stack as LayerType[] | undefined,
  }
}

export default class ResourceCreateCommand extends BaseCommand<typeof ResourceCreateCommand> {
  static override summary = 'Deploy a resource definition on nodes, or let the autoplacer choose them (--auto-place)'
  static override args = {
    node_name: variadicArg('node(s) to deploy the resource on (none with --auto-place)', false),
    resource_definition_name: arg('name of the resource definition'),
  }
  static override flags = {
    ...waitFlags, ...selectFlags(true), ...disklessFlags,
    'auto-place': Flags.string({description: 'let the autoplacer choose this many nodes: N, +N (more than the group asks for) or max'}),
    diskless: Flags.boolean({char: 'd', description: 'deprecated: use --drbd-diskless or --nvme-initiator'}),
    'node-id': Flags.integer({min: 0, description: 'override the automatic choice of the DRBD node id'}),
    'ebs-initiator': Flags.boolean({description: 'mark the resource as EBS initiator'}),
    inactive: Flags.boolean({description: 'create the resource inactive'}),
    'drbd-tcp-port': Flags.integer({min: 1, max: 65535, description: 'TCP port for DRBD to use'}),
  }

  async run(): Promise<void> {
    const rd = this.args.resource_definition_name
    const f = this.flags
    if (f['auto-place'] !== undefined) {
      const body = this.checked(() => autoPlaceRequest(f['auto-place'], f))
      await this.mutate('POST', path`/v1/resource-definitions/${rd}/autoplace`, body)
      return this.waitForResources(rd)
    }
    const nodes = listOf(this.args.node_name)
    if (!nodes.length) this.usage('resource create: too few arguments: Node name missing.')
    const flags = [f.diskless && 'DISKLESS', f['drbd-diskless'] && 'DRBD_DISKLESS', f['nvme-initiator'] && 'NVME_INITIATOR',
      f['ebs-initiator'] && 'EBS_INITIATOR', f.inactive && 'INACTIVE'].filter((x): x is string => Boolean(x))
    const pool = f['storage-pool']?.[0]
    const body: ResourceCreate[] = nodes.map((node) => ({
      resource: {node_name: node, props: pool ? {StorPoolName: pool} : undefined, flags},
      drbd_node_id: f['node-id'], layer_list: layerList(f['layer-list']) as LayerType[] | undefined,
      drbd_tcp_ports: f['drbd-tcp-port'] ? [f['drbd-tcp-port']] : undefined,
    }))
    await this.mutate('POST', path`/v1/resource-definitions/${rd}/resources`, body)
    await this.waitForResources(rd, nodes)
  }
}
