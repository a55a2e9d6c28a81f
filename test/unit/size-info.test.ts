import assert from 'node:assert/strict'
import {test} from 'node:test'
import {findRscGrp} from '../../src/controller/model/resource-group.ts'
import type {PlacementFacts} from '../../src/controller/model/resource.ts'
import {maxVolumeSizes, sizeInfo} from '../../src/controller/model/size-info.ts'
import {type ClusterState} from '../../src/controller/model/state.ts'
import {modelCluster} from '../support/model.ts'

// Free KiB by node/pool: 'fast' (thin) on n1-n3, 'slow' (thick) on n1 and n2.
const free: Record<string, number> = {'N1/FAST': 5000, 'N2/FAST': 3000, 'N3/FAST': 1000, 'N1/SLOW': 9000, 'N2/SLOW': 7000}
const facts: PlacementFacts = {online: () => true, layers: () => undefined, providers: () => undefined,
  capacity: (node, pool) => {
    const f = free[`${node}/${pool}`.toUpperCase()]
    return f === undefined ? undefined : {freeKib: f, totalKib: f * 2}
  }}

const cluster = (): ClusterState => modelCluster(3, (n) => [{name: 'fast'}, ...(n === 'n3' ? [] : [{name: 'slow', kind: 'FILE'}])]).state

test('query-max-volume-size: per pool, the best nodes and the smallest of them; largest first; pools too few for the count left out', () => {
  const state = cluster()
  assert.deepEqual(maxVolumeSizes(state, facts, {place_count: 2, layer_stack: ['STORAGE']}), {default_max_oversubscription_ratio: 20, candidates: [
    {storage_pool: 'slow', max_volume_size_kib: 7000, node_names: ['n1', 'n2'], all_thin: false},
    {storage_pool: 'fast', max_volume_size_kib: 3000, node_names: ['n1', 'n2'], all_thin: true},
  ]})
  assert.deepEqual(maxVolumeSizes(state, facts, {place_count: 3, layer_stack: ['STORAGE']}).candidates,
    [{storage_pool: 'fast', max_volume_size_kib: 1000, node_names: ['n1', 'n2', 'n3'], all_thin: true}])
  assert.deepEqual(maxVolumeSizes(state, facts, {place_count: 2, layer_stack: ['STORAGE'], storage_pool: 'fast'}).candidates?.map((c) => c.storage_pool), ['fast'])
})

test('query-size-info: the largest volume of the next spawn, and the space shared by the replicas', () => {
  const state = cluster()
  const info = sizeInfo(state, findRscGrp(state, 'DfltRscGrp'), facts, {place_count: 2, layer_stack: ['STORAGE'], storage_pool: 'fast'})
  assert.equal(info.max_vlm_size_in_kib, 3000)
  assert.equal(info.available_size_in_kib, 4500)
  assert.deepEqual(info.next_spawn_result?.map((x) => x.node_name), ['n1', 'n2'])
})
