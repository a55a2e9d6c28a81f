// How large a volume a resource group can still spawn, and how much space it has: the answer to
// query-size-info and query-all-size-info (Proxmox shows it as the storage's capacity), and
// query-max-volume-size per storage pool. Pure.
import type {Candidate, MaxVolumeSizes, QuerySizeInfoResponseSpaceInfo} from '../../api/wire.ts'
import {compareNames} from '../../common/names.ts'
import {autoplace, eligiblePools} from '../placement/autoplacer.ts'
import {candidates, DEFAULT_LAYERS, type PlacementFacts} from './resource.ts'
import type {RscGrpRec} from './resource-group.ts'
import {mergeFilters, type LayerKind, type SelectFilter} from './select-filter.ts'
import type {ClusterState} from './state.ts'

/** LINSTOR's default MaxOversubscriptionRatio, which query-max-volume-size reports. */
const DEFAULT_MAX_OVERSUBSCRIPTION = 20

/** Where the autoplacer would put a volume of any size under `filter`, and the largest one that fits there. */
function bestPlacement(state: ClusterState, facts: PlacementFacts, filter: SelectFilter) {
  const {nodes, pools} = candidates(state, facts)
  const req = {filter, sizeKib: 0, layers: (filter.layer_stack ?? DEFAULT_LAYERS) as LayerKind[], alreadyPlaced: [], nodes, pools}
  const usable = (p: {freeKib?: number, totalKib?: number, thin: boolean}): number =>
    p.thin && filter.overprovision !== undefined && p.totalKib !== undefined ? p.totalKib * filter.overprovision : p.freeKib ?? 0
  const eligible = eligiblePools(req).pools
  const placed = autoplace(req)
  const picks = placed.ok ? placed.picks : []
  const picked = picks.map((x) => eligible.find((p) => p.node === x.node && p.name === x.pool)).filter((p) => p !== undefined)
  // The largest volume that still fits on place_count nodes: the smallest of the best picks.
  const maxKib = picked.length === (filter.place_count ?? 2) ? Math.floor(Math.min(...picked.map(usable))) : 0
  return {eligible, picks, picked, maxKib}
}

/**
 * query-max-volume-size: per storage pool name the filter allows, the nodes the autoplacer would
 * pick among that pool's and the largest volume they can all hold; largest first.
 */
export function maxVolumeSizes(state: ClusterState, facts: PlacementFacts, filter: SelectFilter): MaxVolumeSizes {
  const names = [...new Map(bestPlacement(state, facts, {...filter, place_count: 1}).eligible.map((p) => [p.name.toUpperCase(), p.name])).values()]
  const found = names.flatMap((name): Candidate[] => {
    const {picked, maxKib} = bestPlacement(state, facts, {...filter, storage_pool: name, storage_pool_list: undefined})
    return maxKib > 0 ? [{storage_pool: name, max_volume_size_kib: maxKib, node_names: picked.map((p) => p.node), all_thin: picked.every((p) => p.thin)}] : []
  })
  return {candidates: found.sort((a, b) => Number(b.max_volume_size_kib) - Number(a.max_volume_size_kib) || compareNames(a.storage_pool ?? '', b.storage_pool ?? '')),
    default_max_oversubscription_ratio: DEFAULT_MAX_OVERSUBSCRIPTION}
}

export function sizeInfo(state: ClusterState, rg: RscGrpRec, facts: PlacementFacts, request: SelectFilter = {}): QuerySizeInfoResponseSpaceInfo {
  const filter = mergeFilters(rg.selectFilter, request)
  const placeCount = filter.place_count ?? 2
  const {eligible, picks, maxKib} = bestPlacement(state, facts, filter)
  return {
    max_vlm_size_in_kib: maxKib,
    // Space for replicated data: every eligible pool's share, divided by the number of copies.
    available_size_in_kib: Math.floor(eligible.reduce((a, p) => a + (p.freeKib ?? 0), 0) / placeCount),
    capacity_in_kib: Math.floor(eligible.reduce((a, p) => a + (p.totalKib ?? 0), 0) / placeCount),
    next_spawn_result: picks.map((x) => ({node_name: x.node, stor_pool_name: x.pool})),
  }
}
