import {Flags} from '@oclif/core'
import {lookup} from 'node:dns/promises'
import type {Node} from '../../../api/wire.ts'
import {arg, optionalArg} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'

export const nodeTypeFlag = (char?: 't') => Flags.string({...(char ? {char} : {}), options: ['controller', 'auxiliary', 'combined', 'satellite'],
  default: 'satellite', parse: async (v) => v.toLowerCase(), description: 'node type'})

export const communicationTypeFlag = Flags.string({options: ['plain', 'ssl'], default: 'plain', parse: async (v) => v.toLowerCase(),
  description: 'communication type'})

/** linstor's default satellite/controller ports by node type and encryption. */
export function defaultPort(type: string, com: string): number {
  if (com === 'ssl') return type === 'satellite' ? 3367 : 3377
  return type === 'controller' ? 3376 : 3366
}

export default class NodeCreate extends BaseCommand<typeof NodeCreate> {
  static override summary = 'Create a node entry for a node that participates in the cluster'
  static override args = {
    name: arg('name of the new node, must match the node\'s hostname'),
    ip: optionalArg('IP address of the new node; resolved from the name when left out'),
  }
  static override flags = {
    port: Flags.integer({char: 'p', min: 1, max: 65535, description: 'satellite port (default 3366, 3367 with ssl; 3376/3377 for controllers)'}),
    'node-type': nodeTypeFlag(),
    'communication-type': communicationTypeFlag,
    'interface-type': Flags.string({options: ['ip'], default: 'ip', description: 'interface type'}),
    'interface-name': Flags.string({default: 'default', description: 'interface name'}),
  }

  async run(): Promise<void> {
    const {name} = this.args
    const address = this.args.ip ?? await this.resolve(name)
    const type = this.flags['node-type']
    const com = this.flags['communication-type']
    const body: Node = {name, type: type.toUpperCase() as Node['type'], net_interfaces: [{
      name: this.flags['interface-name'], address, satellite_port: this.flags.port ?? defaultPort(type, com),
      satellite_encryption_type: com.toUpperCase() as 'PLAIN' | 'SSL', is_active: true,
    }]}
    await this.mutate('POST', '/v1/nodes', body)
  }

  /** The node's first IPv4 address that is not a loopback address, as the linstor client picks it. */
  private async resolve(name: string): Promise<string> {
    try {
      const hit = (await lookup(name, {all: true, family: 4})).find((a) => !a.address.startsWith('127.'))
      if (hit) return hit.address
    } catch (e) {
      return this.usage(`Unable to resolve ip address for '${name}': ${(e as Error).message}`)
    }
    return this.usage(`Unable determine a valid ip address '${name}'`)
  }
}
