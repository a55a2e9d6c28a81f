import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {
  disklessPossible, fillAutoplace, needsFill, placementSatisfied, preferredAutoplace, requisiteAutoplace, restoreNode, sortByPreference,
} from '../../drivers/csi/placement.ts'

describe('AutoPlaceTopology decisions', () => {
  test('placementSatisfied', () => {
    const cases: [string[], string[], number, boolean][] = [
      [[], [], 1, false],
      [['n1'], [], 1, true],
      [['n1'], ['n1', 'n2'], 2, false],
      [['n1', 'n3'], ['n1', 'n2'], 2, true],
      [['n3', 'n4'], ['n1', 'n2'], 2, false],
      [['n1', 'n2', 'n3'], ['n3'], 2, true],
    ]
    for (const [diskful, requisite, count, want] of cases) assert.equal(placementSatisfied(diskful, requisite, count), want, JSON.stringify([diskful, requisite, count]))
  })

  test('request bodies as linstor-csi sends them', () => {
    assert.deepEqual(preferredAutoplace(['n2', 'n1']), {select_filter: {node_name_list: ['n2', 'n1'], place_count: 1, additional_place_count: 1}})
    assert.deepEqual(requisiteAutoplace(['n2', 'n1', 'n3'], 2), {select_filter: {node_name_list: ['n1', 'n2', 'n3']}})
    assert.deepEqual(requisiteAutoplace(['n1'], 3), {select_filter: {node_name_list: ['n1'], place_count: 1}})
    assert.deepEqual(fillAutoplace(), {select_filter: {}})
    assert.equal(needsFill(['n1'], 2), true)
    assert.equal(needsFill(['n1', 'n2'], 2), false)
  })

  test('restoreNode: most preferred online holder, else the first online holder', () => {
    const online = new Set(['n1', 'n2', 'n3'])
    assert.equal(restoreNode(['n1', 'n2'], online, ['n2', 'n1']), 'n2')
    assert.equal(restoreNode(['n1', 'n2'], online, ['n3']), 'n1')
    assert.equal(restoreNode(['n4', 'n2'], online, []), 'n2')
    assert.equal(restoreNode(['n4'], online, ['n4']), undefined)
  })

  test('sortByPreference keeps the order within a rank', () => {
    assert.deepEqual(sortByPreference(['a', 'b', 'c', 'd'], [['c'], ['b', 'd']]), ['c', 'b', 'd', 'a'])
    assert.deepEqual(sortByPreference(['a', 'b'], []), ['a', 'b'])
  })

  test('diskless attachment needs DRBD or NVMe on top', () => {
    assert.equal(disklessPossible([{layer_object: {type: 'DRBD', children: [{type: 'STORAGE'}]}}]), true)
    assert.equal(disklessPossible([{layer_object: {type: 'NVME'}}]), true)
    assert.equal(disklessPossible([{layer_object: {type: 'STORAGE'}}, {layer_object: {type: 'LUKS'}}]), false)
    assert.equal(disklessPossible([]), false)
  })
})
