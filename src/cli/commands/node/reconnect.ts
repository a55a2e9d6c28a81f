import {variadicArg, listOf} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class NodeReconnect extends BaseCommand<typeof NodeReconnect> {
  static override summary = "Reconnect nodes to the controller, reinitialising the nodes' state"
  static override args = {nodes: variadicArg('nodes to reconnect', true)}

  async run(): Promise<void> {
    await this.mutateEach(listOf(this.args.nodes), (n) => this.send('PUT', path`/v1/nodes/${n}/reconnect`))
  }
}
