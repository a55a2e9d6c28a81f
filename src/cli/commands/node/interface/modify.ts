import {Flags} from '@oclif/core'
import {arg} from '../../../args.ts'
import {BaseCommand, path} from '../../../base-command.ts'
import {netIfFlags, satelliteFields} from './create.ts'

export default class NodeInterfaceModify extends BaseCommand<typeof NodeInterfaceModify> {
  static override summary = "Modify a node's network interface: address, port, encryption, active satellite connection"
  static override args = {node_name: arg('name of the node'), interface_name: arg('interface to change')}
  static override flags = {...netIfFlags('Set'), ip: Flags.string({description: 'new IP address'})}

  async run(): Promise<void> {
    const {node_name: node, interface_name: name} = this.args
    await this.mutate('PUT', path`/v1/nodes/${node}/net-interfaces/${name}`,
      {name, address: this.flags.ip, ...satelliteFields(this.flags), is_active: this.flags.active})
  }
}
