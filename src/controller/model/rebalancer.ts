// The resource-group balance task (LINSTOR ≥ 1.26): every BalanceResourcesInterval seconds,
// definitions with fewer diskful replicas than their group's place count get more from the
// autoplacer, and those with more lose the newest surplus Secondary replicas once all are up to
// date. BalanceResourcesEnabled (RD > RG > controller, default true) turns it off; definitions
// with a replica newer than BalanceResourcesGracePeriod seconds, or with replicas being deleted
// or evacuated or on an evicted node, are left alone this time. Pure.
import {nameKey} from '../../common/names.ts'
import type {SatelliteReport} from '../../protocol/messages.ts'
import {ApiFailure, type Ids} from './api-failure.ts'
import {ctrlPropsOf} from './controller-props.ts'
import {withFlag} from './flags.ts'
import type {InUse} from './in-use.ts'
import {inherited} from './props.ts'
import {diskfulReplicas, placeCountOf, surplusReplicas} from './replica-count.ts'
import {vlmDfnsOf, type RscDfnRec} from './resource-definition.ts'
import {autoplaceRsc, rscsOf, type PlacementFacts, type RscRec} from './resource.ts'
import {key2, type Change, type ClusterState} from './state.ts'

export const ENABLED = 'BalanceResourcesEnabled'
export const INTERVAL = 'BalanceResourcesInterval'
export const GRACE_PERIOD = 'BalanceResourcesGracePeriod'

export interface BalanceSettings {intervalMs: number, graceMs: number}

const seconds = (v: string | undefined, dflt: number): number => {
  const n = v === undefined || v.trim() === '' ? NaN : Number(v)
  return (Number.isFinite(n) && n >= 0 ? n : dflt) * 1000
}

/** The controller's BalanceResourcesInterval and GracePeriod; an hour each by default. */
export function balanceSettings(state: ClusterState): BalanceSettings {
  const ctrl = ctrlPropsOf(state)
  return {intervalMs: seconds(ctrl[INTERVAL], 3600), graceMs: seconds(ctrl[GRACE_PERIOD], 3600)}
}

export interface BalanceFacts {
  now: number
  reportOf(node: string): SatelliteReport | undefined
  inUse: InUse
  placement: PlacementFacts
}

export interface BalanceResult {changes: Change[], placed: RscRec[], removed: RscRec[], messages: string[]}

function balanced(state: ClusterState, rd: RscDfnRec, graceMs: number, now: number): boolean {
  const rg = state.rscGrps[nameKey(rd.rscGrp)]
  const enabled = (inherited(ENABLED, [rd.props, rg?.props, ctrlPropsOf(state)]) ?? 'true').toLowerCase() !== 'false'
  const rscs = rscsOf(state, rd.name)
  return enabled && !rd.flags.includes('DELETE') && !rd.flags.includes('CLONING') && vlmDfnsOf(state, rd.name).length > 0 &&
    // Definitions spawned without resources stay so: someone placing them by hand is not overruled.
    rscs.length > 0 && rscs.every((r) => now - r.createTs >= graceMs && !r.flags.includes('DELETE') && !r.flags.includes('EVACUATE') &&
      // Replicas on an evicted node are auto-evict's (or the administrator's) to settle.
      !state.nodes[nameKey(r.node)]?.flags.includes('EVICTED'))
}

export function balanceResources(state: ClusterState, facts: BalanceFacts, ids: Ids): BalanceResult {
  const out: BalanceResult = {changes: [], placed: [], removed: [], messages: []}
  const {graceMs} = balanceSettings(state)
  for (const rd of Object.values(state.rscDfns)) {
    if (!balanced(state, rd, graceMs, facts.now)) continue
    const want = placeCountOf(state, rd)
    const have = diskfulReplicas(state, rd.name).length
    if (have < want) {
      const group = state.rscGrps[nameKey(rd.rscGrp)]?.selectFilter ?? {}
      try {
        const placed = autoplaceRsc(state, rd, {...group, additional_place_count: want - have, diskless_on_remaining: false}, facts.placement, ids)
        out.changes.push(...placed.changes)
        out.placed.push(...placed.rscs)
        out.messages.push(`Resource '${rd.name}' had ${have} of ${want} replicas: placed on ${placed.rscs.map((r) => `'${r.node}'`).join(', ')}.`)
      } catch (e) {
        if (!(e instanceof ApiFailure)) throw e
        out.messages.push(`Resource '${rd.name}' has ${have} of ${want} replicas and no node can take another: ${e.text.details ?? e.text.message}`)
      }
    } else if (have > want) {
      for (const r of surplusReplicas(state, rd.name, want, facts.reportOf, facts.inUse)) {
        out.changes.push({t: 'rscs', k: key2(rd.name, r.node), v: withFlag(r, 'DELETE')})
        out.removed.push(r)
        out.messages.push(`Resource '${rd.name}' had ${have} replicas for a place count of ${want}: removed from '${r.node}'.`)
      }
    }
  }
  return out
}
