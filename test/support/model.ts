// Helpers for tests of the pure model: deterministic ids, applying a change set as the store
// would, and asserting the ApiFailure a call throws.
import assert from 'node:assert/strict'
import {ApiFailure, type Ids} from '../../src/controller/model/api-failure.ts'
import {applyChanges, type Change, type ClusterState} from '../../src/controller/model/state.ts'

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
