import type {Snapshot} from '../../../api/wire.ts'
import {nodesFilterFlag, pastableFlags, resourcesFilterFlag} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {sizeKib, timestamp} from '../../format.ts'
import type {Cell} from '../../table.ts'

export function snapshotState(s: Snapshot): Cell {
  const flags = s.flags ?? []
  if (flags.includes('DELETE')) return {text: 'DELETING', colour: 'red'}
  if (flags.includes('FAILED_DEPLOYMENT')) return {text: 'Failed', colour: 'red'}
  if (flags.includes('FAILED_DISCONNECT')) return {text: 'Satellite disconnected', colour: 'red'}
  if (!flags.includes('SUCCESSFUL')) return {text: 'Incomplete', colour: 'yellow'}
  if (flags.includes('BACKUP') && flags.includes('SHIPPING')) {
    if (s.snapshots?.some((n) => n.flags?.includes('BACKUP_SOURCE'))) return {text: 'Shipping', colour: 'yellow'}
    if (s.snapshots?.some((n) => n.flags?.includes('BACKUP_TARGET'))) return {text: 'Restoring', colour: 'yellow'}
  }
  const sub = s.snapshots?.flatMap((n) => n.snapshot_volumes ?? []).find((v) => v.state && v.state !== 'completed')?.state
  return {text: sub ? `Successful (${sub})` : 'Successful', colour: 'green'}
}

export default class SnapshotList extends BaseCommand<typeof SnapshotList> {
  static override summary = 'List snapshots'
  static override flags = {...pastableFlags, ...resourcesFilterFlag, ...nodesFilterFlag}

  async run(): Promise<void> {
    const snaps = await this.get<Snapshot[]>('/v1/view/snapshots', {resources: this.flags.resources, nodes: this.flags.nodes})
    this.table(snaps, ['ResourceName', 'SnapshotName', 'NodeNames', 'Volumes', 'CreatedOn', 'State'], snaps.map((s) => [
      s.resource_name ?? '', s.name ?? '', (s.nodes ?? []).join(', '),
      (s.volume_definitions ?? []).map((v) => `${v.volume_number ?? 0}: ${sizeKib(v.size_kib ?? 0)}`).join(', '),
      timestamp(s.snapshots?.[0]?.create_timestamp), snapshotState(s),
    ]))
  }
}
