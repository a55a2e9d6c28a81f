import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {completeDeletions} from '../../src/controller/model/deletion.ts'
import {markRscDfnDeleted, markVlmDfnDeleted} from '../../src/controller/model/resource-definition.ts'
import {markRscDeleted, type RscRec} from '../../src/controller/model/resource.ts'
import {emptyState, key2, type ClusterState} from '../../src/controller/model/state.ts'
import {PROTOCOL_VERSION, type SatelliteReport, type VolumeReport} from '../../src/protocol/messages.ts'
import {Rc} from '../../src/common/api-call-rc.ts'
import {apply, failsWith} from '../support/model.ts'

function cluster(): ClusterState {
  const s = emptyState()
  s.rscDfns.R1 = {name: 'r1', rscGrp: 'DfltRscGrp', props: {}, flags: [], uuid: 'u'}
  for (const nr of [0, 1]) s.vlmDfns[key2('r1', nr)] = {rscDfn: 'r1', vlmNr: nr, sizeKib: 1024, props: {}, flags: [], uuid: 'u'}
  for (const node of ['n1', 'n2']) {
    const r: RscRec = {rscDfn: 'r1', node, props: {}, flags: [], layerStack: ['STORAGE'], pools: {0: 'sp', 1: 'sp'}, uuid: 'u', createTs: 0}
    s.rscs[key2('r1', node)] = r
  }
  return s
}

const report = (volumes: [string, number][]): SatelliteReport => ({
  protocol: PROTOCOL_VERSION, version: 't', instance: 'i', generation: 1, uname: 'x', snapshots: [], providers: {supported: [], unsupported: {}},
  layers: {supported: [], unsupported: {}}, pools: {}, errors: [], drbd: [],
  volumes: volumes.map(([rsc, vlmNr]): VolumeReport => ({rsc, vlmNr, pool: 'sp', state: 'Created'})),
})

describe('two-step deletes', () => {
  test('a flagged resource goes once its node reports no volume of it, not before', () => {
    const s = cluster()
    apply(s, markRscDeleted(s, 'R1', 'N1') ?? [])
    assert.deepEqual(s.rscs[key2('r1', 'n1')]?.flags, ['DELETE'])
    assert.deepEqual(completeDeletions(s, () => report([['r1', 0], ['r1', 1]])), [])
    assert.deepEqual(completeDeletions(s, () => undefined), [], 'no report (offline): nothing is assumed')
    assert.deepEqual(completeDeletions(s, (n) => (n === 'n1' ? report([]) : report([['r1', 0], ['r1', 1]]))), [{t: 'rscs', k: 'R1/N1'}])
  })

  test('a resource open on its node (DRBD Primary) is not deleted: FAIL_IN_USE, nothing flagged', () => {
    const s = cluster()
    const inUse = (rsc: string, node: string): boolean => rsc === 'r1' && node === 'n2'
    failsWith(() => markRscDfnDeleted(s, 'r1', inUse), Rc.FAIL_IN_USE, /Resource 'r1' is in use on 'n2'/)
    failsWith(() => markRscDeleted(s, 'r1', 'n2', inUse), Rc.FAIL_IN_USE)
    assert.ok(markRscDeleted(s, 'r1', 'n1', inUse), 'the closed replica can go')
    assert.ok(Object.values(s.rscs).every((r) => r.flags.length === 0))
  })

  test('a definition with resources is flagged, and goes with its volume definitions when the last resource is gone', () => {
    const s = cluster()
    apply(s, markRscDfnDeleted(s, 'r1') ?? [])
    assert.ok(s.rscDfns.R1?.flags.includes('DELETE'))
    assert.ok(Object.values(s.rscs).every((r) => r.flags.includes('DELETE')))
    const changes = completeDeletions(s, () => report([]))
    apply(s, changes)
    assert.deepEqual([Object.keys(s.rscs), Object.keys(s.rscDfns), Object.keys(s.vlmDfns)], [[], [], []])
  })

  test('a definition without resources goes at once; a missing one is undefined (already gone)', () => {
    const s = cluster()
    s.rscs = {}
    apply(s, markRscDfnDeleted(s, 'R1') ?? [])
    assert.deepEqual([Object.keys(s.rscDfns), Object.keys(s.vlmDfns)], [[], []])
    assert.equal(markRscDfnDeleted(s, 'R1'), undefined)
  })

  test('a volume definition goes when no node holds the volume; resources stop pointing at a pool for it', () => {
    const s = cluster()
    apply(s, markVlmDfnDeleted(s, 'r1', '1') ?? [])
    assert.deepEqual(s.vlmDfns[key2('r1', 1)]?.flags, ['DELETE'])
    assert.deepEqual(completeDeletions(s, (n) => report(n === 'n1' ? [['r1', 0]] : [['r1', 0], ['r1', 1]])), [])
    apply(s, completeDeletions(s, () => report([['r1', 0]])))
    assert.equal(s.vlmDfns[key2('r1', 1)], undefined)
    assert.deepEqual(Object.values(s.rscs).map((r) => Object.keys(r.pools)), [['0'], ['0']])
  })
})
