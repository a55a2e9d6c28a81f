// What a resource group modify (PUT /v1/resource-groups/{rg}) would change on a group as it is
// now, one line per difference. Driver commands send a modify only when this is not empty, so
// running them twice changes nothing the second time. Pure.
import type {ResourceGroup, ResourceGroupModify} from '../api/wire.ts'
import {nameKey} from '../common/names.ts'

export function groupChanges(group: ResourceGroup, modify: ResourceGroupModify): string[] {
  const lines: string[] = []
  const want = modify.select_filter ?? {}
  const have = group.select_filter ?? {}
  if (want.place_count !== undefined && want.place_count !== have.place_count) {
    lines.push(`place count: ${have.place_count ?? '(unset)'} -> ${want.place_count}`)
  }
  const pool = have.storage_pool ?? have.storage_pool_list?.join(',')
  // Pool names are case-insensitive, as LINSTOR compares them.
  if (want.storage_pool !== undefined && nameKey(want.storage_pool) !== nameKey(pool ?? '')) lines.push(`storage pool: ${pool ?? '(any)'} -> ${want.storage_pool}`)
  const props = group.props ?? {}
  for (const [key, value] of Object.entries(modify.override_props ?? {})) {
    if (props[key] !== value) lines.push(`${key}: ${props[key] ?? '(unset)'} -> ${value}`)
  }
  for (const key of modify.delete_props ?? []) {
    if (props[key] !== undefined) lines.push(`${key}: ${props[key]} -> (removed)`)
  }
  return lines
}
