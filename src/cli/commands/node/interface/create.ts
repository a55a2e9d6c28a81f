import {Flags} from '@oclif/core'
import type {NetInterface} from '../../../../api/wire.ts'
import {arg} from '../../../args.ts'
import {BaseCommand, path} from '../../../base-command.ts'
import {communicationTypeFlag} from '../create.ts'

/** The flags `node interface create` and `modify` share. */
export const netIfFlags = (verb: string) => ({
  port: Flags.integer({char: 'p', min: 1, max: 65535, description: 'port to use for satellite connections'}),
  'communication-type': communicationTypeFlag,
  active: Flags.boolean({description: `${verb} this net interface as the active satellite connection`}),
})

/** The satellite port and encryption go together, and only when a port is given (as the linstor client sends them). */
export function satelliteFields(f: {port?: number, 'communication-type': string}): Partial<NetInterface> {
  return f.port ? {satellite_port: f.port, satellite_encryption_type: f['communication-type'].toUpperCase() as 'PLAIN' | 'SSL'} : {}
}

export default class NodeInterfaceCreate extends BaseCommand<typeof NodeInterfaceCreate> {
  static override summary = 'Add a network interface to a node; with a port it can carry the satellite connection'
  static override args = {node_name: arg('node to add the interface to'), interface_name: arg('interface name'), ip: arg('IP address')}
  static override flags = netIfFlags('Create')

  async run(): Promise<void> {
    const body: NetInterface = {name: this.args.interface_name, address: this.args.ip, ...satelliteFields(this.flags), is_active: this.flags.active}
    await this.mutate('POST', path`/v1/nodes/${this.args.node_name}/net-interfaces`, body)
  }
}
