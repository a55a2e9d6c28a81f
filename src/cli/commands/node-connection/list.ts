import type {NodeConnection} from '../../../api/wire.ts'
import {optionalArg, pastableFlags, showPropsFlag} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {connectionPropsText} from '../../connections.ts'
import {withPropColumns} from '../../format.ts'

export default class NodeConnectionList extends BaseCommand<typeof NodeConnectionList> {
  static override summary = 'List the node connections that have properties'
  static override args = {node_name_a: optionalArg('only connections of this node'), node_name_b: optionalArg('and this node')}
  static override flags = {...pastableFlags, ...showPropsFlag('s')}

  async run(): Promise<void> {
    const list = await this.get<NodeConnection[]>('/v1/node-connections', {node_a: this.args.node_name_a, node_b: this.args.node_name_b})
    const {headers, rows} = withPropColumns(['Node A', 'Node B', 'Properties'],
      list.map((c) => [c.node_a ?? '', c.node_b ?? '', connectionPropsText(c.props)]), list.map((c) => c.props), this.flags['show-props'])
    this.table(list, headers, rows)
  }
}
