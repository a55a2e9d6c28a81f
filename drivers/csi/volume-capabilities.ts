// What a CO may ask of a volume: a filesystem (one fs type for all capabilities) or a raw block
// device, and which access modes work. As linstor-csi without its NFS export: a filesystem lives
// on one node at a time (or read-only on many), a block device may be shared when DRBD allows it.
import {AccessMode, type VolumeCapability} from './csi-schema.ts'

export type VolumeAccess = {kind: 'mount', fsType: string} | {kind: 'block'}

export const DEFAULT_FS_TYPE = 'ext4'
export const FS_TYPES: readonly string[] = ['ext4', 'xfs']

const MOUNT_MODES: ReadonlySet<number> = new Set([
  AccessMode.SINGLE_NODE_WRITER, AccessMode.SINGLE_NODE_READER_ONLY, AccessMode.MULTI_NODE_READER_ONLY,
  AccessMode.SINGLE_NODE_SINGLE_WRITER, AccessMode.SINGLE_NODE_MULTI_WRITER,
])

const BLOCK_MODES: ReadonlySet<number> = new Set([...MOUNT_MODES, AccessMode.MULTI_NODE_SINGLE_WRITER, AccessMode.MULTI_NODE_MULTI_WRITER])

const modeName = (mode: number): string => Object.entries(AccessMode).find(([, v]) => v === mode)?.[0] ?? String(mode)

/**
 * The access the capabilities ask for, or why they cannot be served. `defaultFsType` fills in
 * a mount capability without fs_type (a StorageClass's csi.storage.k8s.io/fstype).
 */
export function volumeAccess(capabilities: readonly VolumeCapability[], defaultFsType = DEFAULT_FS_TYPE): {ok: true, access: VolumeAccess} | {ok: false, error: string} {
  if (capabilities.length === 0) return {ok: false, error: 'no volume capabilities given'}
  const mounts = capabilities.filter((c) => c.mount !== undefined)
  const blocks = capabilities.filter((c) => c.block !== undefined)
  if (mounts.length + blocks.length < capabilities.length) return {ok: false, error: 'a volume capability has neither mount nor block access type'}
  if (mounts.length > 0 && blocks.length > 0) return {ok: false, error: 'unsupported FileSystem and Block mode on the same volume'}
  for (const c of capabilities) {
    const mode = c.accessMode?.mode ?? AccessMode.UNKNOWN
    const allowed = c.block ? BLOCK_MODES : MOUNT_MODES
    if (!allowed.has(mode)) {
      return {ok: false, error: `unsupported access mode ${modeName(mode)} for ${c.block ? 'block' : 'filesystem'} volumes`}
    }
  }
  if (blocks.length > 0) return {ok: true, access: {kind: 'block'}}
  const types = [...new Set(mounts.map((c) => c.mount?.fsType || defaultFsType))]
  if (types.length > 1) return {ok: false, error: `unsupported conflicting fs types: ${types.join(', ')}`}
  const fsType = types[0] ?? defaultFsType
  if (!FS_TYPES.includes(fsType)) return {ok: false, error: `unsupported fs type '${fsType}' (use one of ${FS_TYPES.join(', ')})`}
  return {ok: true, access: {kind: 'mount', fsType}}
}

/** Several nodes may write at once: needs DRBD (dual primary). */
export const isMultiWriter = (capabilities: readonly VolumeCapability[]): boolean =>
  capabilities.some((c) => c.accessMode?.mode === AccessMode.MULTI_NODE_MULTI_WRITER)

/** The node may only read: a read-only publish or a reader-only access mode. */
export const isReadOnly = (capability: VolumeCapability | undefined, readonly: boolean): boolean =>
  readonly || capability?.accessMode?.mode === AccessMode.SINGLE_NODE_READER_ONLY || capability?.accessMode?.mode === AccessMode.MULTI_NODE_READER_ONLY
