// Node evacuation and restore. Evacuating moves every replica off a node without losing
// redundancy: each diskful replica gets a replacement placed elsewhere by the autoplacer and is
// flagged EVACUATE; it is deleted once its node's peers report the replacement up to date.
// Diskless replicas (clients, tie-breakers) just go. Restore ends it. Pure.
import {Rc, type RcText} from '../../common/api-call-rc.ts'
import {object, optBool, optStringList} from '../../common/input.ts'
import {nameKey} from '../../common/names.ts'
import type {SatelliteReport} from '../../protocol/messages.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import {withFlag} from './flags.ts'
import {refuseInUse, type InUse} from './in-use.ts'
import {findNode, hasSatellite, type NodeRec} from './node.ts'
import {isUpToDate} from './replica-count.ts'
import {autoplaceRsc, isDiskless, type PlacementFacts, type RscRec} from './resource.ts'
import type {SelectFilter} from './select-filter.ts'
import {markSnapshotDeleted} from './snapshot.ts'
import {key2, type Change, type ClusterState} from './state.ts'
import {rscsInStep, rscsOnNode} from './state-index.ts'

export interface Note {code: bigint, text: RcText}

/** Nodes a replacement may or may not go to (NodeEvacuate's target and do_not_target). */
export interface Targets {target?: readonly string[], doNotTarget?: readonly string[]}

export type Replacement = {ok: true, rscs: RscRec[], changes: Change[]} | {ok: false, reasons: string[]}

const EVACUATE = 'EVACUATE'
const nodeKey = (n: NodeRec): string => nameKey(n.name)

/**
 * One more diskful replica of `r`'s definition, placed by the autoplacer with the resource
 * group's filter, never on a node that is being evacuated or is evicted (nor on `r`'s own).
 */
export function replaceReplica(state: ClusterState, r: RscRec, facts: PlacementFacts, ids: Ids, targets: Targets = {}): Replacement {
  const rd = state.rscDfns[nameKey(r.rscDfn)]
  if (!rd) return {ok: false, reasons: [`Resource definition '${r.rscDfn}' not found.`]}
  const group = state.rscGrps[nameKey(rd.rscGrp)]?.selectFilter ?? {}
  const allowed = (targets.target ?? group.node_name_list ?? Object.values(state.nodes).map((n) => n.name)).map(nameKey)
  const refused = new Set([nameKey(r.node), ...(targets.doNotTarget ?? []).map(nameKey)])
  const nodeList = Object.values(state.nodes).filter((n) => allowed.includes(nodeKey(n)) && !refused.has(nodeKey(n))).map((n) => n.name)
  const filter: SelectFilter = {...group, node_name_list: nodeList, additional_place_count: 1, diskless_on_remaining: false}
  try {
    const placed = autoplaceRsc(state, rd, filter, facts, ids)
    return {ok: true, ...placed}
  } catch (e) {
    if (!(e instanceof ApiFailure)) throw e
    return {ok: false, reasons: [e.text.message, ...(e.text.details ? e.text.details.split('\n') : [])]}
  }
}

function readTargets(state: ClusterState, body: unknown): Targets {
  const o = asApiFailure(() => object(body ?? {}, 'node evacuate'))
  const list = (field: string): string[] | undefined => {
    const names = asApiFailure(() => optStringList(o[field], field))
    for (const n of names ?? []) findNode(state, n)
    return names
  }
  return {target: list('target'), doNotTarget: list('do_not_target')}
}

export interface EvacuationResult {node: NodeRec, placed: RscRec[], changes: Change[], notes: Note[]}

/**
 * `node evacuate`: refused while a resource on the node is in use (its user would lose the
 * device). Places a replacement for each diskful replica and flags the node and the replicas
 * EVACUATE; a replica without a replacement stays, with a warning, and is retried later.
 */
export function evacuateNode(state: ClusterState, name: string, body: unknown, facts: PlacementFacts, ids: Ids, inUse: InUse): EvacuationResult {
  const node = findNode(state, name)
  const targets = readTargets(state, body)
  const mine = rscsOnNode(state, node.name).filter((r) => !r.flags.includes('DELETE'))
  refuseInUse(mine, inUse, 'evacuate')
  const flagged = withFlag(node, EVACUATE)
  // Placement must already see the node as evacuating.
  const view: ClusterState = {...state, nodes: {...state.nodes, [nodeKey(node)]: flagged}}
  const changes: Change[] = [{t: 'nodes', k: nodeKey(node), v: flagged}]
  const placed: RscRec[] = []
  const notes: Note[] = []
  for (const r of mine) {
    if (isDiskless(r)) {
      changes.push({t: 'rscs', k: key2(r.rscDfn, r.node), v: withFlag(r, 'DELETE')})
      continue
    }
    if (r.flags.includes(EVACUATE) && r.replacement) continue
    const step = evacuateReplica(view, r, facts, ids, targets)
    changes.push(...step.changes)
    placed.push(...step.placed)
    notes.push(...step.notes)
  }
  return {node: flagged, placed, changes, notes}
}

