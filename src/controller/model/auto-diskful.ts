// Auto-diskful: a diskless DRBD resource that has been Primary for longer than
// DrbdOptions/auto-diskful minutes (RD > RG > controller) gets a disk on its node, where it is
// used. Once every diskful replica is up to date, DrbdOptions/auto-diskful-allow-cleanup (default
// true, per resource) lets Secondary replicas beyond the place count go. Pure: whether and since
// when a resource is Primary comes from the satellites' reports.
import {nameKey} from '../../common/names.ts'
import type {SatelliteReport} from '../../protocol/messages.ts'
import {ApiFailure, type Ids} from './api-failure.ts'
import {ctrlPropsOf} from './controller-props.ts'
import {withFlag} from './flags.ts'
import type {InUse} from './in-use.ts'
import {inherited} from './props.ts'
import {placeCountOf, surplusReplicas} from './replica-count.ts'
import type {RscDfnRec} from './resource-definition.ts'
import {isDiskless, rscsOf, type PlacementFacts, type RscRec} from './resource.ts'
import {key2, type Change, type ClusterState} from './state.ts'
import {toggleDisk} from './toggle-disk.ts'

export const AUTO_DISKFUL = 'DrbdOptions/auto-diskful'
export const ALLOW_CLEANUP = 'DrbdOptions/auto-diskful-allow-cleanup'

export interface AutoDiskfulFacts {
  now: number
  /** Since when the resource has been Primary on the node without a break; undefined when it is not. */
  primarySince(rsc: string, node: string): number | undefined
  reportOf(node: string): SatelliteReport | undefined
  inUse: InUse
  placement: PlacementFacts
}

export interface AutoDiskfulResult {changes: Change[], toggled: RscRec[], removed: RscRec[], messages: string[]}

/** The auto-diskful threshold in minutes for a definition; undefined when unset (or not a number). */
function thresholdMinutes(state: ClusterState, rd: RscDfnRec): number | undefined {
  const v = inherited(AUTO_DISKFUL, [rd.props, state.rscGrps[nameKey(rd.rscGrp)]?.props, ctrlPropsOf(state)])
  const n = v === undefined || v.trim() === '' ? NaN : Number(v)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

function mayCleanUp(state: ClusterState, rd: RscDfnRec, r: RscRec): boolean {
  const chain = [r.props, rd.props, state.rscGrps[nameKey(rd.rscGrp)]?.props, state.nodes[nameKey(r.node)]?.props, ctrlPropsOf(state)]
  return (inherited(ALLOW_CLEANUP, chain) ?? 'true').toLowerCase() !== 'false'
}

/** A disk for the diskless replica on its own node (toggle-disk), as LINSTOR's AutoDiskfulTask does. */
function toggleDiskful(state: ClusterState, r: RscRec, facts: AutoDiskfulFacts, ids: Ids): {rsc: RscRec} | {reason: string} {
  try {
    return {rsc: toggleDisk(state, r.rscDfn, r.node, {diskless: false}, facts, ids).rsc}
  } catch (e) {
    if (!(e instanceof ApiFailure)) throw e
    return {reason: [e.text.message, e.text.details].filter(Boolean).join(' ')}
  }
}

export function autoDiskful(state: ClusterState, facts: AutoDiskfulFacts, ids: Ids): AutoDiskfulResult {
  const out: AutoDiskfulResult = {changes: [], toggled: [], removed: [], messages: []}
  const watched = Object.values(state.rscDfns).filter((rd) => !rd.flags.includes('DELETE') && thresholdMinutes(state, rd) !== undefined)
  for (const rd of watched) {
    const minutes = thresholdMinutes(state, rd) as number
    const rscs = rscsOf(state, rd.name).filter((r) => !r.flags.includes('DELETE'))
    const due = rscs.filter((r) => {
      const since = isDiskless(r) && r.layerStack.includes('DRBD') ? facts.primarySince(r.rscDfn, r.node) : undefined
      return since !== undefined && facts.now - since >= minutes * 60_000
    })
    for (const r of due.slice(0, 1)) {
      const t = toggleDiskful(state, r, facts, ids)
      if ('reason' in t) {
        out.messages.push(`Resource '${rd.name}' on '${r.node}' stays diskless: ${t.reason}`)
        continue
      }
      out.changes.push({t: 'rscs', k: key2(rd.name, r.node), v: t.rsc})
      out.toggled.push(t.rsc)
      out.messages.push(`Resource '${rd.name}' on '${r.node}' has been Primary for ${minutes} minute(s) without a disk: it gets one.`)
    }
    // Cleanup waits for a toggle of this run to be stored, synced and reported.
    if (due.length || !rscs.some((r) => !isDiskless(r) && facts.inUse(r.rscDfn, r.node))) continue
    for (const r of surplusReplicas(state, rd.name, placeCountOf(state, rd), facts.reportOf, facts.inUse, (x) => mayCleanUp(state, rd, x))) {
      out.changes.push({t: 'rscs', k: key2(rd.name, r.node), v: withFlag(r, 'DELETE')})
      out.removed.push(r)
      out.messages.push(`Resource '${rd.name}' on '${r.node}' removed: its Primary has a disk now and the place count is met.`)
    }
  }
  return out
}
