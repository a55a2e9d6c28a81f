// What the rest of the controller (REST routes, schedules) asks of backups. The implementation
// drives snapshots, satellite transfers and the remote's objects; callers only see these calls.
import type {Backup} from '../../api/wire.ts'

export interface BackupStart {
  /** `<rsc>_back_YYYYMMDD_HHMMSS` or the given snapshot name: the backup's id on the remote. */
  id: string
  /** The local snapshot the backup is made from. */
  snap: string
  /** False when a full backup was made although an incremental one was asked for (no base). */
  incremental: boolean
}

export interface BackupOutcome {success: boolean, error?: string}

export interface BackupService {
  /**
   * Starts a backup of `rsc` to `remote` (POST /v1/remotes/{remote}/backups): takes the snapshot
   * and starts the transfer; resolves once started. Throws ApiFailure when it cannot start.
   */
  create(remote: string, req: {rsc: string, node?: string, incremental: boolean, snap?: string}): Promise<BackupStart>
  /** Resolves when the backup `snap` of `rsc` to `remote` has finished, successfully or not. */
  settled(remote: string, rsc: string, snap: string): Promise<BackupOutcome>
  /** The complete backups of `rsc` on `remote`, oldest first (as in BackupList.linstor). */
  list(remote: string, rsc: string): Promise<Backup[]>
  /** Deletes the backup `id` on `remote`, with every incremental backup based on it. */
  remove(remote: string, id: string): Promise<void>
}
