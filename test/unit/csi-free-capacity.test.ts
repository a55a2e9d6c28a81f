import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import type {Node, ResourceWithVolumes, StoragePool} from '../../src/api/wire.ts'
import {countedPools, offeredKib, placeableNodes, reservedKib} from '../../drivers/csi/free-capacity.ts'

const node = (name: string, extra: Partial<Node> = {}): Node => ({name, type: 'SATELLITE', ...extra})
const pool = (node_name: string, storage_pool_name: string, extra: Partial<StoragePool> = {}): StoragePool =>
  ({node_name, storage_pool_name, provider_kind: 'LVM_THIN', free_capacity: 100, total_capacity: 1000, ...extra})

describe('GetCapacity', () => {
  test('placeable nodes: wanted, not evicted or evacuating, not excluded from autoplace', () => {
    const nodes = [node('n1'), node('n2', {flags: ['EVICTED']}), node('n3', {flags: ['EVACUATE']}), node('n4', {props: {AutoplaceTarget: 'false'}}),
      node('n5', {props: {AutoplaceTarget: 'true'}}), node('n6')]
    assert.deepEqual(placeableNodes(nodes, ['n1', 'n2', 'n3', 'n4', 'n5']), ['n1', 'n5'])
  })

  test('counted pools: on the nodes, diskful, of the class and of the segment', () => {
    const pools = [pool('n1', 'thin'), pool('n1', 'fast'), pool('n1', 'DfltDisklessStorPool', {provider_kind: 'DISKLESS'}), pool('n2', 'thin')]
    const names = (q: Partial<Parameters<typeof countedPools>[1]>): string[] =>
      countedPools(pools, {nodes: ['n1'], storagePools: [], segmentPools: [], overProvision: undefined, ...q}).map((c) => `${c.pool.node_name}/${c.pool.storage_pool_name}`)
    assert.deepEqual(names({}), ['n1/thin', 'n1/fast'])
    assert.deepEqual(names({storagePools: ['thin']}), ['n1/thin'])
    assert.deepEqual(names({segmentPools: ['fast']}), ['n1/fast'])
    assert.deepEqual(names({nodes: ['n1', 'n2'], storagePools: ['thin']}), ['n1/thin', 'n2/thin'])
  })

  test('over-provisioning ratio: the parameter, lowered by the pool\'s own ratio', () => {
    const ratio = (props: Record<string, string>, overProvision: number | undefined): number | undefined =>
      countedPools([pool('n1', 'p', {props})], {nodes: ['n1'], storagePools: [], segmentPools: [], overProvision})[0]?.ratio
    assert.equal(ratio({}, undefined), undefined)
    assert.equal(ratio({}, 2), 2)
    assert.equal(ratio({MaxOversubscriptionRatio: '1.5'}, 2), 1.5)
    assert.equal(ratio({MaxOversubscriptionRatio: '3'}, 2), 2)
    assert.equal(ratio({MaxOversubscriptionRatio: '3'}, undefined), 3)
    assert.equal(ratio({MaxTotalCapacityOversubscriptionRatio: '1.2', MaxOversubscriptionRatio: '1.1'}, undefined), 1.2)
    assert.equal(ratio({MaxOversubscriptionRatio: 'many'}, 2), 2)
  })

  test('offered KiB: free space, or total × ratio − reserved', () => {
    assert.equal(offeredKib(pool('n1', 'p'), undefined, 999), 100)
    assert.equal(offeredKib(pool('n1', 'p'), 2, 500), 1500)
    assert.equal(offeredKib(pool('n1', 'p'), 1.5, 2000), 0)
    assert.equal(offeredKib(pool('n1', 'p', {free_capacity: undefined}), undefined, 0), 0)
  })

  test('reserved KiB: the storage layer of every volume in the pool', () => {
    const view: ResourceWithVolumes[] = [
      {node_name: 'n1', volumes: [
        {storage_pool_name: 'p', layer_data_list: [{type: 'DRBD', data: {usable_size_kib: 1}}, {type: 'STORAGE', data: {usable_size_kib: 300}}]},
        {storage_pool_name: 'other', layer_data_list: [{type: 'STORAGE', data: {usable_size_kib: 1000}}]},
      ]},
      {node_name: 'n1', volumes: [{storage_pool_name: 'p', layer_data_list: [{type: 'STORAGE', data: {usable_size_kib: 200}}]}]},
      {node_name: 'n2', volumes: [{storage_pool_name: 'p', layer_data_list: [{type: 'STORAGE', data: {usable_size_kib: 5000}}]}]},
    ]
    assert.equal(reservedKib(view, 'n1', 'p'), 500)
    assert.equal(reservedKib(view, 'n3', 'p'), 0)
  })
})
