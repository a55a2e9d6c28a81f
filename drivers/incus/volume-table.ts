// `cairn incus volumes`: which resource definition holds which Incus volume. Resource names are
// random (prefix + UUID); the Incus side is only in the Aux/Incus/* properties, read here the way
// Incus's ListVolumes reads them.

import type {ResourceDefinition} from '../../src/api/wire.ts'
import {DEFAULT_VOLUME_PREFIX} from './pool-config.ts'
import {AUX_CONTENT_TYPE, AUX_NAME, AUX_SNAPSHOT_PREFIX, AUX_TYPE} from './volume-spawn.ts'

export interface IncusPoolRef {
  pool: string
  resourceGroup: string
  volumePrefix?: string
}

export interface IncusVolumeRow {
  /** The Incus pool, when the caller told which pool uses the resource group. */
  pool: string | undefined
  resourceGroup: string
  /** Undefined for images, which belong to no project. */
  project: string | undefined
  volume: string
  type: string
  contentType: string
  resource: string
  /** KiB per volume number (a VM has two: its disk and its config filesystem). */
  sizesKib: number[]
  /** Incus snapshot name and LINSTOR snapshot name, sorted by the Incus name. */
  snapshots: {incus: string, linstor: string}[]
}

/**
 * One row per resource definition that carries all three Aux/Incus properties. With `pools`, only
 * the groups of those pools are listed (matched exactly, as Incus does) and each pool's prefix is
 * stripped; without, every Incus-tagged definition is listed, and the prefix is read off the
 * resource name (prefix + 32 hex digits), falling back to the default one.
 */
export function incusVolumeRows(definitions: ResourceDefinition[], pools: IncusPoolRef[] = []): IncusVolumeRow[] {
  const rows: IncusVolumeRow[] = []
  for (const rd of definitions) {
    const props = rd.props ?? {}
    const auxName = props[AUX_NAME]
    const type = props[AUX_TYPE]
    const contentType = props[AUX_CONTENT_TYPE]
    if (auxName === undefined || type === undefined || contentType === undefined) continue
    const group = rd.resource_group_name ?? ''
    const ref = pools.find((p) => p.resourceGroup === group)
    if (pools.length > 0 && !ref) continue
    const prefix = ref?.volumePrefix ?? inferPrefix(rd.name ?? '', auxName) ?? DEFAULT_VOLUME_PREFIX
    const internal = auxName.startsWith(prefix) ? auxName.slice(prefix.length) : auxName
    rows.push({
      pool: ref?.pool,
      resourceGroup: group,
      ...splitProject(type, internal),
      type,
      contentType,
      resource: rd.name ?? '',
      sizesKib: [...(rd.volume_definitions ?? [])].sort((a, b) => (a.volume_number ?? 0) - (b.volume_number ?? 0))
        .map((vd) => Number(vd.size_kib)),
      snapshots: Object.entries(props).filter(([k]) => k.startsWith(AUX_SNAPSHOT_PREFIX))
        .map(([k, v]) => ({incus: k.slice(AUX_SNAPSHOT_PREFIX.length), linstor: v}))
        .sort((a, b) => compare(a.incus, b.incus)),
    })
  }
  return rows.sort((a, b) => compare(a.pool ?? a.resourceGroup, b.pool ?? b.resourceGroup) || compare(a.type, b.type) ||
    compare(a.project ?? '', b.project ?? '') || compare(a.volume, b.volume))
}

/** The resource is named prefix + 32 hex digits, and Aux/Incus/name starts with the same prefix. */
function inferPrefix(resource: string, auxName: string): string | undefined {
  const prefix = /^(.*)[0-9a-f]{32}$/.exec(resource)?.[1]
  return prefix !== undefined && auxName.startsWith(prefix) ? prefix : undefined
}

/** Undoes incusVolumeName: custom volumes split at the first '_', instances at the last. */
function splitProject(type: string, internal: string): {project: string | undefined, volume: string} {
  if (type === 'images') return {project: undefined, volume: internal}
  const at = type === 'custom' ? internal.indexOf('_') : internal.lastIndexOf('_')
  if (at < 0) return {project: 'default', volume: internal}
  return {project: internal.slice(0, at), volume: internal.slice(at + 1)}
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
