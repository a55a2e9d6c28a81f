import {Flags} from '@oclif/core'
import type {Node} from '../../../api/wire.ts'
import {nodesFilterFlag, pastableFlags, propsFilterFlag, showPropsFlag} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {withPropColumns} from '../../format.ts'
import type {Cell} from '../../table.ts'

export function nodeState(n: Node): Cell {
  const s = n.connection_status ?? 'OFFLINE'
  if (n.flags?.includes('EVICTED')) return {text: 'EVICTED', colour: 'red'}
  if (n.flags?.includes('DELETE')) return {text: 'DELETE', colour: 'red'}
  if (n.flags?.includes('EVACUATE')) return {text: 'EVACUATE', colour: 'yellow'}
  if (s === 'ONLINE') return {text: 'Online', colour: 'green'}
  if (s === 'CONNECTED') return {text: 'Connected', colour: 'yellow'}
  if (s === 'UNKNOWN') return {text: 'Unknown', colour: 'yellow'}
  return {text: s === 'OFFLINE' ? 'OFFLINE' : `OFFLINE(${s})`, colour: 'red'}
}

/** The interface the controller talks to the satellite on: "10.0.0.1:3366 (PLAIN)". */
export function activeAddress(n: Node): string {
  const i = n.net_interfaces?.find((x) => x.is_active && x.satellite_port)
  return i ? `${i.address}:${i.satellite_port} (${i.satellite_encryption_type ?? 'PLAIN'})` : ''
}

export default class NodeList extends BaseCommand<typeof NodeList> {
  static override summary = 'List the nodes of the cluster'
  static override flags = {
    ...pastableFlags, ...nodesFilterFlag, ...propsFilterFlag, ...showPropsFlag('s'),
    'show-aux-props': Flags.boolean({description: 'show the auxiliary properties of the nodes'}),
  }

  async run(): Promise<void> {
    const nodes = await this.get<Node[]>('/v1/nodes', {nodes: this.flags.nodes, props: this.flags.props})
    const aux = this.flags['show-aux-props']
    const base = withPropColumns(['Node', 'NodeType', 'Addresses', ...(aux ? ['AuxProps'] : []), 'State'], nodes.map((n) => [
      n.name, n.type, activeAddress(n),
      ...(aux ? [Object.entries(n.props ?? {}).filter(([k]) => k.startsWith('Aux/')).map(([k, v]) => `${k}=${v}`).join('\n')] : []),
      nodeState(n),
    ]), nodes.map((n) => n.props), this.flags['show-props'])
    this.table(nodes, base.headers, base.rows)
  }
}
