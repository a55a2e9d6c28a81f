// From parsed linstor-csi parameters to LINSTOR request bodies: the resource group (create, and
// the reconciling modify linstor-csi sends before every volume), the spawn or autoplace request,
// the resources of manual placement, and the volume size.

import type {AutoPlaceRequest, AutoSelectFilter, ResourceCreate, ResourceGroup, ResourceGroupModify,
  ResourceGroupSpawn} from '../../src/api/wire.ts'
import type {CsiLayer, CsiParameters} from './csi-parameters.ts'

/** The group's placement rules; zero values are left out, as golinstor's omitempty does. */
export function csiAutoSelectFilter(p: CsiParameters): AutoSelectFilter {
  return {
    ...(p.placementCount > 0 ? {place_count: p.placementCount} : {}),
    ...(p.storagePools.length > 0 ? {storage_pool_list: [...p.storagePools]} : {}),
    ...(p.doNotPlaceWithRegex ? {not_place_with_rsc_regex: p.doNotPlaceWithRegex} : {}),
    ...(p.replicasOnSame.length > 0 ? {replicas_on_same: [...p.replicasOnSame]} : {}),
    ...(p.replicasOnDifferent.length > 0 ? {replicas_on_different: [...p.replicasOnDifferent]} : {}),
    ...(Object.keys(p.xReplicasOnDifferent).length > 0 ? {x_replicas_on_different_map: {...p.xReplicasOnDifferent}} : {}),
    ...(p.layerList.length > 0 ? {layer_stack: [...p.layerList]} : {}),
    ...(p.disklessOnRemaining ? {diskless_on_remaining: true} : {}),
  }
}

/** POST /v1/resource-groups when the group is missing. */
export function csiResourceGroupCreate(p: CsiParameters): ResourceGroup {
  return {name: p.resourceGroup, select_filter: csiAutoSelectFilter(p), props: {...p.properties}}
}

export type CsiGroupReconcile =
  | {ok: true, changed: boolean, modify: ResourceGroupModify}
  | {ok: false, error: string}

/**
 * PUT /v1/resource-groups/{rg} before each volume, as linstor-csi computes it: placement fields
 * that differ are overwritten (so the parameters win over changes made to the group by hand),
 * missing properties are added, and a property the group holds with another value is an error.
 * Properties are never removed. A field whose new value is empty goes unsent (omitempty), so it
 * counts as a change without changing anything, as in linstor-csi.
 */
export function csiResourceGroupReconcile(p: CsiParameters, group: ResourceGroup): CsiGroupReconcile {
  const have = group.select_filter ?? {}
  const filter: AutoSelectFilter = {}
  let changed = false
  const differs = (a: readonly string[] | undefined, b: readonly string[]): boolean =>
    (a ?? []).length !== b.length || b.some((x, i) => a?.[i] !== x)
  if ((have.place_count ?? 0) !== p.placementCount) {
    changed = true
    if (p.placementCount > 0) filter.place_count = p.placementCount
  }
  const lists: [keyof AutoSelectFilter & ('storage_pool_list' | 'replicas_on_same' | 'replicas_on_different' | 'layer_stack'), string[]][] = [
    ['storage_pool_list', p.storagePools], ['replicas_on_same', p.replicasOnSame], ['replicas_on_different', p.replicasOnDifferent],
    ['layer_stack', p.layerList],
  ]
  for (const [field, wanted] of lists) {
    if (!differs(have[field], wanted)) continue
    changed = true
    if (wanted.length > 0) filter[field] = [...wanted]
  }
  const haveMap = have.x_replicas_on_different_map ?? {}
  const wantMap = p.xReplicasOnDifferent
  const mapKeys = new Set([...Object.keys(haveMap), ...Object.keys(wantMap)])
  if ([...mapKeys].some((k) => haveMap[k] !== wantMap[k])) {
    changed = true
    if (Object.keys(wantMap).length > 0) filter.x_replicas_on_different_map = {...wantMap}
  }
  if ((have.not_place_with_rsc_regex ?? '') !== p.doNotPlaceWithRegex) {
    changed = true
    if (p.doNotPlaceWithRegex) filter.not_place_with_rsc_regex = p.doNotPlaceWithRegex
  }
  if ((have.diskless_on_remaining ?? false) !== p.disklessOnRemaining) {
    changed = true
    if (p.disklessOnRemaining) filter.diskless_on_remaining = true
  }
  const override: Record<string, string> = {}
  for (const [key, value] of Object.entries(p.properties)) {
    const existing = group.props?.[key]
    if (existing === undefined) {
      changed = true
      override[key] = value
    } else if (existing !== value) {
      return {ok: false, error: `cannot change existing property value: existing = ${existing}, expected = ${value}`}
    }
  }
  const modify: ResourceGroupModify = {...(Object.keys(override).length > 0 ? {override_props: override} : {}), select_filter: filter}
  return {ok: true, changed, modify}
}

