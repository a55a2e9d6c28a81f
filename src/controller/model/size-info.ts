// How large a volume a resource group can still spawn, and how much space it has: the answer to
// query-size-info and query-all-size-info (Proxmox shows it as the storage's capacity). Pure.
import type {QuerySizeInfoResponseSpaceInfo} from '../../api/wire.ts'
import {autoplace, eligiblePools} from '../placement/autoplacer.ts'
import {candidates, DEFAULT_LAYERS, type PlacementFacts} from './resource.ts'
import type {RscGrpRec} from './resource-group.ts'
import {mergeFilters, type LayerKind, type SelectFilter} from './select-filter.ts'
import type {ClusterState} from './state.ts'

export function sizeInfo(state: ClusterState, rg: RscGrpRec, facts: PlacementFacts, request: SelectFilter = {}): QuerySizeInfoResponseSpaceInfo {
  const filter = mergeFilters(rg.selectFilter, request)
  const placeCount = filter.place_count ?? 2
  const {nodes, pools} = candidates(state, facts)
  const req = {filter, sizeKib: 0, layers: (filter.layer_stack ?? DEFAULT_LAYERS) as LayerKind[], alreadyPlaced: [], nodes, pools}
  const usable = (p: {freeKib?: number, totalKib?: number, thin: boolean}): number =>
    p.thin && filter.overprovision !== undefined && p.totalKib !== undefined ? p.totalKib * filter.overprovision : p.freeKib ?? 0
  const eligible = eligiblePools(req).pools
  const placed = autoplace(req)
  const picks = placed.ok ? placed.picks : []
  const pickedPools = picks.map((x) => eligible.find((p) => p.node === x.node && p.name === x.pool)).filter((p) => p !== undefined)
  return {
    // The largest volume that still fits on place_count nodes: the smallest of the best picks.
    max_vlm_size_in_kib: pickedPools.length === placeCount ? Math.floor(Math.min(...pickedPools.map(usable))) : 0,
    // Space for replicated data: every eligible pool's share, divided by the number of copies.
    available_size_in_kib: Math.floor(eligible.reduce((a, p) => a + (p.freeKib ?? 0), 0) / placeCount),
    capacity_in_kib: Math.floor(eligible.reduce((a, p) => a + (p.totalKib ?? 0), 0) / placeCount),
    next_spawn_result: picks.map((x) => ({node_name: x.node, stor_pool_name: x.pool})),
  }
}
