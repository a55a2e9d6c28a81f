// LINSTOR snapshots as CSI snapshots: one per snapshotted CSI volume (volume 0, or a volume tagged
// Aux/csi-volume-name in a consistency group), ready once LINSTOR flags it SUCCESSFUL, taken at
// the first node's create_timestamp, as large as the volume was.
import type {Snapshot as LinstorSnapshot} from '../../src/api/wire.ts'
import {formatSnapshotId, formatVolumeId, type SnapshotId} from './volume-id.ts'

export interface CsiSnapshot {
  id: SnapshotId
  sizeBytes: number
  /** Milliseconds since the epoch. */
  createdMs: number
  readyToUse: boolean
  failed: boolean
}

export function csiSnapshotsOf(s: LinstorSnapshot): CsiSnapshot[] {
  const flags = s.flags ?? []
  if (flags.includes('DELETE') || !s.name || !s.resource_name) return []
  const failed = flags.includes('FAILED_DEPLOYMENT') || flags.includes('FAILED_DISCONNECT')
  const createdMs = Number(s.snapshots?.[0]?.create_timestamp ?? 0)
  // A snapshot being shipped to (or received from) a remote counts once the shipping is done.
  const ready = flags.includes('BACKUP') ? flags.includes('SHIPPED') : flags.includes('SUCCESSFUL')
  const firstSize = Number(s.volume_definitions?.[0]?.size_kib ?? 0) * 1024
  return (s.volume_definitions ?? [])
    .filter((vd) => (vd.volume_number ?? 0) === 0 || (vd.volume_definition_props?.['Aux/csi-volume-name'] ?? '') !== '')
    .map((vd) => ({
      id: {type: 'InCluster', remote: '', resource: s.resource_name as string, volumeNumber: vd.volume_number ?? 0, snapshot: s.name as string},
      sizeBytes: firstSize,
      createdMs,
      readyToUse: ready,
      failed,
    }))
}

/** The CSI Snapshot message fields. */
export function snapshotMessage(s: CsiSnapshot): {snapshotId: string, sourceVolumeId: string, sizeBytes: number, readyToUse: boolean,
  creationTime: {seconds: number, nanos: number}} {
  return {
    snapshotId: formatSnapshotId(s.id),
    sourceVolumeId: formatVolumeId({resource: s.id.resource, volumeNumber: s.id.volumeNumber}),
    sizeBytes: s.sizeBytes,
    readyToUse: s.readyToUse,
    creationTime: {seconds: Math.floor(s.createdMs / 1000), nanos: (s.createdMs % 1000) * 1_000_000},
  }
}