/** One diskful replica: flagged EVACUATE, with its replacement if the autoplacer finds one. */
function evacuateReplica(state: ClusterState, r: RscRec, facts: PlacementFacts, ids: Ids, targets: Targets = {}): {changes: Change[], placed: RscRec[], notes: Note[]} {
  const rep = replaceReplica(state, r, facts, ids, targets)
  const self = (v: RscRec): Change => ({t: 'rscs', k: key2(r.rscDfn, r.node), v})
  if (!rep.ok) {
    return {changes: r.flags.includes(EVACUATE) ? [] : [self(withFlag(r, EVACUATE))], placed: [], notes: [{code: Rc.WARN_NOT_ENOUGH_NODES, text: {
      message: `No node can take over resource '${r.rscDfn}' from '${r.node}'; it stays there for now.`,
      details: rep.reasons.join('\n'),
      correction: 'Add a node or storage pool, relax the resource group\'s placement filter, or lower its place count. ' +
        'The evacuation retries on its own.'}}]}
  }
  const target = rep.rscs.find((x) => !isDiskless(x)) as RscRec
  const notes: Note[] = [{code: Rc.CREATED, text: {message: `Resource '${r.rscDfn}' is moving from '${r.node}' to '${target.node}'.`,
    obj_refs: {RscDfn: r.rscDfn, Node: target.node}}}]
  if (!r.layerStack.includes('DRBD')) {
    notes.push({code: Rc.WARN_INVLD_CONF, text: {
      message: `Resource '${r.rscDfn}' has no DRBD layer: its new volume on '${target.node}' starts empty.`,
      cause: 'Without DRBD nothing copies the data between nodes.',
      correction: `Copy what matters from '${r.node}' before the old volume is removed.`}})
  }
  return {changes: [...rep.changes, self({...withFlag(r, EVACUATE), replacement: target.node})], placed: rep.rscs, notes}
}

/**
 * Evacuating replicas still without a replacement (or whose replacement was deleted since) get
 * one if the autoplacer finds one now: the periodic retry.
 */
export function retryEvacuations(state: ClusterState, facts: PlacementFacts, ids: Ids): {changes: Change[], placed: RscRec[], notes: Note[]} {
  const out = {changes: [] as Change[], placed: [] as RscRec[], notes: [] as Note[]}
  for (const r of evacuating(state)) {
    const rep = r.replacement ? state.rscs[key2(r.rscDfn, r.replacement)] : undefined
    if (rep && !rep.flags.includes('DELETE') && !isDiskless(rep)) continue
    const step = evacuateReplica(state, {...r, replacement: undefined}, facts, ids)
    out.changes.push(...step.changes)
    out.placed.push(...step.placed)
    out.notes.push(...step.notes)
  }
  return out
}

const evacuating = (state: ClusterState): RscRec[] =>
  rscsInStep(state).flatMap(([, r]) => (r.flags.includes(EVACUATE) && !r.flags.includes('DELETE') ? [r] : []))

/** The second step, from satellite reports: an evacuating replica goes once its replacement is up to date. */
export function completeEvacuations(state: ClusterState, reportOf: (node: string) => SatelliteReport | undefined): Change[] {
  return evacuating(state).flatMap((r): Change[] => {
    const rep = r.replacement ? state.rscs[key2(r.rscDfn, r.replacement)] : undefined
    if (!rep || rep.flags.includes('DELETE') || !isUpToDate(state, rep, reportOf(rep.node))) return []
    return [{t: 'rscs', k: key2(r.rscDfn, r.node), v: withFlag(r, 'DELETE')}]
  })
}

/**
 * `node restore`: the node takes resources again. Moves already under way finish; replicas that
 * found no replacement stay. An evicted node keeps what eviction did not re-place. With
 * delete_resources (delete_snapshots) what is left on the node is deleted as well.
 */
export function restoreNode(state: ClusterState, name: string, body: unknown): {node: NodeRec, changes: Change[], notes: Note[]} {
  const node = findNode(state, name)
  const o = asApiFailure(() => object(body ?? {}, 'node restore'))
  const deleteRscs = asApiFailure(() => optBool(o.delete_resources, 'delete_resources')) ?? false
  const deleteSnaps = asApiFailure(() => optBool(o.delete_snapshots, 'delete_snapshots')) ?? false
  const wasEvicted = node.flags.includes('EVICTED')
  if (!wasEvicted && !node.flags.includes(EVACUATE)) {
    return {node, changes: [], notes: [{code: Rc.WARN_NOT_EVACUATING, text: {message: `Node '${node.name}' is neither evacuating nor evicted.`,
      details: 'Nothing to restore.'}}]}
  }
  const restored: NodeRec = {...node, flags: node.flags.filter((f) => f !== EVACUATE && f !== 'EVICTED')}
  const changes: Change[] = [{t: 'nodes', k: nodeKey(node), v: restored}]
  for (const r of rscsOnNode(state, node.name)) {
    if (r.flags.includes('DELETE')) continue
    const k = key2(r.rscDfn, r.node)
    if (deleteRscs) changes.push({t: 'rscs', k, v: withFlag(r, 'DELETE')})
    else if (r.flags.includes(EVACUATE) && !r.replacement) changes.push({t: 'rscs', k, v: {...r, flags: r.flags.filter((f) => f !== EVACUATE)}})
  }
  if (deleteSnaps) {
    for (const s of Object.values(state.snaps)) {
      if (nameKey(s.node) === nodeKey(node) && !s.flags.includes('DELETE')) changes.push(...markSnapshotDeleted(state, s.rscDfn, s.snap, [s.node]) ?? [])
    }
  }
  const notes: Note[] = [{code: Rc.MODIFIED, text: {message: `Node '${node.name}' restored.`,
    details: wasEvicted && hasSatellite(node.type) ? 'The controller connects to its satellite again.' : undefined}}]
  return {node: restored, changes, notes}
}
