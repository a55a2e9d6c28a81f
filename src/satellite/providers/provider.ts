// The one small interface every storage provider implements; adding a provider is adding a file
// and a line in providers/index.ts.
import type {Logger} from '../../common/log.ts'
import type {Run} from '../exec.ts'

export interface PoolSpec {name: string, kind: string, props: Record<string, string>}
export interface VolumeSpec {rsc: string, vlmNr: number, sizeKib: number}
export interface ActualVolume {rsc: string, vlmNr: number, devicePath?: string, allocatedKib: number, usableKib: number}

export interface ProviderDeps {run: Run, log: Logger}

export interface StorageProvider {
  readonly kind: string
  /** Why this provider cannot work on this host (missing tools or kernel support); empty when it can. */
  probe(): Promise<string[]>
  capacity(pool: PoolSpec): Promise<{freeKib: number, totalKib: number}>
  /** The volumes this provider finds in the pool (by LINSTOR's naming), whoever created them. */
  list(pool: PoolSpec): Promise<ActualVolume[]>
  /** Creates the volume, or completes a half-created one; returns it ready for use. */
  create(pool: PoolSpec, vol: VolumeSpec): Promise<ActualVolume>
  remove(pool: PoolSpec, vol: {rsc: string, vlmNr: number}): Promise<void>
}

/** `<rsc>_<volume number as 5 digits>`, as LINSTOR names backing volumes. */
export const volumeName = (rsc: string, vlmNr: number): string => `${rsc}_${String(vlmNr).padStart(5, '0')}`

export function parseVolumeName(name: string): {rsc: string, vlmNr: number} | undefined {
  const m = /^(.+)_(\d{5})$/.exec(name)
  return m ? {rsc: m[1] as string, vlmNr: Number(m[2])} : undefined
}
