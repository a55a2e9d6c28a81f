// Secondary indexes over the cluster state (resources and volume definitions by definition,
// resources and pools by node), so that views and placement do not scan every table for every
// object. Kept beside the state in a WeakMap, never serialised; applyChanges keeps them current,
// and they are rebuilt if a table object was replaced wholesale.
import {nameKey} from '../../common/names.ts'
import type {RscDfnRec, VlmDfnRec} from './resource-definition.ts'
import type {RscRec} from './resource.ts'
import type {Change, ClusterState} from './state.ts'
import type {StorPoolRec} from './storage-pool.ts'
import type {SnapDfnRec, SnapRec} from './snapshot.ts'
import type {RscConnRec} from './connections.ts'

type Group<T> = Map<string, Map<string, T>>

/** Tables whose records go through the two-step delete and the snapshot completion. */
const tracked = ['rscs', 'vlmDfns', 'rscDfns', 'snaps', 'snapDfns'] as const
type Tracked = typeof tracked[number]

interface StateIndex {
  tables: Record<'rscs' | 'vlmDfns' | 'storPools' | Tracked, object>
  rscsByDfn: Group<RscRec>
  rscsByNode: Group<RscRec>
  vlmDfnsByDfn: Group<VlmDfnRec>
  poolsByNode: Group<StorPoolRec>
  /** Keys of records waiting for a satellite: flagged DELETE, snapshots not yet taken, clones not yet copied, rollbacks not yet done. */
  pending: Record<Tracked, Set<string>>
  /** Keys of resources in a step that reports complete: disk toggles and migrations (toggle-disk.ts), evacuations (evacuation.ts). */
  steps: Set<string>
  /** DRBD ports and minors in use, with how many records hold each (normally one). */
  ports: Map<number, number>
  minors: Map<number, number>
  /** Per node, a number that changes whenever something in the node's desired state may have. */
  versions: Map<string, number>
  baseVersion: number
  /**
   * Keys of resource definitions whose own records changed (it, its volumes, resources, snapshots
   * or connections), in the order of the versions in `changeVersions`; known from `changeFloor` on.
   */
  changedRds: string[]
  changeVersions: number[]
  changeFloor: number
  /** Changes with anything else a resource's desired state may read (nodes, pools, groups, controller properties…). */
  sharedVersion: number
  snapsByNode: Group<SnapRec>
  snapsByDfn: Group<SnapRec>
}

/** The change log's length that halves it: enough for syncs far apart, bounded memory. */
const CHANGE_LOG_MAX = 100_000

/** Versions come from one counter for the whole process, so a rebuilt index never repeats one. */
let versionCounter = 0

function count(m: Map<number, number>, n: number | undefined, add: boolean): void {
  if (n === undefined) return
  const c = (m.get(n) ?? 0) + (add ? 1 : -1)
  if (c > 0) m.set(n, c)
  else m.delete(n)
}

const isPending = (t: Tracked, v: {flags?: string[], rollbackTo?: string}): boolean => {
  const f = v.flags ?? []
  return f.includes('DELETE') || (t === 'rscs' && v.rollbackTo !== undefined) || (t === 'snapDfns' && !f.includes('SUCCESSFUL') && !f.includes('FAILED_DEPLOYMENT')) ||
    (t === 'rscDfns' && f.includes('CLONING'))
}

/** Tables whose records belong to one resource definition, and the name of that definition. */
const rscScoped: Partial<Record<Change['t'], (v: never) => string>> = {
  rscDfns: (v: RscDfnRec) => v.name, vlmDfns: (v: VlmDfnRec) => v.rscDfn, rscs: (v: RscRec) => v.rscDfn,
  snaps: (v: SnapRec) => v.rscDfn, snapDfns: (v: SnapDfnRec) => v.rscDfn, rscConns: (v: RscConnRec) => v.rscDfn,
}
/** Tables no desired state reads (external files and shipments go whole into every sync). */
const unread = new Set<Change['t']>(['kvs', 'authTokens', 'schedules', 'scheduledShippings', 'extFiles', 'shipments'])

// The names of toggle-disk.ts and evacuation.ts, spelled out: importing them would make a cycle.
const STEP_FLAGS = ['DISK_ADDING', 'DISK_REMOVE_REQUESTED', 'DISK_REMOVING', 'EVACUATE']
const inStep = (r: RscRec): boolean => r.migrateFrom !== undefined || r.flags.some((f) => STEP_FLAGS.includes(f))

