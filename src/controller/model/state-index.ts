// Secondary indexes over the cluster state (resources and volume definitions by definition,
// resources and pools by node), so that views and placement do not scan every table for every
// object. Kept beside the state in a WeakMap, never serialised; applyChanges keeps them current,
// and they are rebuilt if a table object was replaced wholesale.
import type {VlmDfnRec} from './resource-definition.ts'
import type {RscRec} from './resource.ts'
import type {Change, ClusterState} from './state.ts'
import type {StorPoolRec} from './storage-pool.ts'

type Group<T> = Map<string, Map<string, T>>

interface StateIndex {
  tables: {rscs: object, vlmDfns: object, storPools: object}
  rscsByDfn: Group<RscRec>
  rscsByNode: Group<RscRec>
  vlmDfnsByDfn: Group<VlmDfnRec>
  poolsByNode: Group<StorPoolRec>
}

const indexes = new WeakMap<ClusterState, StateIndex>()
const up = (s: string): string => s.toUpperCase()

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
  if (t === 'rscs') {
    const r = v as RscRec
    op(idx.rscsByDfn as Group<unknown>, up(r.rscDfn), k, r)
    op(idx.rscsByNode as Group<unknown>, up(r.node), k, r)
  } else if (t === 'vlmDfns') {
    op(idx.vlmDfnsByDfn as Group<unknown>, up((v as VlmDfnRec).rscDfn), k, v)
  } else if (t === 'storPools') {
    op(idx.poolsByNode as Group<unknown>, up((v as StorPoolRec).node), k, v)
  }
}

function build(state: ClusterState): StateIndex {
  const idx: StateIndex = {tables: {rscs: state.rscs, vlmDfns: state.vlmDfns, storPools: state.storPools},
    rscsByDfn: new Map(), rscsByNode: new Map(), vlmDfnsByDfn: new Map(), poolsByNode: new Map()}
  for (const t of ['rscs', 'vlmDfns', 'storPools'] as const) {
    for (const [k, v] of Object.entries(state[t])) index(idx, t, k, v, true)
  }
  indexes.set(state, idx)
  return idx
}

function current(state: ClusterState): StateIndex {
  const idx = indexes.get(state)
  const fresh = idx && idx.tables.rscs === state.rscs && idx.tables.vlmDfns === state.vlmDfns && idx.tables.storPools === state.storPools
  return fresh ? idx : build(state)
}

/** Called by applyChanges before each change is applied, with the record it replaces. */
export function updateIndex(state: ClusterState, c: Change, old: unknown): void {
  const idx = indexes.get(state)
  if (!idx) return
  if (old !== undefined) index(idx, c.t, c.k, old, false)
  if (c.v !== undefined) index(idx, c.t, c.k, c.v, true)
}

const values = <T>(m: Map<string, T> | undefined): T[] => (m ? [...m.values()] : [])

export const rscsOfDfn = (state: ClusterState, rd: string): RscRec[] => values(current(state).rscsByDfn.get(up(rd)))
export const rscsOnNode = (state: ClusterState, node: string): RscRec[] => values(current(state).rscsByNode.get(up(node)))
export const vlmDfnsOfDfn = (state: ClusterState, rd: string): VlmDfnRec[] => values(current(state).vlmDfnsByDfn.get(up(rd)))
export const poolsOnNode = (state: ClusterState, node: string): StorPoolRec[] => values(current(state).poolsByNode.get(up(node)))
