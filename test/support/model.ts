// Helpers for tests of the pure model: deterministic ids, applying a change set as the store
// would, and asserting the ApiFailure a call throws.
import assert from 'node:assert/strict'
import {ApiFailure, type Ids} from '../../src/controller/model/api-failure.ts'
import {createNode} from '../../src/controller/model/node.ts'
import {defaultGroupChanges} from '../../src/controller/model/resource-group.ts'
import {applyChanges, emptyState, type Change, type ClusterState} from '../../src/controller/model/state.ts'
import {createStorPool} from '../../src/controller/model/storage-pool.ts'

export const NOW = 1_767_225_600_000

export function counterIds(): Ids {
  let n = 0
  return {uuid: () => `uuid-${++n}`, now: () => NOW}
}

export function apply(state: ClusterState, changes: Change[]): void {
  applyChanges(state, changes)
  state.seq++
}

export function failsWith(fn: () => unknown, code: bigint, message?: RegExp): ApiFailure {
  let caught: ApiFailure | undefined
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ApiFailure, `expected ApiFailure, got ${String(e)}`)
    assert.equal(e.code, code, `code ${e.code} (${e.message})`)
    if (message) assert.match(e.text.message, message)
    caught = e
    return true
  })
  return caught as ApiFailure
}

/** A pool as tests declare it: FILE_THIN unless `kind` says otherwise. */
export interface TestPool {name: string, kind?: string}

/** DfltRscGrp and satellites n1…nN at 10.0.0.1…, each with the pools `poolsOf` gives it. */
export function modelCluster(count: number, poolsOf: (node: string) => TestPool[]): {state: ClusterState, ids: Ids} {
  const state = emptyState()
  const ids = counterIds()
  apply(state, defaultGroupChanges(state, ids))
  for (let i = 1; i <= count; i++) {
    const n = `n${i}`
    apply(state, createNode(state, {name: n, type: 'SATELLITE', net_interfaces: [{address: `10.0.0.${i}`}]}, ids).changes)
    for (const p of poolsOf(n)) {
      apply(state, createStorPool(state, n, {storage_pool_name: p.name, provider_kind: p.kind ?? 'FILE_THIN', props: {'StorDriver/StorPoolName': `/srv/${p.name}`}}, ids).changes)
    }
  }
  return {state, ids}
}