const indexes = new WeakMap<ClusterState, StateIndex>()

function put<T>(g: Group<T>, group: string, key: string, v: T): void {
  let m = g.get(group)
  if (!m) g.set(group, (m = new Map()))
  m.set(key, v)
}

function drop<T>(g: Group<T>, group: string, key: string): void {
  const m = g.get(group)
  if (!m) return
  m.delete(key)
  if (!m.size) g.delete(group)
}

function index(idx: StateIndex, t: Change['t'], k: string, v: unknown, add: boolean): void {
  const op = add ? put : (g: Group<unknown>, group: string, key: string): void => drop(g, group, key)
  if ((tracked as readonly string[]).includes(t)) {
    const set = idx.pending[t as Tracked]
    if (add && isPending(t as Tracked, v as {flags?: string[]})) set.add(k)
    else if (!add) set.delete(k)
  }
  const bump = (node: string): void => void idx.versions.set(nameKey(node), ++versionCounter)
  const rdOf = rscScoped[t]
  if (rdOf) logChange(idx, nameKey(rdOf(v as never)))
  else if (!unread.has(t)) idx.sharedVersion = ++versionCounter
  if (t === 'rscs' || t === 'storPools' || t === 'snaps' || t === 'shipments') bump((v as {node: string}).node)
  if (t === 'vlmDfns' || t === 'rscDfns') {
    const rd = t === 'vlmDfns' ? (v as VlmDfnRec).rscDfn : (v as RscDfnRec).name
    for (const r of values(idx.rscsByDfn.get(nameKey(rd)))) bump(r.node)
  }
  // Every node hears of every external file (absent ones so that hosts drop them).
  if (t === 'extFiles') {
    idx.versions.clear()
    idx.baseVersion = ++versionCounter
  }
  if (t === 'rscDfns') count(idx.ports, (v as RscDfnRec).drbd?.port, add)
  if (t === 'vlmDfns') count(idx.minors, (v as VlmDfnRec).minor, add)
  if (t === 'rscs') {
    const r = v as RscRec
    if (add && inStep(r)) idx.steps.add(k)
    else if (!add) idx.steps.delete(k)
    op(idx.rscsByDfn as Group<unknown>, nameKey(r.rscDfn), k, r)
    op(idx.rscsByNode as Group<unknown>, nameKey(r.node), k, r)
  } else if (t === 'vlmDfns') {
    op(idx.vlmDfnsByDfn as Group<unknown>, nameKey((v as VlmDfnRec).rscDfn), k, v)
  } else if (t === 'storPools') {
    op(idx.poolsByNode as Group<unknown>, nameKey((v as StorPoolRec).node), k, v)
  } else if (t === 'snaps') {
    op(idx.snapsByNode as Group<unknown>, nameKey((v as SnapRec).node), k, v)
    op(idx.snapsByDfn as Group<unknown>, nameKey((v as SnapRec).rscDfn), k, v)
  }
}

function logChange(idx: StateIndex, rd: string): void {
  idx.changedRds.push(rd)
  idx.changeVersions.push(++versionCounter)
  if (idx.changedRds.length < CHANGE_LOG_MAX) return
  const drop = CHANGE_LOG_MAX / 2
  idx.changeFloor = idx.changeVersions[drop - 1] as number
  idx.changedRds.splice(0, drop)
  idx.changeVersions.splice(0, drop)
}

function build(state: ClusterState): StateIndex {
  const idx: StateIndex = {
    tables: {rscs: state.rscs, vlmDfns: state.vlmDfns, storPools: state.storPools, rscDfns: state.rscDfns, snaps: state.snaps, snapDfns: state.snapDfns},
    rscsByDfn: new Map(), rscsByNode: new Map(), vlmDfnsByDfn: new Map(), poolsByNode: new Map(),
    pending: {rscs: new Set(), vlmDfns: new Set(), rscDfns: new Set(), snaps: new Set(), snapDfns: new Set()}, steps: new Set(),
    ports: new Map(), minors: new Map(), versions: new Map(), baseVersion: ++versionCounter,
    changedRds: [], changeVersions: [], changeFloor: versionCounter, sharedVersion: versionCounter, snapsByNode: new Map(), snapsByDfn: new Map(),
  }
  for (const t of ['rscs', 'vlmDfns', 'storPools', 'rscDfns', 'snaps', 'snapDfns'] as const) {
    for (const [k, v] of Object.entries(state[t])) index(idx, t, k, v, true)
  }
  // Everything is new to a rebuilt index: no need to log it record by record.
  idx.changedRds = []
  idx.changeVersions = []
  idx.changeFloor = versionCounter
  indexes.set(state, idx)
  return idx
}

