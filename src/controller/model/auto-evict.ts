// Auto-evict, as the guide gives it: a satellite offline longer than DrbdOptions/AutoEvictAfterTime
// minutes, whose DRBD peers lost it too, becomes EVICTED unless more than
// AutoEvictMaxDisconnectedNodes percent of the nodes are unreachable (then the controller is the
// likelier culprit) or AutoEvictAllowEviction is false. Its DRBD resources are deleted where
// enough replicas remain (AutoEvictMinReplicaCount, else the place count); elsewhere a
// replacement is placed first, and retried on later runs while none can be. Pure.
import {nameKey} from '../../common/names.ts'
import type {SatelliteReport} from '../../protocol/messages.ts'
import type {Ids} from './api-failure.ts'
import {ctrlPropsOf} from './controller-props.ts'
import {replaceReplica} from './evacuation.ts'
import {withFlag} from './flags.ts'
import {hasSatellite, type NodeRec} from './node.ts'
import {inherited} from './props.ts'
import {diskfulReplicas, placeCountOf} from './replica-count.ts'
import {isDiskless, type PlacementFacts, type RscRec} from './resource.ts'
import {key2, type Change, type ClusterState} from './state.ts'
import {rscsOnNode} from './state-index.ts'
import {drbdOf} from '../../protocol/report-lookup.ts'

export const AFTER_TIME = 'DrbdOptions/AutoEvictAfterTime'
export const MAX_DISCONNECTED = 'DrbdOptions/AutoEvictMaxDisconnectedNodes'
export const ALLOW_EVICTION = 'DrbdOptions/AutoEvictAllowEviction'
export const MIN_REPLICA_COUNT = 'DrbdOptions/AutoEvictMinReplicaCount'

export interface EvictionFacts {
  now: number
  /** Since when the controller has not reached the node's satellite; undefined while it is ONLINE. */
  offlineSince(node: string): number | undefined
  reportOf(node: string): SatelliteReport | undefined
  placement: PlacementFacts
}

export interface EvictionResult {changes: Change[], evicted: string[], placed: RscRec[], messages: string[]}

const number = (v: string | undefined): number | undefined => (v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined)

/** When the node will be (or would have been) evicted: its offline time plus AutoEvictAfterTime. */
export function evictionTime(state: ClusterState, node: NodeRec, offlineSince: number): number {
  const minutes = number(inherited(AFTER_TIME, [node.props, ctrlPropsOf(state)])) ?? 60
  return offlineSince + minutes * 60_000
}

/** AutoEvictAllowEviction (node, then controller) unless it is false. */
const evictionAllowed = (state: ClusterState, n: NodeRec): boolean =>
  (inherited(ALLOW_EVICTION, [n.props, ctrlPropsOf(state)]) ?? 'true').toLowerCase() !== 'false'

/**
 * The node view's eviction_timestamp: when an offline satellite will be evicted if it stays
 * offline. Undefined while it is online, once it is evicted, or when it may not be evicted.
 */
export function evictionTimestamp(state: ClusterState, n: NodeRec, offlineSince: number | undefined): number | undefined {
  if (offlineSince === undefined || !hasSatellite(n.type) || n.flags.includes('EVICTED') || !evictionAllowed(state, n)) return undefined
  return evictionTime(state, n, offlineSince)
}

/** Whether some peer still has a DRBD connection to a resource on the node: then it is not gone. */
function peersStillConnected(state: ClusterState, node: NodeRec, reportOf: EvictionFacts['reportOf']): boolean {
  const others = Object.values(state.nodes).filter((n) => nameKey(n.name) !== nameKey(node.name))
  return rscsOnNode(state, node.name).some((r) => r.layerStack.includes('DRBD') && others.some((o) => {
    const conns = drbdOf(reportOf(o.name), r.rscDfn)?.connections ?? {}
    return Object.entries(conns).some(([peer, st]) => nameKey(peer) === nameKey(node.name) && st === 'Connected')
  }))
}

/** Nodes to evict now, by the guide's rules. */
export function nodesToEvict(state: ClusterState, facts: EvictionFacts): NodeRec[] {
  const ctrl = ctrlPropsOf(state)
  const satellites = Object.values(state.nodes).filter((n) => hasSatellite(n.type) && !n.flags.includes('EVICTED'))
  const offline = satellites.filter((n) => facts.offlineSince(n.name) !== undefined)
  const maxPercent = Math.min(100, Math.max(0, number(ctrl[MAX_DISCONNECTED]) ?? 34))
  if (!offline.length || (offline.length * 100) / satellites.length > maxPercent) return []
  return offline.filter((n) => evictionAllowed(state, n) && facts.now >= evictionTime(state, n, facts.offlineSince(n.name) as number) &&
    !peersStillConnected(state, n, facts.reportOf))
}

/** The replicas the guide wants kept when a node is evicted: AutoEvictMinReplicaCount (RD > RG > controller), else the place count. */
function minReplicaCount(state: ClusterState, r: RscRec): number {
  const rd = state.rscDfns[nameKey(r.rscDfn)]
  if (!rd) return 0
  const v = number(inherited(MIN_REPLICA_COUNT, [rd.props, state.rscGrps[nameKey(rd.rscGrp)]?.props, ctrlPropsOf(state)]))
  return v ?? placeCountOf(state, rd)
}

/**
 * One run: evicts what is due, then handles the DRBD resources of every evicted node (new ones
 * and those whose replacement could not be placed before). Non-DRBD resources stay.
 */
export function autoEvict(state: ClusterState, facts: EvictionFacts, ids: Ids): EvictionResult {
  const out: EvictionResult = {changes: [], evicted: [], placed: [], messages: []}
  const nodes = {...state.nodes}
  for (const n of nodesToEvict(state, facts)) {
    const since = facts.offlineSince(n.name) as number
    nodes[nameKey(n.name)] = withFlag(n, 'EVICTED')
    out.changes.push({t: 'nodes', k: nameKey(n.name), v: nodes[nameKey(n.name)]})
    out.evicted.push(n.name)
    out.messages.push(`Node '${n.name}' evicted: offline since ${new Date(since).toISOString()}.`)
  }
  // Placement and replica counts must see the new evictions.
  const view: ClusterState = out.evicted.length ? {...state, nodes} : state
  // A definition gets one replacement per run: the next run counts it among the replicas.
  const replaced = new Set<string>()
  for (const n of Object.values(view.nodes).filter((x) => x.flags.includes('EVICTED'))) {
    for (const r of rscsOnNode(view, n.name)) {
      if (!r.layerStack.includes('DRBD') || r.flags.includes('DELETE') || replaced.has(nameKey(r.rscDfn))) continue
      const self: Change = {t: 'rscs', k: key2(r.rscDfn, r.node), v: withFlag(r, 'DELETE')}
      if (isDiskless(r) || diskfulReplicas(view, r.rscDfn).length >= minReplicaCount(view, r)) {
        out.changes.push(self)
        continue
      }
      const rep = replaceReplica(view, r, facts.placement, ids)
      replaced.add(nameKey(r.rscDfn))
      if (!rep.ok) {
        out.messages.push(`Resource '${r.rscDfn}' on evicted node '${n.name}' stays until a replacement can be placed: ${rep.reasons.join('; ')}`)
        continue
      }
      out.changes.push(...rep.changes, self)
      out.placed.push(...rep.rscs)
      out.messages.push(`Resource '${r.rscDfn}' on evicted node '${n.name}' replaced on ${rep.rscs.filter((x) => !isDiskless(x)).map((x) => `'${x.node}'`).join(', ')}.`)
    }
  }
  return out
}
