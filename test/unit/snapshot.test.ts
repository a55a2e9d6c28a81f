import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {Rc} from '../../src/common/api-call-rc.ts'
import {completeSnapshots, createSnapshot, markSnapshotDeleted, restoreResources, restoreVlmDfns} from '../../src/controller/model/snapshot.ts'
import {createNode} from '../../src/controller/model/node.ts'
import {createStorPool} from '../../src/controller/model/storage-pool.ts'
import {createRscDfn, type RscDfnRec} from '../../src/controller/model/resource-definition.ts'
import {cloneRscDfn, cloneStatus, completeClones} from '../../src/controller/model/clone.ts'
import {defaultGroupChanges} from '../../src/controller/model/resource-group.ts'
import {completeRollbacks, rollbackSnapshot} from '../../src/controller/model/rollback.ts'
import {spawn} from '../../src/controller/model/spawn.ts'
import {desiredStateFor} from '../../src/controller/model/desired-state.ts'
import {emptyState, type ClusterState} from '../../src/controller/model/state.ts'
import {PROTOCOL_VERSION, type SatelliteReport, type SnapshotReport} from '../../src/protocol/messages.ts'
import {parseSnapshotName, snapshotName} from '../../src/satellite/providers/provider.ts'
import {planSnapshots} from '../../src/satellite/reconcile.ts'
import {apply, counterIds, failsWith} from '../support/model.ts'

function cluster(kind = 'FILE_THIN'): {state: ClusterState, ids: ReturnType<typeof counterIds>} {
  const state = emptyState()
  const ids = counterIds()
  apply(state, defaultGroupChanges(state, ids))
  for (const n of ['n1', 'n2']) {
    apply(state, createNode(state, {name: n, type: 'SATELLITE', net_interfaces: [{name: 'default', address: '10.0.0.1'}]}, ids).changes)
    apply(state, createStorPool(state, n, {storage_pool_name: 'pool1', provider_kind: kind, props: {'StorDriver/FileDir': '/p'}}, ids).changes)
  }
  const facts = {online: () => true, layers: () => undefined, providers: () => undefined, capacity: () => ({freeKib: 1e9, totalKib: 1e9})}
  apply(state, spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [100, 200], select_filter: {layer_stack: ['STORAGE']}}, ids, facts).changes)
  return {state, ids}
}

const report = (snapshots: [string, string, number, SnapshotReport['state']][]): SatelliteReport => ({
  protocol: PROTOCOL_VERSION, version: 't', instance: 'i', generation: 1, uname: 'x', providers: {supported: [], unsupported: {}},
  layers: {supported: [], unsupported: {}}, pools: {}, volumes: [], errors: [], drbd: [],
  snapshots: snapshots.map(([rsc, snap, vlmNr, state]) => ({rsc, snap, vlmNr, pool: 'pool1', state})),
})

