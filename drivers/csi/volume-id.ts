// The identifiers linstor-csi hands to the CO, kept byte-compatible so that volumes and snapshots
// created by linstor-csi stay usable: a volume is `<resource>` or `<resource>/<volume number>`; a
// snapshot is `<Type>://<remote>/<resource>[/<volume number>]/<snapshot>` (a bare name is a
// legacy or in-progress snapshot). Names come from the CO's names as linstor-csi derives them.
import {csiResourceNameProblem, csiVolumeResourceName, CSI_DRIVER_NAME, sha1Uuid} from '../nomad/csi-names.ts'

/** DRBD numbers volumes with 16 bits. */
const MAX_VOLUMES_PER_RESOURCE = 1 << 16

export interface VolumeId {
  resource: string
  volumeNumber: number
}

export type SnapshotType = 'InCluster' | 'S3' | 'Linstor' | 'Unknown'
const SNAPSHOT_TYPES: readonly SnapshotType[] = ['InCluster', 'S3', 'Linstor', 'Unknown']

export interface SnapshotId {
  type: SnapshotType
  /** Empty for snapshots kept in this cluster. */
  remote: string
  /** The source volume's resource; empty for a legacy id. */
  resource: string
  volumeNumber: number
  snapshot: string
}

export function parseVolumeId(id: string): VolumeId {
  if (id === '') throw new Error('empty string is not a valid volume id')
  const slash = id.indexOf('/')
  const resource = slash < 0 ? id : id.slice(0, slash)
  if (resource === '') throw new Error(`volume id is missing a resource name: '${id}'`)
  if (slash < 0) return {resource, volumeNumber: 0}
  const number = id.slice(slash + 1)
  if (!/^[+-]?\d+$/.test(number)) throw new Error(`volume id '${id}' has no volume number after the '/'`)
  const volumeNumber = Number(number)
  if (volumeNumber < 0 || volumeNumber >= MAX_VOLUMES_PER_RESOURCE) throw new Error(`volume number out of range [0, ${MAX_VOLUMES_PER_RESOURCE}): '${id}'`)
  return {resource, volumeNumber}
}

export function formatVolumeId(id: VolumeId): string {
  return id.volumeNumber === 0 ? id.resource : `${id.resource}/${id.volumeNumber}`
}

export function parseSnapshotId(id: string): SnapshotId {
  if (id === '') throw new Error('empty string is not a valid snapshot id')
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(id)
  if (!scheme) return {type: 'Unknown', remote: '', resource: '', volumeNumber: 0, snapshot: id}
  // The type is matched case-insensitively, as linstor-csi's URL parser lower-cases the scheme.
  const type = SNAPSHOT_TYPES.find((t) => t.toLowerCase() === (scheme[1] ?? '').toLowerCase())
  if (!type) throw new Error(`unknown snapshot type '${scheme[1]}' in snapshot id '${id}'`)
  const rest = /^\/\/([^/]*)(\/.*)$/.exec(id.slice(scheme[0].length))
  if (!rest) throw new Error(`snapshot id '${id}' has no /<source>/<snapshot> path`)
  const parts = (rest[2] ?? '').split('/').slice(1).map(decodeURIComponent)
  let source: VolumeId
  let snapshot: string
  if (parts.length === 2) {
    source = {resource: parts[0] ?? '', volumeNumber: 0}
    snapshot = parts[1] ?? ''
  } else if (parts.length === 3) {
    source = parseVolumeId(`${parts[0]}/${parts[1]}`)
    snapshot = parts[2] ?? ''
  } else {
    throw new Error(`expected snapshot id to contain a source and a snapshot name, got '${rest[2]}'`)
  }
  if (source.resource === '' || snapshot === '') throw new Error(`snapshot id '${id}' has an empty source or snapshot name`)
  return {type, remote: decodeURIComponent(rest[1] ?? ''), resource: source.resource, volumeNumber: source.volumeNumber, snapshot}
}

export function formatSnapshotId(id: SnapshotId): string {
  if (id.type === 'Unknown' && id.resource === '') return id.snapshot
  return `${id.type}://${id.remote}/${formatVolumeId({resource: id.resource, volumeNumber: id.volumeNumber})}/${id.snapshot}`
}

/** The resource definition for a CreateVolume name (the name itself when LINSTOR accepts it). */
export const resourceNameFor = csiVolumeResourceName

/** The LINSTOR snapshot name for a CreateSnapshot name: the name, or `snapshot-<uuid5>`. */
export function snapshotNameFor(name: string): string {
  return csiResourceNameProblem(name) === undefined ? name : `snapshot-${sha1Uuid(CSI_DRIVER_NAME, name)}`
}
