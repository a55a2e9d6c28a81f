// The one small interface every storage provider implements; adding a provider is adding a file
// and a line in providers/index.ts.
import type {Logger} from '../../common/log.ts'
import type {Run} from '../exec.ts'

export interface PoolSpec {name: string, kind: string, props: Record<string, string>}
export interface VolumeSpec {rsc: string, vlmNr: number, sizeKib: number}
export interface ActualVolume {rsc: string, vlmNr: number, devicePath?: string, allocatedKib: number, usableKib: number}

export interface ProviderDeps {run: Run, log: Logger}

export interface SnapshotRef {rsc: string, vlmNr: number, snap: string}

export interface ReceivingSnapshot {path: string, resize?(bytes: number): Promise<void>, commit(): Promise<void>, abort(): Promise<void>}

/** What thin providers add: point-in-time copies of a volume, and volumes made from them. */
export interface SnapshotSupport {
  list(pool: PoolSpec): Promise<SnapshotRef[]>
  create(pool: PoolSpec, ref: SnapshotRef): Promise<void>
  remove(pool: PoolSpec, ref: SnapshotRef): Promise<void>
  /** Returns the volume to the snapshot's content; the snapshot stays. The device path may change. */
  rollback?(pool: PoolSpec, ref: SnapshotRef): Promise<ActualVolume>
  /** Where the snapshot's content can be read (a file or block device) for shipping; release when done. */
  read?(pool: PoolSpec, ref: SnapshotRef): Promise<{path: string, sizeBytes: number, release(): Promise<void>}>
  /**
   * A place to write a shipped snapshot's content, starting as a copy of snapshot `base` of the
   * same volume (incremental) or empty; `commit` publishes it as snapshot `ref`, `abort` drops it.
   * `resize` makes it at least that many bytes before anything is written (a block device has to
   * be made or grown; without it the file at `path` is truncated to size).
   */
  receive?(pool: PoolSpec, ref: SnapshotRef, base?: string): Promise<ReceivingSnapshot>
}

export interface StorageProvider {
  readonly kind: string
  /** Why this provider cannot work on this host (missing tools or kernel support); empty when it can. */
  probe(): Promise<string[]>
  capacity(pool: PoolSpec): Promise<{freeKib: number, totalKib: number}>
  /** The volumes this provider finds in the pool (by LINSTOR's naming), whoever created them. */
  list(pool: PoolSpec): Promise<ActualVolume[]>
  /**
   * Creates the volume (filled from `source`: a snapshot, or without `snap` a live volume, of the
   * same volume number), or
   * completes a half-created one; returns it ready for use.
   */
  create(pool: PoolSpec, vol: VolumeSpec, source?: {rsc: string, snap?: string}): Promise<ActualVolume>
  remove(pool: PoolSpec, vol: {rsc: string, vlmNr: number}): Promise<void>
  snapshots?: SnapshotSupport
}

/** `<rsc>_<volume number as 5 digits>`, as LINSTOR names backing volumes. */
export const volumeName = (rsc: string, vlmNr: number): string => `${rsc}_${String(vlmNr).padStart(5, '0')}`

export function parseVolumeName(name: string): {rsc: string, vlmNr: number} | undefined {
  const m = /^(.+)_(\d{5})$/.exec(name)
  return m ? {rsc: m[1] as string, vlmNr: Number(m[2])} : undefined
}

/** `<rsc>_<nnnnn>@<snapshot>`: '@' appears in no LINSTOR name, so the parts cannot be confused. */
export const snapshotName = (ref: SnapshotRef): string => `${volumeName(ref.rsc, ref.vlmNr)}@${ref.snap}`

export function parseSnapshotName(name: string): SnapshotRef | undefined {
  const at = name.lastIndexOf('@')
  const vol = at > 0 ? parseVolumeName(name.slice(0, at)) : undefined
  return vol && at < name.length - 1 ? {...vol, snap: name.slice(at + 1)} : undefined
}
