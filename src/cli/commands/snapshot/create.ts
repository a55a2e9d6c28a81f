import type {Snapshot} from '../../../api/wire.ts'
import {arg, listOf, variadicArg, waitFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {snapshotTaken} from '../../readiness.ts'

export default class SnapshotCreate extends BaseCommand<typeof SnapshotCreate> {
  static override summary = 'Take a snapshot of a resource, on all of its nodes or the given ones'
  static override args = {
    node_name: variadicArg('nodes to take the snapshot on (default: every node with the resource)', false),
    resource_definition_name: arg('name of the resource definition'),
    snapshot_name: arg('name of the snapshot'),
  }
  static override flags = waitFlags

  async run(): Promise<void> {
    const {resource_definition_name: rd, snapshot_name: name} = this.args
    const nodes = listOf(this.args.node_name)
    const body: Snapshot = {name, nodes: nodes.length ? nodes : undefined}
    await this.mutate('POST', path`/v1/resource-definitions/${rd}/snapshots`, body)
    await this.waitFor(async () => snapshotTaken(rd, name, await this.getIfExists<Snapshot>(path`/v1/resource-definitions/${rd}/snapshots/${name}`)))
  }
}
