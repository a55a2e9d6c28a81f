import type {NetInterface} from '../../../../api/wire.ts'
import {arg, pastableFlags} from '../../../args.ts'
import {BaseCommand, path} from '../../../base-command.ts'

export default class NodeInterfaceList extends BaseCommand<typeof NodeInterfaceList> {
  static override summary = 'List the network interfaces of a node; StltCon marks the satellite connection'
  static override args = {node_name: arg('node whose interfaces to list')}
  static override flags = pastableFlags

  async run(): Promise<void> {
    const list = await this.get<NetInterface[]>(path`/v1/nodes/${this.args.node_name}/net-interfaces`)
    this.table(list, [this.args.node_name, 'NetInterface', 'IP', 'Port', 'EncryptionType'], list.map((i) => [
      i.is_active ? {text: '+ StltCon', colour: 'green'} : {text: '+', colour: 'green'},
      i.name, i.address, i.satellite_port ? String(i.satellite_port) : '', i.satellite_encryption_type ?? '',
    ]))
  }
}
