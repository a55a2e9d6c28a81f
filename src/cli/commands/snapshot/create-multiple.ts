import {Flags} from '@oclif/core'
import type {CreateMultiSnapshotRequest, Snapshot} from '../../../api/wire.ts'
import {arg, csv, waitFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {allOf, snapshotTaken} from '../../readiness.ts'

export default class SnapshotCreateMultiple extends BaseCommand<typeof SnapshotCreateMultiple> {
  static override summary = 'Take snapshots of several resources at once, all with the same name'
  static override args = {snapshot_name: arg('name of the snapshots')}
  static override flags = {
    resource_names: Flags.string({char: 'r', aliases: ['resource-names'], multiple: true, required: true, description: 'resource definitions to snapshot'}),
    node_names: Flags.string({char: 'n', aliases: ['node-names'], multiple: true, description: 'nodes to take the snapshots on (default: all)'}),
    ...waitFlags,
  }

  async run(): Promise<void> {
    const nodes = csv(this.flags.node_names)
    const name = this.args.snapshot_name
    const rds = csv(this.flags.resource_names) ?? []
    const body: CreateMultiSnapshotRequest = {snapshots: rds.map((rsc) => ({name, resource_name: rsc, nodes: nodes?.length ? nodes : undefined}))}
    await this.mutate('POST', '/v1/actions/snapshot/multi', body)
    await this.waitFor(async () => allOf(await Promise.all(rds.map(async (rd) =>
      snapshotTaken(rd, name, await this.getIfExists<Snapshot>(path`/v1/resource-definitions/${rd}/snapshots/${name}`))))))
  }
}
