import {Flags} from '@oclif/core'
import type {ResourceWithVolumes} from '../../../api/wire.ts'
import {BaseCommand} from '../../base-command.ts'
import type {Cell} from '../../table.ts'

/** `-n`/`-r` filters of `resource list` and `volume list`. */
export const resourceFilterFlags = {
  nodes: Flags.string({char: 'n', multiple: true, description: 'only on these nodes'}),
  resources: Flags.string({char: 'r', multiple: true, description: 'only these resources'}),
}

export function resourceState(r: ResourceWithVolumes): Cell {
  if (r.flags?.includes('DELETE')) return {text: 'DELETING', colour: 'yellow'}
  if (!r.state) return {text: 'Unknown', colour: 'yellow'}
  const states = (r.volumes ?? []).map((v) => v.state?.disk_state ?? 'Unknown')
  const bad = states.find((s) => s !== 'UpToDate' && s !== 'Created' && s !== 'Diskless')
  if (bad) return {text: bad, colour: bad === 'Unknown' ? 'yellow' : 'red'}
  return {text: states.includes('UpToDate') || !states.length ? 'UpToDate' : 'Created', colour: 'green'}
}

export default class ResourceList extends BaseCommand<typeof ResourceList> {
  static override summary = 'List resources (a resource definition deployed on a node)'
  static override flags = resourceFilterFlags

  async run(): Promise<void> {
    const rs = await this.api.resources({nodes: this.flags.nodes, resources: this.flags.resources})
    this.table(rs, ['ResourceName', 'Node', 'Layers', 'Usage', 'Conns', 'State', 'CreatedOn'], rs.map((r) => [
      r.name ?? '', r.node_name ?? '', layerNames(r.layer_object).join(','),
      r.state ? (r.state.in_use ? 'InUse' : 'Unused') : '', 'Ok', resourceState(r),
      r.create_timestamp ? new Date(Number(r.create_timestamp)).toISOString().replace('T', ' ').slice(0, 19) : '',
    ]))
  }
}

export function layerNames(l?: ResourceWithVolumes['layer_object']): string[] {
  return l?.type ? [l.type, ...layerNames(l.children?.[0])] : []
}
