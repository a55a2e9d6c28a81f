import {Flags} from '@oclif/core'
import type {Node} from '../../../api/wire.ts'
import {BaseCommand} from '../../base-command.ts'
import type {Cell} from '../../table.ts'

export function nodeState(n: Node): Cell {
  const s = n.connection_status ?? 'OFFLINE'
  if (n.flags?.includes('EVICTED')) return {text: 'EVICTED', colour: 'red'}
  if (s === 'ONLINE') return {text: n.flags?.includes('EVACUATE') ? 'EVACUATE' : 'Online', colour: 'green'}
  return {text: s === 'OFFLINE' ? 'OFFLINE' : `OFFLINE(${s})`, colour: 'red'}
}

export default class NodeList extends BaseCommand<typeof NodeList> {
  static override summary = 'List the nodes of the cluster'
  static override flags = {
    nodes: Flags.string({char: 'n', multiple: true, description: 'only these nodes'}),
    props: Flags.string({multiple: true, description: 'only nodes with this property (Key=Value)'}),
  }

  async run(): Promise<void> {
    const nodes = await this.api.nodes({nodes: this.flags.nodes, props: this.flags.props})
    this.table(nodes, ['Node', 'NodeType', 'Addresses', 'State'], nodes.map((n) => [
      n.name, n.type,
      (n.net_interfaces ?? []).map((i) => `${i.address}:${i.satellite_port ?? ''} (${i.satellite_encryption_type ?? 'PLAIN'})`).join(', '),
      nodeState(n),
    ]))
  }
}
