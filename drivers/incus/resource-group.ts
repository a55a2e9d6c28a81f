// The resource group behind an Incus pool: the bodies Incus's linstor driver sends when it creates
// the pool (create, then a modify with the properties), updates it, or starts up.

import type {ResourceGroup, ResourceGroupModify} from '../../src/api/wire.ts'
import {nameProblem} from '../../src/common/names.ts'
import {parseUint32} from './config-values.ts'
import {drbdProps, type AutoDiskfulUnit} from './drbd-props.ts'
import type {IncusPool} from './pool-config.ts'

export const INCUS_RG_DESCRIPTION = 'Resource group managed by Incus'

/** Incus speeds up resync with this on every pool's group, and puts it back when it is unset. */
export const RS_DISCARD_GRANULARITY = 'DrbdOptions/Disk/rs-discard-granularity'
export const DEFAULT_RS_DISCARD_GRANULARITY = '1048576'

/** POST /v1/resource-groups (when the group does not exist yet). */
export function incusResourceGroupCreate(pool: IncusPool): ResourceGroup {
  return {
    name: pool.resourceGroup,
    description: INCUS_RG_DESCRIPTION,
    select_filter: {place_count: pool.placeCount, ...(pool.storagePool ? {storage_pool: pool.storagePool} : {})},
  }
}

/** PUT /v1/resource-groups/{rg} right after the create: the drbd.* and linstor.raw.* properties. */
export function incusResourceGroupProps(pool: IncusPool, unit: AutoDiskfulUnit = 'minutes'): ResourceGroupModify {
  const config: Record<string, string> = {
    'drbd.on_no_quorum': pool.onNoQuorum,
    'drbd.auto_add_quorum_tiebreaker': String(pool.autoAddQuorumTiebreaker),
    ...(pool.autoDiskful ? {'drbd.auto_diskful': pool.autoDiskful} : {}),
  }
  const props = {...pool.raw, ...drbdProps(config, unit).override}
  props[RS_DISCARD_GRANULARITY] ||= DEFAULT_RS_DISCARD_GRANULARITY
  // golinstor always sends the (empty) select filter with a modify.
  return {override_props: sortKeys(props), select_filter: {}}
}

const IMMUTABLE = ['linstor.resource_group.name', 'source', 'linstor.volume.prefix']

/**
 * PUT /v1/resource-groups/{rg} for changed pool keys. An empty value removes a property, except
 * rs-discard-granularity, which goes back to its default.
 */
export function incusResourceGroupUpdate(changed: Record<string, string>, unit: AutoDiskfulUnit = 'minutes'):
  {body?: ResourceGroupModify, errors: string[]} {
  const errors = Object.keys(changed).filter((k) => IMMUTABLE.includes(k)).map((k) => `${k} cannot be changed`)
  const filter: NonNullable<ResourceGroupModify['select_filter']> = {}
  const count = changed['linstor.resource_group.place_count']
  if (count !== undefined) {
    const n = parseUint32(count)
    if (n === undefined || n < 1) errors.push(`linstor.resource_group.place_count: '${count}' is not a positive whole number`)
    else filter.place_count = n
  }
  const pool = changed['linstor.resource_group.storage_pool']
  if (pool === '') {
    // An empty storage_pool is left out of the request, so LINSTOR would keep the old pool.
    errors.push('linstor.resource_group.storage_pool cannot be unset: the resource group keeps its storage pool')
  } else if (pool !== undefined) {
    const problem = nameProblem('storage pool', pool)
    if (problem) errors.push(`linstor.resource_group.storage_pool: '${pool}' is not a storage pool name (${problem})`)
    else filter.storage_pool = pool
  }
  const props = drbdProps(changed, unit)
  errors.push(...props.errors)
  if (errors.length > 0) return {errors}
  const override = {...props.override}
  const deletes = props.delete.filter((k) => k !== RS_DISCARD_GRANULARITY)
  if (props.delete.includes(RS_DISCARD_GRANULARITY)) override[RS_DISCARD_GRANULARITY] = DEFAULT_RS_DISCARD_GRANULARITY
  const body: ResourceGroupModify = {
    ...(Object.keys(override).length > 0 ? {override_props: sortKeys(override)} : {}),
    ...(deletes.length > 0 ? {delete_props: deletes} : {}),
    select_filter: filter,
  }
  return {body, errors}
}

/** Incus's startup patch: a group without rs-discard-granularity gets the default. */
export function rsDiscardGranularityPatch(group: ResourceGroup): ResourceGroupModify | undefined {
  if (group.props?.[RS_DISCARD_GRANULARITY]) return undefined
  return {override_props: {[RS_DISCARD_GRANULARITY]: DEFAULT_RS_DISCARD_GRANULARITY}, select_filter: {}}
}

/** An existing group is adopted as it is: Incus copies its place count and storage pool into the pool config. */
export function adoptedPoolConfig(group: ResourceGroup): Record<string, string> {
  return {
    'linstor.resource_group.place_count': String(group.select_filter?.place_count ?? 0),
    'linstor.resource_group.storage_pool': group.select_filter?.storage_pool ?? '',
  }
}

const sortKeys = (o: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
