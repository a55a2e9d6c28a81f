import type {Snapshot} from '../../../api/wire.ts'
import {arg, asyncFlag, listOf, variadicArg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class SnapshotCreate extends BaseCommand<typeof SnapshotCreate> {
  static override summary = 'Take a snapshot of a resource, on all of its nodes or the given ones'
  static override args = {
    node_name: variadicArg('nodes to take the snapshot on (default: every node with the resource)', false),
    resource_definition_name: arg('name of the resource definition'),
    snapshot_name: arg('name of the snapshot'),
  }
  static override flags = asyncFlag

  async run(): Promise<void> {
    const nodes = listOf(this.args.node_name)
    const body: Snapshot = {name: this.args.snapshot_name, nodes: nodes.length ? nodes : undefined}
    await this.mutate('POST', path`/v1/resource-definitions/${this.args.resource_definition_name}/snapshots`, body)
  }
}
