// GetCapacity as linstor-csi computes it: the free space of the diskful storage pools on the nodes
// of a topology segment that autoplace may use, optionally restricted to the StorageClass's pools
// and the segment's `linbit.com/sp-*` keys. With over-provisioning (the `overProvision` parameter,
// or the pool's own ratio when lower) a pool offers total × ratio minus what is already reserved.
import type {Node, ResourceWithVolumes, StoragePool} from '../../src/api/wire.ts'

export interface CapacityQuery {
  /** Nodes of the segment (all nodes when no segment was given). */
  nodes: readonly string[]
  /** The StorageClass's storagePool list; empty = any. */
  storagePools: readonly string[]
  /** Pools named by the segment's linbit.com/sp-* keys; empty = any. */
  segmentPools: readonly string[]
  overProvision: number | undefined
}

/** Nodes autoplace would consider: not evicted or evacuating, not excluded by AutoplaceTarget=false. */
export function placeableNodes(all: readonly Node[], wanted: readonly string[]): string[] {
  return all.filter((n) => wanted.includes(n.name))
    .filter((n) => !(n.flags ?? []).some((f) => f === 'EVICTED' || f === 'EVACUATE'))
    .filter((n) => n.props?.AutoplaceTarget !== 'false')
    .map((n) => n.name)
}

/** The pools that count, each with the over-provisioning ratio that applies to it (if any). */
export function countedPools(pools: readonly StoragePool[], q: CapacityQuery): {pool: StoragePool, ratio: number | undefined}[] {
  return pools
    .filter((p) => p.node_name !== undefined && q.nodes.includes(p.node_name))
    .filter((p) => q.segmentPools.length === 0 || q.segmentPools.includes(p.storage_pool_name))
    .filter((p) => p.provider_kind !== 'DISKLESS')
    .filter((p) => q.storagePools.length === 0 || q.storagePools.includes(p.storage_pool_name))
    .map((pool) => ({pool, ratio: ratioOf(pool, q.overProvision)}))
}

/** The more specific pool property wins over the generic one; a pool ratio only ever lowers the parameter. */
function ratioOf(pool: StoragePool, overProvision: number | undefined): number | undefined {
  const props = pool.props ?? {}
  const raw = props.MaxTotalCapacityOversubscriptionRatio ?? props.MaxOversubscriptionRatio
  const own = raw === undefined ? NaN : Number(raw)
  if (Number.isFinite(own) && (overProvision === undefined || overProvision > own)) return own
  return overProvision
}

/** KiB a pool offers: its free capacity, or total × ratio − reserved (never negative). */
export function offeredKib(pool: StoragePool, ratio: number | undefined, reservedKib: number): number {
  if (ratio === undefined) return Math.max(0, Number(pool.free_capacity ?? 0))
  return Math.max(0, Math.floor(Number(pool.total_capacity ?? 0) * ratio) - reservedKib)
}

/** KiB already promised on a pool: the storage layer's usable size of every volume placed in it. */
export function reservedKib(resources: readonly ResourceWithVolumes[], node: string, pool: string): number {
  let sum = 0
  for (const r of resources) {
    if (r.node_name !== node) continue
    for (const v of r.volumes ?? []) {
      if (v.storage_pool_name !== pool) continue
      const last = v.layer_data_list?.at(-1)
      const data = last?.data as {usable_size_kib?: number | bigint} | undefined
      if (last?.type === 'STORAGE') sum += Number(data?.usable_size_kib ?? 0)
    }
  }
  return sum
}
