// Incus storage volume keys of the linstor driver: validation, and the values a volume really
// gets once the pool's `volume.*` defaults and Incus's own defaults are applied.

import {parseIncusBool} from './config-values.ts'
import {drbdProps, RAW_PREFIX} from './drbd-props.ts'
import {parseIncusSize} from './incus-size.ts'
import type {IncusPool} from './pool-config.ts'

export type IncusVolumeType = 'containers' | 'virtual-machines' | 'images' | 'custom'
export type IncusContentType = 'filesystem' | 'block' | 'iso'
export const VOLUME_TYPES: readonly IncusVolumeType[] = ['containers', 'virtual-machines', 'images', 'custom']
export const CONTENT_TYPES: readonly IncusContentType[] = ['filesystem', 'block', 'iso']

export const FILESYSTEMS = ['ext4', 'btrfs', 'xfs']
/** Incus's defaults: 10GiB for block-backed volumes (all of this driver's), 500MiB for a VM's config volume. */
export const DEFAULT_BLOCK_SIZE = '10GiB'
export const DEFAULT_VM_STATE_SIZE = '500MiB'

type Rule = (value: string) => string | undefined

const bool: Rule = (v) => (parseIncusBool(v) === undefined ? `'${v}' is not a boolean (true or false)` : undefined)
const int64: Rule = (v) => (/^-?\d+$/.test(v) ? undefined : `'${v}' is not an integer`)
const any: Rule = () => undefined
const size: Rule = (v) => {
  try {
    parseIncusSize(v)
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}
const drbd: Rule = () => undefined // checked with the conversion, in drbdProps

/** Every volume key of the driver; a pool accepts each as `volume.<key>` (its default). */
export const VOLUME_RULES: Readonly<Record<string, Rule>> = {
  'size': size,
  'block.filesystem': (v) => (FILESYSTEMS.includes(v) ? undefined : `'${v}' is not one of ${FILESYSTEMS.join(', ')}`),
  'block.mount_options': any,
  'block.create_options': any,
  'initial.uid': int64, 'initial.gid': int64, 'initial.mode': int64,
  'security.shared': bool, 'security.shifted': bool, 'security.unmapped': bool,
  'snapshots.expiry': any, 'snapshots.expiry.manual': any, 'snapshots.schedule': any, 'snapshots.pattern': any,
  'drbd.on_no_quorum': drbd, 'drbd.auto_diskful': drbd, 'drbd.auto_add_quorum_tiebreaker': drbd,
  'linstor.remove_snapshots': bool,
}

const FS_ONLY = ['block.filesystem', 'block.mount_options', 'block.create_options']
const CUSTOM_FS_ONLY = ['initial.uid', 'initial.gid', 'initial.mode', 'security.shifted', 'security.unmapped']

export interface IncusVolume {
  type: IncusVolumeType
  contentType: IncusContentType
  /** Bytes of volume 0. */
  sizeBytes: number
  /** Bytes of volume 1, the filesystem volume that goes with a VM's block volume. */
  stateSizeBytes: number | undefined
  /** What Incus formats and mounts on the node; undefined for raw block and ISO volumes. */
  filesystem: {type: string, mountOptions: string, createOptions: string | undefined} | undefined
  removeSnapshots: boolean
}

export interface IncusVolumeInput {
  type: IncusVolumeType
  contentType: IncusContentType
  config?: Record<string, string>
}

/** Incus's VM volumes are a block volume with a filesystem volume beside it. */
export const isVmBlock = (v: Pick<IncusVolumeInput, 'type' | 'contentType'>): boolean =>
  v.type === 'virtual-machines' && v.contentType === 'block'

/** Validates a volume's own keys and resolves its values against the pool. */
export function incusVolume(pool: IncusPool, input: IncusVolumeInput): {volume?: IncusVolume, errors: string[]} {
  const config = input.config ?? {}
  const errors: string[] = []
  if (!VOLUME_TYPES.includes(input.type)) errors.push(`unknown volume type '${input.type}'`)
  if (!CONTENT_TYPES.includes(input.contentType)) errors.push(`unknown content type '${input.contentType}'`)
  const formatted = input.contentType === 'filesystem' || isVmBlock(input)
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith('user.') || key.startsWith(RAW_PREFIX) || key.startsWith('volatile.')) continue
    if (key === 'size.state' && isVmBlock(input)) continue
    const rule = VOLUME_RULES[key]
    if (!rule) errors.push(`unknown key '${key}'`)
    else if (FS_ONLY.includes(key) && !formatted) errors.push(`${key}: only applies to volumes with content type filesystem`)
    else if (CUSTOM_FS_ONLY.includes(key) && !(input.type === 'custom' && input.contentType === 'filesystem')) {
      errors.push(`${key}: only applies to custom volumes with content type filesystem`)
    } else if (key === 'security.shared' && !(input.type === 'custom' && input.contentType === 'block')) {
      errors.push(`${key}: only applies to custom block volumes`)
    } else {
      const problem = value === '' ? undefined : rule(value)
      if (problem) errors.push(`${key}: ${problem}`)
    }
  }
  errors.push(...drbdProps(config).errors)
  if (errors.length > 0) return {errors}

  // The volume's own value, else the pool's volume.* default, else Incus's default.
  const pick = (key: string): string | undefined => config[key] || pool.volumeDefaults[key] || undefined
  const sizeText = pick('size')
  const stateText = config['size.state'] || DEFAULT_VM_STATE_SIZE
  const volume: IncusVolume = {
    type: input.type,
    contentType: input.contentType,
    sizeBytes: parseIncusSize(sizeText === undefined || sizeText === '0' ? DEFAULT_BLOCK_SIZE : sizeText),
    stateSizeBytes: isVmBlock(input) ? parseIncusSize(stateText) : undefined,
    filesystem: formatted
      ? {
        type: pick('block.filesystem') ?? 'ext4',
        mountOptions: pick('block.mount_options') ?? 'discard',
        createOptions: pick('block.create_options'),
      }
      : undefined,
    removeSnapshots: parseIncusBool(pick('linstor.remove_snapshots') ?? 'false') ?? false,
  }
  return {volume, errors}
}
