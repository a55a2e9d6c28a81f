// How many replicas a resource has and should have, and whether a replica holds the data yet:
// what evacuation, auto-evict, auto-diskful and the rebalancer decide on. Pure.
import {compareNames, nameKey} from '../../common/names.ts'
import type {SatelliteReport} from '../../protocol/messages.ts'
import {drbdOf, volumeOf} from '../../protocol/report-lookup.ts'
import type {InUse} from './in-use.ts'
import {vlmDfnsOf, type RscDfnRec} from './resource-definition.ts'
import {isDiskless, rscsOf, type RscRec} from './resource.ts'
import type {ClusterState} from './state.ts'

/** The resource group's place count; LINSTOR's autoplacer defaults to 2. */
export function placeCountOf(state: ClusterState, rd: RscDfnRec): number {
  return state.rscGrps[nameKey(rd.rscGrp)]?.selectFilter.place_count ?? 2
}

const leaving = (state: ClusterState, r: RscRec): boolean =>
  r.flags.includes('DELETE') || r.flags.includes('EVACUATE') || (state.nodes[nameKey(r.node)]?.flags.includes('EVICTED') ?? true)

/** Diskful replicas that stay: not being deleted or evacuated, not on an evicted node. */
export const diskfulReplicas = (state: ClusterState, rd: string): RscRec[] =>
  rscsOf(state, rd).filter((r) => !isDiskless(r) && !leaving(state, r))

/**
 * Whether the replica holds the data, as its node last reported: with DRBD every volume
 * UpToDate; on a storage-only stack every volume created (there is nothing to sync from).
 */
export function isUpToDate(state: ClusterState, r: RscRec, report: SatelliteReport | undefined): boolean {
  if (!report || isDiskless(r)) return false
  const vds = vlmDfnsOf(state, r.rscDfn).filter((vd) => !vd.flags.includes('DELETE'))
  if (r.layerStack.includes('DRBD')) {
    const drbd = drbdOf(report, r.rscDfn)
    return drbd?.state === 'Created' && vds.every((vd) => drbd.volumes.find((v) => v.vlmNr === vd.vlmNr)?.diskState === 'UpToDate')
  }
  return vds.every((vd) => volumeOf(report, r.rscDfn, vd.vlmNr)?.state === 'Created')
}

/**
 * Diskful replicas beyond `keep` that may go, newest first (the oldest replicas are the
 * established ones). Only when every staying replica is up to date, and never one in use or one
 * `mayGo` refuses.
 */
export function surplusReplicas(state: ClusterState, rd: string, keep: number, reportOf: (node: string) => SatelliteReport | undefined,
  inUse: InUse, mayGo: (r: RscRec) => boolean = () => true): RscRec[] {
  const diskful = diskfulReplicas(state, rd)
  if (diskful.length <= keep || !diskful.every((r) => isUpToDate(state, r, reportOf(r.node)))) return []
  return diskful.filter((r) => !inUse(r.rscDfn, r.node) && mayGo(r))
    .sort((a, b) => b.createTs - a.createTs || compareNames(a.node, b.node))
    .slice(0, diskful.length - keep)
}
