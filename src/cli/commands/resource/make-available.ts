import {Flags} from '@oclif/core'
import type {LayerType, ResourceMakeAvailable} from '../../../api/wire.ts'
import {arg, layerList, layerListFlag, waitFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class ResourceMakeAvailableCommand extends BaseCommand<typeof ResourceMakeAvailableCommand> {
  static override summary = 'Make a resource available on a node; does nothing if it is already there'
  static override args = {node_name: arg('node to make the resource available on'), resource_name: arg('name of the resource definition')}
  static override flags = {
    ...layerListFlag, ...waitFlags,
    diskful: Flags.boolean({description: 'make the resource diskful on the node'}),
    'drbd-tcp-port': Flags.integer({min: 1, max: 65535, description: 'TCP port for DRBD to use'}),
  }

  async run(): Promise<void> {
    const body: ResourceMakeAvailable = {diskful: this.flags.diskful, layer_list: layerList(this.flags['layer-list']) as LayerType[] | undefined,
      drbd_tcp_ports: this.flags['drbd-tcp-port'] ? [this.flags['drbd-tcp-port']] : undefined}
    await this.mutate('POST', path`/v1/resource-definitions/${this.args.resource_name}/resources/${this.args.node_name}/make-available`, body)
    await this.waitForResources(this.args.resource_name, [this.args.node_name])
  }
}
