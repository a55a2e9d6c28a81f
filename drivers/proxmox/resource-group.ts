// The resource groups Cairn sets up for the drbd storages of storage.cfg. The plugin never creates
// them: it only spawns from the group named by `resourcegroup` and reads its size, so the group
// (with exactly one volume group, as the plugin's documentation asks) has to exist beforehand.
// Placement (place count, storage pool) is not in storage.cfg: it comes from the caller.

import type {ResourceGroup, ResourceGroupModify, ResourceGroupSpawn, VolumeGroup} from '../../src/api/wire.ts'
import {nameKey} from '../../src/common/names.ts'
import type {DrbdStorage} from './drbd-storage.ts'

export interface ProxmoxPlacement {
  /** Replicas per disk; LINBIT recommends 2 or 3. Default 2. */
  placeCount?: number
  storagePool?: string
}

export interface ProxmoxResourceGroupPlan {
  /** As written in the first stanza that names it (LINSTOR compares names case-insensitively). */
  name: string
  storeIds: string[]
  /** POST /v1/resource-groups, when the group does not exist. */
  create: ResourceGroup
  /**
   * PUT /v1/resource-groups/{name}, when it does: only the placement the caller asked for
   * explicitly (empty when there is nothing to change), so a group set up by hand keeps the rest.
   */
  modify: ResourceGroupModify
  /** POST /v1/resource-groups/{name}/volume-groups, when the group has none. */
  volumeGroup: VolumeGroup
}

export const DEFAULT_PROXMOX_PLACE_COUNT = 2

/** One plan per distinct resource group, in stanza order; stanzas without one are skipped. */
export function proxmoxResourceGroups(storages: DrbdStorage[], placement: ProxmoxPlacement = {}): ProxmoxResourceGroupPlan[] {
  const byKey = new Map<string, {name: string, storeIds: string[]}>()
  for (const s of storages) {
    if (s.resourceGroup === undefined) continue
    const entry = byKey.get(nameKey(s.resourceGroup)) ?? {name: s.resourceGroup, storeIds: []}
    entry.storeIds.push(s.storeId)
    byKey.set(nameKey(s.resourceGroup), entry)
  }
  const filter = {
    ...(placement.placeCount !== undefined ? {place_count: placement.placeCount} : {}),
    ...(placement.storagePool !== undefined ? {storage_pool: placement.storagePool} : {}),
  }
  return [...byKey.values()].map(({name, storeIds}) => {
    const description = `Proxmox storage ${storeIds.join(', ')} (linstor-proxmox)`
    return {
      name,
      storeIds,
      create: {name, description, select_filter: {place_count: DEFAULT_PROXMOX_PLACE_COUNT, ...filter}},
      modify: Object.keys(filter).length > 0 ? {select_filter: filter} : {},
      volumeGroup: {},
    }
  })
}

/** The smallest disk the plugin creates (3 MiB, in KiB): smaller EFI disks broke vma restores. */
export const MIN_ALLOC_KIB = 3 * 1024

/**
 * The spawn body alloc_image sends (POST /v1/resource-groups/{rg}/spawn). With preferlocal the
 * definitions alone are spawned, then the plugin makes a diskful replica on its own node and
 * autoplaces the rest. `sizeKib` is what Proxmox asks for, in KiB.
 */
export function allocImageSpawn(storage: DrbdStorage, resourceName: string, sizeKib: number): ResourceGroupSpawn {
  return {
    resource_definition_name: resourceName,
    definitions_only: storage.preferLocal,
    volume_sizes: [Math.max(sizeKib, MIN_ALLOC_KIB)],
    resource_definition_props: {
      'DrbdOptions/ExactSize': storage.exactSize ? 'True' : 'False',
      'DrbdOptions/Net/allow-two-primaries': storage.allowTwoPrimaries ? 'yes' : 'no',
    },
  }
}