function current(state: ClusterState): StateIndex {
  const idx = indexes.get(state)
  // Called on every lookup: plain comparisons, no allocation.
  const t = idx?.tables
  const fresh = t && t.rscs === state.rscs && t.vlmDfns === state.vlmDfns && t.storPools === state.storPools &&
    t.rscDfns === state.rscDfns && t.snaps === state.snaps && t.snapDfns === state.snapDfns
  return fresh && idx ? idx : build(state)
}

/** Called by applyChanges before each change is applied, with the record it replaces. */
export function updateIndex(state: ClusterState, c: Change, old: unknown): void {
  const idx = indexes.get(state)
  if (!idx) return
  if (old !== undefined) index(idx, c.t, c.k, old, false)
  if (c.v !== undefined) index(idx, c.t, c.k, c.v, true)
}

const values = <T>(m: Map<string, T> | undefined): T[] => (m ? [...m.values()] : [])

export const rscsOfDfn = (state: ClusterState, rd: string): RscRec[] => values(current(state).rscsByDfn.get(nameKey(rd)))
export const rscsOnNode = (state: ClusterState, node: string): RscRec[] => values(current(state).rscsByNode.get(nameKey(node)))
export const vlmDfnsOfDfn = (state: ClusterState, rd: string): VlmDfnRec[] => values(current(state).vlmDfnsByDfn.get(nameKey(rd)))
/** Records of `table` waiting for satellites (flagged DELETE, or snapshots not yet taken), by key. */
export function pendingOf<T extends Tracked>(state: ClusterState, table: T): [string, ClusterState[T][string]][] {
  const tbl = state[table] as Record<string, ClusterState[T][string]>
  return [...current(state).pending[table]].flatMap((k) => (tbl[k] ? [[k, tbl[k]] as [string, ClusterState[T][string]]] : []))
}

/** Resources in a disk toggle, a disk migration or an evacuation, by key: what the reports may move on. */
export function rscsInStep(state: ClusterState): [string, RscRec][] {
  return [...current(state).steps].flatMap((k) => (state.rscs[k] ? [[k, state.rscs[k]] as [string, RscRec]] : []))
}

export const nodeVersion = (state: ClusterState, node: string): number => {
  const idx = current(state)
  return idx.versions.get(nameKey(node)) ?? idx.baseVersion
}

export const portsInUse = (state: ClusterState): ReadonlyMap<number, number> => current(state).ports
export const minorsInUse = (state: ClusterState): ReadonlyMap<number, number> => current(state).minors

export const snapsOnNode = (state: ClusterState, node: string): SnapRec[] => values(current(state).snapsByNode.get(nameKey(node)))

export const snapsOfDfn = (state: ClusterState, rd: string): SnapRec[] => values(current(state).snapsByDfn.get(nameKey(rd)))

/** A number that any later change to the state exceeds (after the index is current, which may count). */
export function stateVersion(state: ClusterState): number {
  current(state)
  return versionCounter
}

/**
 * A resource definition's part of a node's desired state is computed from its own records and
 * from shared ones (nodes, pools, groups, controller properties…). The keys of the definitions
 * whose own records changed after `version`, or undefined when that is no longer known (a rebuilt
 * index, a long time ago): then everything may have.
 */
export function rdsChangedSince(state: ClusterState, version: number): Set<string> | undefined {
  const idx = current(state)
  if (version < idx.changeFloor) return undefined
  const vs = idx.changeVersions
  let lo = 0
  let hi = vs.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((vs[mid] as number) <= version) lo = mid + 1
    else hi = mid
  }
  return new Set(idx.changedRds.slice(lo))
}
export const sharedVersion = (state: ClusterState): number => current(state).sharedVersion

export const rscCountOnNode = (state: ClusterState, node: string): number => current(state).rscsByNode.get(nameKey(node))?.size ?? 0

export const poolsOnNode = (state: ClusterState, node: string): StorPoolRec[] => values(current(state).poolsByNode.get(nameKey(node)))
