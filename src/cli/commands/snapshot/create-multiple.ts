import {Flags} from '@oclif/core'
import type {CreateMultiSnapshotRequest} from '../../../api/wire.ts'
import {arg, csv} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'

export default class SnapshotCreateMultiple extends BaseCommand<typeof SnapshotCreateMultiple> {
  static override summary = 'Take snapshots of several resources at once, all with the same name'
  static override args = {snapshot_name: arg('name of the snapshots')}
  static override flags = {
    resource_names: Flags.string({char: 'r', aliases: ['resource-names'], multiple: true, required: true, description: 'resource definitions to snapshot'}),
    node_names: Flags.string({char: 'n', aliases: ['node-names'], multiple: true, description: 'nodes to take the snapshots on (default: all)'}),
  }

  async run(): Promise<void> {
    const nodes = csv(this.flags.node_names)
    const body: CreateMultiSnapshotRequest = {snapshots: (csv(this.flags.resource_names) ?? []).map((rsc) =>
      ({name: this.args.snapshot_name, resource_name: rsc, nodes: nodes?.length ? nodes : undefined}))}
    await this.mutate('POST', '/v1/actions/snapshot/multi', body)
  }
}
