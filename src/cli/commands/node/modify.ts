import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {nodeTypeFlag} from './create.ts'

export default class NodeModify extends BaseCommand<typeof NodeModify> {
  static override summary = 'Modify the node type of a node'
  static override args = {node_name: arg('name of the node to modify')}
  static override flags = {'node-type': nodeTypeFlag('t')}

  async run(): Promise<void> {
    await this.mutate('PUT', path`/v1/nodes/${this.args.node_name}`, {node_type: this.flags['node-type'].toUpperCase()})
  }
}