describe('snapshot model', () => {
  test('a snapshot is taken on every diskful node and is SUCCESSFUL once all volumes are reported', () => {
    const {state, ids} = cluster()
    const {snaps, changes} = createSnapshot(state, 'r1', {name: 's1'}, ids)
    assert.deepEqual(snaps.map((s) => s.node), ['n1', 'n2'])
    apply(state, changes)
    assert.deepEqual(desiredStateFor(state, 'n1').snapshots.map((x) => [x.snap, x.vlmNr, x.present]), [['s1', 0, true], ['s1', 1, true]])
    const partial = (n: string): SatelliteReport => report(n === 'n1' ? [['r1', 's1', 0, 'Created'], ['r1', 's1', 1, 'Created']] : [['r1', 's1', 0, 'Created']])
    assert.deepEqual(completeSnapshots(state, partial), [])
    apply(state, completeSnapshots(state, () => report([['r1', 's1', 0, 'Created'], ['r1', 's1', 1, 'Created']])))
    assert.deepEqual(state.snapDfns['R1/S1']?.flags, ['SUCCESSFUL'])
  })

  test('a failure on one node marks FAILED_DEPLOYMENT', () => {
    const {state, ids} = cluster()
    apply(state, createSnapshot(state, 'r1', {name: 's1'}, ids).changes)
    apply(state, completeSnapshots(state, () => report([['r1', 's1', 0, 'Created'], ['r1', 's1', 1, 'Failed']])))
    assert.deepEqual(state.snapDfns['R1/S1']?.flags, ['FAILED_DEPLOYMENT'])
  })

  test('refusals: fat pools, unknown nodes, duplicates in any case', () => {
    const fat = cluster('FILE')
    failsWith(() => createSnapshot(fat.state, 'r1', {name: 's1'}, fat.ids), Rc.FAIL_INVLD_STOR_DRIVER, /cannot take snapshots/)
    const {state, ids} = cluster()
    failsWith(() => createSnapshot(state, 'r1', {name: 's1', nodes: ['n9']}, ids), Rc.FAIL_NOT_FOUND_RSC)
    apply(state, createSnapshot(state, 'r1', {name: 's1'}, ids).changes)
    failsWith(() => createSnapshot(state, 'r1', {name: 'S1'}, ids), Rc.FAIL_EXISTS_SNAPSHOT_DFN)
  })

  test('delete flags, then the records go when no node reports the snapshot', () => {
    const {state, ids} = cluster()
    apply(state, createSnapshot(state, 'r1', {name: 's1'}, ids).changes)
    apply(state, markSnapshotDeleted(state, 'r1', 's1') ?? [])
    assert.ok(desiredStateFor(state, 'n2').snapshots.every((x) => !x.present))
    apply(state, completeSnapshots(state, (n) => report(n === 'n1' ? [] : [['r1', 's1', 0, 'Created']])))
    assert.deepEqual(Object.keys(state.snaps), ['R1/S1/N2'])
    apply(state, completeSnapshots(state, () => report([])))
    assert.deepEqual([Object.keys(state.snaps), Object.keys(state.snapDfns)], [[], []])
    assert.equal(markSnapshotDeleted(state, 'r1', 's1'), undefined)
  })

  test('restore: volume definitions from the snapshot, then resources that name their source', () => {
    const {state, ids} = cluster()
    apply(state, createSnapshot(state, 'r1', {name: 's1'}, ids).changes)
    apply(state, createRscDfn(state, {resource_definition: {name: 'r2'}}, ids).changes)
    failsWith(() => restoreResources(state, 'r1', 's1', {to_resource: 'r2'}, ids), Rc.FAIL_IN_USE, /not complete/)
    apply(state, completeSnapshots(state, () => report([['r1', 's1', 0, 'Created'], ['r1', 's1', 1, 'Created']])))
    failsWith(() => restoreResources(state, 'r1', 's1', {to_resource: 'r2'}, ids), Rc.FAIL_NOT_FOUND_VLM_DFN)
    apply(state, restoreVlmDfns(state, 'r1', 's1', {to_resource: 'r2'}, ids).changes)
    failsWith(() => restoreVlmDfns(state, 'r1', 's1', {to_resource: 'r2'}, ids), Rc.FAIL_EXISTS_VLM_DFN)
    const {rscs, changes} = restoreResources(state, 'r1', 's1', {to_resource: 'r2', nodes: ['N2']}, ids)
    assert.deepEqual(rscs.map((r) => [r.node, r.restoreFrom]), [['n2', {rscDfn: 'r1', snap: 's1'}]])
    apply(state, changes)
    assert.deepEqual(desiredStateFor(state, 'n2').volumes.filter((v) => v.rsc === 'r2').map((v) => [v.vlmNr, v.sizeKib, v.source]),
      [[0, 100, {rsc: 'r1', snap: 's1'}], [1, 200, {rsc: 'r1', snap: 's1'}]])
  })
})

describe('satellite side', () => {
  test('snapshot names round-trip and cannot be confused with volumes', () => {
    assert.equal(snapshotName({rsc: 'my_rsc', vlmNr: 3, snap: 'daily_1'}), 'my_rsc_00003@daily_1')
    assert.deepEqual(parseSnapshotName('my_rsc_00003@daily_1'), {rsc: 'my_rsc', vlmNr: 3, snap: 'daily_1'})
    for (const bad of ['my_rsc_00003', 'my_rsc_00003@', '@x', 'rsc_3@x']) assert.equal(parseSnapshotName(bad), undefined, bad)
  })

  test('planSnapshots: create the missing, remove the absent that exist, keep the rest', () => {
    const d = (snap: string, present: boolean) => ({rsc: 'r', snap, vlmNr: 0, pool: 'p', present})
    const plan = planSnapshots([d('a', true), d('b', true), d('c', false), d('e', false)], [{rsc: 'R', vlmNr: 0, snap: 'A'}, {rsc: 'r', vlmNr: 0, snap: 'c'}])
    assert.deepEqual([plan.keep.map((x) => x.snap), plan.create.map((x) => x.snap), plan.remove.map((x) => x.snap)], [['a'], ['b'], ['c']])
  })
})

