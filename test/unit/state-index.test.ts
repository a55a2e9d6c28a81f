import assert from 'node:assert/strict'
import {test} from 'node:test'
import type {RscRec} from '../../src/controller/model/resource.ts'
import {nodeVersion, poolsOnNode, rdsChangedSince, rscsInStep, rscsOfDfn, rscsOnNode, sharedVersion, stateVersion, vlmDfnsOfDfn} from '../../src/controller/model/state-index.ts'
import {applyChanges, emptyState, key2} from '../../src/controller/model/state.ts'

const rsc = (rd: string, node: string): RscRec => ({rscDfn: rd, node, props: {}, flags: [], layerStack: ['STORAGE'], pools: {}, uuid: 'u', createTs: 0})

test('indexes follow puts, replacements and deletes, case-insensitively', () => {
  const s = emptyState()
  applyChanges(s, [{t: 'rscs', k: key2('r1', 'n1'), v: rsc('r1', 'n1')}, {t: 'rscs', k: key2('r1', 'n2'), v: rsc('r1', 'n2')}])
  assert.deepEqual(rscsOfDfn(s, 'R1').map((r) => r.node).sort(), ['n1', 'n2'])
  applyChanges(s, [{t: 'rscs', k: key2('r2', 'n1'), v: rsc('r2', 'n1')}, {t: 'rscs', k: key2('r1', 'n2')}])
  assert.deepEqual(rscsOfDfn(s, 'r1').map((r) => r.node), ['n1'])
  assert.deepEqual(rscsOnNode(s, 'N1').map((r) => r.rscDfn).sort(), ['r1', 'r2'])
  assert.deepEqual(rscsOnNode(s, 'n2'), [])
  const replaced = {...rsc('r1', 'n1'), flags: ['DELETE']}
  applyChanges(s, [{t: 'rscs', k: key2('r1', 'n1'), v: replaced}])
  assert.equal(rscsOfDfn(s, 'r1')[0], replaced)
  applyChanges(s, [{t: 'vlmDfns', k: key2('r1', 0), v: {rscDfn: 'r1', vlmNr: 0, sizeKib: 1, props: {}, flags: [], uuid: 'u'}},
    {t: 'storPools', k: key2('n1', 'sp'), v: {node: 'n1', name: 'sp', kind: 'FILE', props: {}, externalLocking: false, uuid: 'u'}}])
  assert.deepEqual(vlmDfnsOfDfn(s, 'r1').map((v) => v.vlmNr), [0])
  assert.deepEqual(poolsOnNode(s, 'n1').map((p) => p.name), ['sp'])
})

test('a table replaced wholesale (db import, tests) rebuilds the index', () => {
  const s = emptyState()
  applyChanges(s, [{t: 'rscs', k: key2('r1', 'n1'), v: rsc('r1', 'n1')}])
  assert.equal(rscsOfDfn(s, 'r1').length, 1)
  s.rscs = {[key2('r9', 'n1')]: rsc('r9', 'n1')}
  assert.deepEqual(rscsOfDfn(s, 'r1'), [])
  assert.equal(rscsOfDfn(s, 'r9').length, 1)
})

test('a node\'s version changes with its resources, pools and snapshots, and with volume definitions of its resources', () => {
  const s = emptyState()
  applyChanges(s, [{t: 'rscs', k: key2('r1', 'n1'), v: rsc('r1', 'n1')}])
  const v1 = nodeVersion(s, 'n1')
  const other = nodeVersion(s, 'n2')
  applyChanges(s, [{t: 'kvs', k: 'X', v: {name: 'x', props: {}, uuid: 'u'}}])
  assert.equal(nodeVersion(s, 'N1'), v1, 'unrelated changes leave it')
  applyChanges(s, [{t: 'vlmDfns', k: key2('r1', 0), v: {rscDfn: 'r1', vlmNr: 0, sizeKib: 1, props: {}, flags: [], uuid: 'u'}}])
  const v2 = nodeVersion(s, 'n1')
  assert.notEqual(v2, v1)
  assert.equal(nodeVersion(s, 'n2'), other)
  applyChanges(s, [{t: 'storPools', k: key2('n2', 'sp'), v: {node: 'n2', name: 'sp', kind: 'FILE', props: {}, externalLocking: false, uuid: 'u'}}])
  assert.notEqual(nodeVersion(s, 'n2'), other)
  s.rscs = {...s.rscs}
  assert.notEqual(nodeVersion(s, 'n1'), v2, 'a rebuilt index never repeats a version')
})

test('resources in a step (disk toggles, migrations, evacuations) are listed while they are in it', () => {
  const s = emptyState()
  applyChanges(s, [{t: 'rscs', k: key2('r1', 'n1'), v: rsc('r1', 'n1')}, {t: 'rscs', k: key2('r1', 'n2'), v: {...rsc('r1', 'n2'), flags: ['DISK_ADDING']}},
    {t: 'rscs', k: key2('r2', 'n1'), v: {...rsc('r2', 'n1'), flags: ['EVACUATE']}}])
  assert.deepEqual(rscsInStep(s).map(([k]) => k).sort(), [key2('r1', 'n2'), key2('r2', 'n1')])
  applyChanges(s, [{t: 'rscs', k: key2('r1', 'n2'), v: {...rsc('r1', 'n2'), migrateFrom: 'n1'}}, {t: 'rscs', k: key2('r2', 'n1')}])
  assert.deepEqual(rscsInStep(s).map(([k, r]) => [k, r.migrateFrom]), [[key2('r1', 'n2'), 'n1']])
  applyChanges(s, [{t: 'rscs', k: key2('r1', 'n2'), v: rsc('r1', 'n2')}])
  assert.deepEqual(rscsInStep(s), [])
})

test('the definitions changed since a version are known until the index is rebuilt; shared records count apart', () => {
  const s = emptyState()
  applyChanges(s, [{t: 'rscs', k: key2('r1', 'n1'), v: rsc('r1', 'n1')}])
  const v0 = stateVersion(s)
  const shared0 = sharedVersion(s)
  assert.deepEqual(rdsChangedSince(s, v0), new Set())
  applyChanges(s, [{t: 'rscs', k: key2('r2', 'n1'), v: rsc('R2', 'n1')}, {t: 'rscConns', k: 'x', v: {rscDfn: 'r3', nodeA: 'n1', nodeB: 'n2', props: {}, uuid: 'u'}}])
  const v1 = stateVersion(s)
  applyChanges(s, [{t: 'rscs', k: key2('r1', 'n1')}])
  assert.deepEqual(rdsChangedSince(s, v0), new Set(['R2', 'R3', 'R1']))
  assert.deepEqual(rdsChangedSince(s, v1), new Set(['R1']))
  assert.equal(sharedVersion(s), shared0, 'resources and their connections are no shared records')
  applyChanges(s, [{t: 'kvs', k: 'K', v: {name: 'k', props: {}}}])
  assert.equal(sharedVersion(s), shared0, 'nor is the key-value store')
  applyChanges(s, [{t: 'ctrlProps', k: 'CTRL', v: {props: {a: 'b'}}}])
  assert.ok(sharedVersion(s) > shared0)
  s.rscs = {...s.rscs}
  assert.equal(rdsChangedSince(s, v1), undefined, 'a rebuilt index cannot tell')
})