export interface CsiSpawnOptions {
  resourceName: string
  sizeKib: number
  /** ext4, xfs, ...; undefined for a block volume. Becomes FileSystem/Type: the satellite formats. */
  fsType?: string
  /** More resource definition properties (Aux/csi-*, Aux/qos.linbit.com/*, ...). */
  props?: Record<string, string>
  /** Default: only AutoPlace lets LINSTOR place at once; the other policies place afterwards. */
  definitionsOnly?: boolean
}

/** POST /v1/resource-groups/{rg}/spawn for one CSI volume. */
export function csiSpawn(p: CsiParameters, options: CsiSpawnOptions): ResourceGroupSpawn {
  const props = {...csiFilesystemProps(options.fsType, p.fsOpts), ...options.props}
  return {
    resource_definition_name: options.resourceName,
    volume_sizes: [options.sizeKib],
    select_filter: csiAutoSelectFilter(p),
    definitions_only: options.definitionsOnly ?? p.placementPolicy !== 'AutoPlace',
    ...(Object.keys(props).length > 0 ? {resource_definition_props: props} : {}),
  }
}

/** POST /v1/resource-definitions/{rd}/autoplace; `overrides` narrows it (node_name_list, place_count...). */
export function csiAutoPlace(p: CsiParameters, overrides: AutoSelectFilter = {}): AutoPlaceRequest {
  return {select_filter: {...csiAutoSelectFilter(p), ...overrides}, layer_list: [...p.layerList]}
}

/** The FileSystem/* properties linstor-csi puts on the volume definition (none for block volumes). */
export function csiFilesystemProps(fsType: string | undefined, fsOpts: string): Record<string, string> {
  return fsType ? {'FileSystem/Type': fsType, 'FileSystem/MkfsParams': fsOpts} : {}
}

/** The flag of a diskless replica: of the top-most layer that can have one. */
export function csiDisklessFlag(layers: readonly CsiLayer[]): 'DRBD_DISKLESS' | 'NVME_INITIATOR' {
  for (const layer of layers) {
    if (layer === 'DRBD') return 'DRBD_DISKLESS'
    if (layer === 'NVME') return 'NVME_INITIATOR'
  }
  throw new Error(`no layer of ${layers.join(', ')} can be diskless`)
}

/** POST /v1/resource-definitions/{rd}/resources/{node} bodies for nodeList (diskful) and clientList (diskless). */
export function csiManualResources(p: CsiParameters, resourceName: string): ResourceCreate[] {
  const create = (node: string, diskless: boolean): ResourceCreate => ({
    resource: {
      name: resourceName,
      node_name: node,
      props: diskless ? {StorPoolName: p.disklessStoragePool} : {},
      flags: diskless ? [csiDisklessFlag(p.layerList)] : [],
    },
    layer_list: [...p.layerList],
  })
  return [...p.nodeList.map((n) => create(n, false)), ...p.clientList.map((n) => create(n, true))]
}

const KiB = 1024
const MiB = 1024 * KiB

/**
 * Bytes to allocate for a CSI capacity range (0 = no limit), as linstor-csi's AllocationSize:
 * at least 2 MiB for ext4 (smaller ones get no journal), 300 MiB for xfs, 4 KiB otherwise,
 * rounded up to whole KiB, never above the limit.
 */
export function csiAllocationBytes(requiredBytes: number, limitBytes: number, fsType?: string): number {
  const min = fsType === 'ext4' ? 2 * MiB : fsType === 'xfs' ? 300 * MiB : 4096
  if (limitBytes !== 0 && min > limitBytes) {
    throw new Error(`LINSTOR's minimum volume size (${min}) exceeds the maximum size limit (${limitBytes}) of the requested volume`)
  }
  const bytes = Math.ceil(Math.max(requiredBytes, min) / KiB) * KiB
  if (limitBytes !== 0 && bytes > limitBytes) {
    throw new Error(`got request for ${requiredBytes} bytes of storage, but needed to allocate ${bytes} bytes, ` +
      `violating the ${limitBytes} byte limit`)
  }
  return bytes
}