describe('clone model', () => {
  test('a clone copies the volume definitions, sits on the source nodes, and is CLONING until every copy is reported', () => {
    const {state, ids} = cluster()
    const {rd, rscs, changes} = cloneRscDfn(state, 'r1', {name: 'c1'}, ids)
    assert.deepEqual([rd.flags, rscs.map((r) => [r.node, r.restoreFrom])], [['CLONING'], [['n1', {rscDfn: 'r1'}], ['n2', {rscDfn: 'r1'}]]])
    apply(state, changes)
    assert.deepEqual(desiredStateFor(state, 'n1').volumes.filter((v) => v.rsc === 'c1').map((v) => [v.vlmNr, v.sizeKib, v.source]),
      [[0, 100, {rsc: 'r1'}], [1, 200, {rsc: 'r1'}]])
    const vols = (n: string, state: 'Created' | 'Failed'): SatelliteReport => ({...report([]), volumes: [0, 1].map((vlmNr) => ({rsc: 'c1', vlmNr, pool: 'pool1', state}))})
    assert.deepEqual(completeClones(state, (n) => (n === 'n1' ? vols(n, 'Created') : undefined)), [])
    apply(state, completeClones(state, (n) => vols(n, 'Created')))
    assert.equal(cloneStatus(state.rscDfns.C1 as RscDfnRec), 'COMPLETE')
    failsWith(() => cloneRscDfn(state, 'r1', {name: 'C1'}, ids), Rc.FAIL_EXISTS_RSC_DFN)
  })
})

describe('snapshot rollback model', () => {
  const taken = (names: string[]): ClusterState => {
    const {state, ids} = cluster()
    let t = 0
    for (const name of names) {
      apply(state, createSnapshot(state, 'r1', {name}, {...ids, now: () => ++t}).changes)
      const all = (): SatelliteReport => report([['r1', name, 0, 'Created'], ['r1', name, 1, 'Created']])
      apply(state, completeSnapshots(state, all))
    }
    return state
  }
  const volReport = (rolledBackTo?: string): SatelliteReport => ({...report([]),
    volumes: [0, 1].map((vlmNr) => ({rsc: 'r1', vlmNr, pool: 'pool1', state: 'Created' as const, rolledBackTo}))})

  test('marks every diskful replica; the desired volumes carry the snapshot; done when reported', () => {
    const state = taken(['s1'])
    const {rscs, changes} = rollbackSnapshot(state, 'R1', 's1')
    assert.deepEqual(rscs.map((r) => [r.node, r.rollbackTo]), [['n1', 's1'], ['n2', 's1']])
    apply(state, changes)
    assert.deepEqual(desiredStateFor(state, 'n1').volumes.map((v) => v.rollbackTo), ['s1', 's1'])
    assert.deepEqual(completeRollbacks(state, () => volReport()), [], 'not reported yet')
    failsWith(() => rollbackSnapshot(state, 'r1', 's1'), Rc.FAIL_IN_USE, /busy/)
    apply(state, completeRollbacks(state, (n) => (n === 'n1' ? volReport('s1') : volReport())))
    assert.deepEqual(desiredStateFor(state, 'n1').volumes.map((v) => v.rollbackTo), [undefined, undefined])
    assert.deepEqual(desiredStateFor(state, 'n2').volumes.map((v) => v.rollbackTo), ['s1', 's1'])
  })

  test('only the newest snapshot; unknown, incomplete and missing-on-a-node snapshots are refused', () => {
    const state = taken(['s1', 's2'])
    failsWith(() => rollbackSnapshot(state, 'r1', 's1'), Rc.FAIL_IN_USE, /not the most recent/)
    failsWith(() => rollbackSnapshot(state, 'r1', 'nope'), Rc.FAIL_NOT_FOUND_SNAPSHOT_DFN)
    const {state: fresh, ids} = cluster()
    apply(fresh, createSnapshot(fresh, 'r1', {name: 'half', nodes: ['n1']}, ids).changes)
    failsWith(() => rollbackSnapshot(fresh, 'r1', 'half'), Rc.FAIL_IN_USE, /not complete/)
    apply(fresh, completeSnapshots(fresh, () => report([['r1', 'half', 0, 'Created'], ['r1', 'half', 1, 'Created']])))
    failsWith(() => rollbackSnapshot(fresh, 'r1', 'half'), Rc.FAIL_NOT_FOUND_SNAPSHOT, /does not exist on n2/)
  })
})
