// `backup queue list`: the shipments waiting for a free slot, per node (each node's queue in one
// row, as the linstor client shows it) or, with --snap-to-node, per snapshot with the nodes it
// waits on.
import {Flags} from '@oclif/core'
import type {BackupQueues, SnapQueue} from '../../../api/wire.ts'
import {csv, pastableFlags} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {timestamp} from '../../format.ts'

const snapColumns = ['Resource', 'Snapshot', 'Remote', 'Based On', 'Created at', 'Preferred Node']

/** A snapshot's cells: what is shipped, where to, on which base, since when. */
const snapCells = (s: SnapQueue): string[] =>
  [s.resource_name, s.snapshot_name, s.remote_name, s.incremental ? s.based_on ?? '' : '', timestamp(Number(s.start_timestamp)), s.pref_node ?? '']

export default class BackupQueueList extends BaseCommand<typeof BackupQueueList> {
  static override summary = 'List the backup shipments queued on the nodes'
  static override flags = {
    ...pastableFlags,
    nodes: Flags.string({char: 'n', multiple: true, description: 'only the queues of these nodes'}),
    snapshots: Flags.string({char: 's', aliases: ['snaps'], multiple: true, description: 'only these snapshots'}),
    resources: Flags.string({aliases: ['rscs'], multiple: true, description: 'only the snapshots of these resources'}),
    remotes: Flags.string({multiple: true, description: 'only shipments to these remotes'}),
    'snap-to-node': Flags.boolean({aliases: ['stn', 's2n'], description: 'one row per snapshot, with the nodes it is queued on'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    const queues = await this.get<BackupQueues>('/v1/view/backup/queue', {nodes: csv(f.nodes), snapshots: csv(f.snapshots),
      resources: csv(f.resources), remotes: csv(f.remotes), snap_to_node: f['snap-to-node'] || undefined})
    if (f['snap-to-node']) {
      return this.table(queues, [...snapColumns, 'Node'], (queues.snap_queues ?? []).map((s) =>
        [...snapCells(s), (s.queue ?? []).map((n) => n.node_name).join('\n')]))
    }
    this.table(queues, ['Node', ...snapColumns], (queues.node_queues ?? []).map((n) => {
      const cells = (n.queue ?? []).map(snapCells)
      return [n.node_name, ...snapColumns.map((_, i) => cells.map((c) => c[i]).join('\n'))]
    }))
  }
}
