// What `pvesm status` shows for a drbd storage, computed as linstor-proxmox's status() does from
// one POST /v1/queries/resource-groups/query-all-size-info answer (shared by all drbd storages).

import type {QueryAllSizeInfoRequest, QueryAllSizeInfoResponse} from '../../src/api/wire.ts'
import type {DrbdStorage} from './drbd-storage.ts'

export type PveStorageStatus =
  | {active: false}
  | {
    active: true
    totalBytes: number
    availBytes: number
    usedBytes: number
    /**
     * Capacity 0 (LINSTOR still starting): the plugin queries again with
     * ignore_cache_older_than_sec -1 to refresh its cache, but still reports these numbers.
     */
    requery: boolean
  }

/** The request body the plugin sends: its statuscache, as it uses it. */
export function sizeInfoRequest(storage: Pick<DrbdStorage, 'statusCache'>): QueryAllSizeInfoRequest {
  return {ignore_cache_older_than_sec: storage.statusCache}
}

/** The body of the follow-up query after a zero capacity. */
export const REFRESH_SIZE_INFO: QueryAllSizeInfoRequest = {ignore_cache_older_than_sec: -1}

/**
 * The plugin looks the resource group up by its exact name (a Perl hash key: case matters), and
 * reports the storage inactive when the group or its capacity is missing. Sizes come in KiB and
 * go out in bytes; used = total - available, never below 0 (thin pools could once report more
 * available than total). A missing available size counts as 0, as Perl's undef does.
 */
export function pveStatus(resourceGroup: string, response: QueryAllSizeInfoResponse): PveStorageStatus {
  const info = Object.hasOwn(response.result ?? {}, resourceGroup) ? response.result?.[resourceGroup]?.space_info : undefined
  if (info?.capacity_in_kib === undefined) return {active: false}
  const totalBytes = Number(info.capacity_in_kib) * 1024
  const availBytes = Number(info.available_size_in_kib ?? 0) * 1024
  return {active: true, totalBytes, availBytes, usedBytes: Math.max(0, totalBytes - availBytes), requery: totalBytes === 0}
}

/** Status per drbd storage id; a stanza without a resource group never loads, so it is inactive. */
export function pveStatuses(storages: DrbdStorage[], response: QueryAllSizeInfoResponse): Map<string, PveStorageStatus> {
  return new Map(storages.map((s) => [s.storeId, s.resourceGroup === undefined ? {active: false} : pveStatus(s.resourceGroup, response)]))
}
