// When a backup command is over: a backup once the remote lists it as complete, a restore once
// its snapshot has arrived and (unless download only) the resource made from it is ready. A
// backup or restore that fails or is aborted leaves nothing behind (its snapshot is dropped), so
// "gone" is how failure shows. The commands fetch, these judge (see BaseCommand.waitFor).
import type {Backup, ResourceWithVolumes, Snapshot} from '../api/wire.ts'
import {resourcesReady, snapshotTaken, type Progress} from './readiness.ts'

const WHY = '`cairn error-reports list` shows why'

/** `b` is backup `id` as the remote lists it, undefined when it is not listed. */
export function backupShipped(remote: string, id: string, b: Backup | undefined): Progress {
  if (!b) return {state: 'failed', text: `Backup '${id}' to remote '${remote}' failed or was aborted; ${WHY}`}
  if (b.success) return {state: 'done', text: `Backup '${id}' shipped to remote '${remote}'`}
  return {state: 'waiting', text: `Shipping backup '${id}' to remote '${remote}'…`}
}

export interface RestoreTarget {rd: string, snap: string, node: string, downloadOnly: boolean}

/** `rscs` is asked for only once the snapshot has arrived. */
export async function backupRestored(t: RestoreTarget, snap: Snapshot | undefined, rscs: () => Promise<ResourceWithVolumes[]>): Promise<Progress> {
  const taken = snapshotTaken(t.rd, t.snap, snap)
  if (taken.state === 'failed') return {state: 'failed', text: `Restoring into '${t.rd}' on ${t.node} failed or was aborted (${taken.text}); ${WHY}`}
  if (taken.state === 'waiting') return {state: 'waiting', text: `Downloading snapshot '${t.snap}' of '${t.rd}' to ${t.node}…`}
  if (t.downloadOnly) return {state: 'done', text: `Downloaded snapshot '${t.snap}' of '${t.rd}' to ${t.node}`}
  return resourcesReady(t.rd, await rscs(), {nodes: [t.node]})
}
