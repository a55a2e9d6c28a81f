// The volumes of a gateway target as the REST API shows them, and the rules they share across kinds.

/** Owner of a new file system's root directory. Capitalised keys, as upstream's JSON has them. */
export interface UserGroup {
  User: string
  Group: string
}

export interface VolumeConfig {
  number: number
  size_kib: number
  file_system?: string
  file_system_root_owner: UserGroup
}

/** A volume as a create request may give it: the owner can be left out. */
export type VolumeInput = Omit<VolumeConfig, 'file_system_root_owner'> & {file_system_root_owner?: UserGroup}

export const DEFAULT_RESOURCE_GROUP = 'DfltRscGrp'
/** Upstream's --resource-timeout default, 30 s, in nanoseconds as Go's time.Duration JSON has it. */
export const DEFAULT_RESOURCE_TIMEOUT_NS = 30_000_000_000

/**
 * Why a volume list is not acceptable, or undefined (messages without the "invalid config: " prefix).
 * Block targets (iSCSI, NVMe-oF) exempt only the first volume, the cluster-private volume 0, from
 * "numbers start at 1"; NFS only refuses negative numbers. Both quirks are upstream's.
 */
export function volumesProblem(volumes: readonly VolumeConfig[], rule: 'block' | 'nfs'): string | undefined {
  const sorted = [...volumes].sort((a, b) => a.number - b.number)
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as VolumeConfig
    if (!Number.isSafeInteger(v.number)) return 'volume numbers must be whole numbers'
    if (rule === 'block' ? i !== 0 && v.number < 1 : v.number < 0) return 'volume numbers must start at 1'
    if (!(v.size_kib > 0)) return 'volume size must be positive'
    if (!Number.isSafeInteger(v.size_kib)) return 'volume size must be a whole number of KiB'
    if (i > 0 && (sorted[i - 1] as VolumeConfig).number === v.number) return 'volume numbers must be unique'
  }
  return undefined
}

/** The user volumes (number ≥ 1) in number order. */
export function userVolumes<V extends VolumeConfig>(volumes: readonly V[]): V[] {
  return volumes.filter((v) => v.number >= 1).sort((a, b) => a.number - b.number)
}
