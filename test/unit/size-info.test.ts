import assert from 'node:assert/strict'
import {test} from 'node:test'
import {createNode} from '../../src/controller/model/node.ts'
import {defaultGroupChanges, findRscGrp} from '../../src/controller/model/resource-group.ts'
import type {PlacementFacts} from '../../src/controller/model/resource.ts'
import {maxVolumeSizes, sizeInfo} from '../../src/controller/model/size-info.ts'
import {emptyState, type ClusterState} from '../../src/controller/model/state.ts'
import {createStorPool} from '../../src/controller/model/storage-pool.ts'
import {apply, counterIds} from '../support/model.ts'

// Free KiB by node/pool: 'fast' (thin) on n1-n3, 'slow' (thick) on n1 and n2.
const free: Record<string, number> = {'N1/FAST': 5000, 'N2/FAST': 3000, 'N3/FAST': 1000, 'N1/SLOW': 9000, 'N2/SLOW': 7000}
const facts: PlacementFacts = {online: () => true, layers: () => undefined, providers: () => undefined,
  capacity: (node, pool) => {
    const f = free[`${node}/${pool}`.toUpperCase()]
    return f === undefined ? undefined : {freeKib: f, totalKib: f * 2}
  }}

function cluster(): ClusterState {
  const state = emptyState()
  const ids = counterIds()
  apply(state, defaultGroupChanges(state, ids))
  for (const [i, n] of ['n1', 'n2', 'n3'].entries()) {
    apply(state, createNode(state, {name: n, type: 'SATELLITE', net_interfaces: [{address: `10.0.0.${i + 1}`}]}, ids).changes)
    apply(state, createStorPool(state, n, {storage_pool_name: 'fast', provider_kind: 'FILE_THIN', props: {'StorDriver/FileDir': '/f'}}, ids).changes)
    if (n !== 'n3') apply(state, createStorPool(state, n, {storage_pool_name: 'slow', provider_kind: 'FILE', props: {'StorDriver/FileDir': '/s'}}, ids).changes)
  }
  return state
}

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
