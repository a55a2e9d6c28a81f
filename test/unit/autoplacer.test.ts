import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {type CandidateNode, type CandidatePool, type PlacementRequest, type PlacementResult, autoplace} from '../../src/controller/placement/autoplacer.ts'
import type {SelectFilter} from '../../src/controller/model/select-filter.ts'

const node = (name: string, over: Partial<CandidateNode> = {}): CandidateNode =>
  ({name, props: {}, online: true, evacuating: false, resources: [], ...over})
const pool = (nodeName: string, name: string, freeKib: number | undefined, over: Partial<CandidatePool> = {}): CandidatePool =>
  ({node: nodeName, name, kind: 'LVM', freeKib, totalKib: freeKib, thin: false, ...over})

/** Three nodes n1..n3 with one LVM pool "sp" each (n1 has most free space) plus diskless pools. */
function req(filter: SelectFilter, over: Partial<PlacementRequest> = {}): PlacementRequest {
  return {
    filter, sizeKib: 100, layers: ['DRBD', 'STORAGE'], alreadyPlaced: [],
    nodes: [node('n1'), node('n2'), node('n3')],
    pools: [pool('n1', 'sp', 3000), pool('n2', 'sp', 2000), pool('n3', 'sp', 1000),
      ...['n1', 'n2', 'n3'].map((n) => pool(n, 'DfltDisklessStorPool', undefined, {kind: 'DISKLESS'}))],
    ...over,
  }
}

const picked = (r: PlacementResult): string[] => {
  assert.ok(r.ok, r.ok ? '' : r.reasons.join('\n'))
  return r.picks.map((p) => `${p.node}/${p.pool}`)
}
const refused = (r: PlacementResult): string[] => {
  assert.ok(!r.ok, 'placement should have failed')
  return r.reasons
}

describe('how many replicas', () => {
  const cases: [string, SelectFilter, string[], string[]][] = [
    ['place_count defaults to 2', {}, [], ['n1/sp', 'n2/sp']],
    ['place_count 1', {place_count: 1}, [], ['n1/sp']],
    ['place_count 3', {place_count: 3}, [], ['n1/sp', 'n2/sp', 'n3/sp']],
    ['additional_place_count: one more than the existing replicas', {place_count: 2, additional_place_count: 1}, ['n1', 'n2'], ['n3/sp']],
    ['already placed replicas count', {place_count: 2}, ['n1'], ['n2/sp']],
    ['already placed in any case', {place_count: 3}, ['N2'], ['n1/sp', 'n3/sp']],
    ['enough already placed: nothing to do', {place_count: 2}, ['n1', 'n2'], []],
    ['more than enough placed: nothing to do', {place_count: 1}, ['n1', 'n2'], []],
  ]
  for (const [name, filter, already, expected] of cases) {
    test(name, () => assert.deepEqual(picked(autoplace(req(filter, {alreadyPlaced: already}))), expected))
  }

  test('too many wanted: not enough nodes, with the counts', () => {
    const reasons = refused(autoplace(req({place_count: 4})))
    assert.equal(reasons[0], 'Not enough available nodes: 4 more replica(s) wanted, 3 possible.')
  })

  test('at most one replica per node, even with several pools there', () => {
    const r = autoplace(req({place_count: 2}, {pools: [pool('n1', 'a', 500), pool('n1', 'b', 400), pool('n2', 'a', 100)]}))
    assert.deepEqual(picked(r), ['n1/a', 'n2/a'])
  })

  test('diskless pools never get a diskful replica', () => {
    const r = autoplace(req({place_count: 1}, {pools: [pool('n1', 'DfltDisklessStorPool', 9e9, {kind: 'DISKLESS'})]}))
    assert.deepEqual(refused(r), ['Not enough available nodes: 1 more replica(s) wanted, 0 possible.'])
  })
  // seed-core-features.md §3: "`+1` adds one extra replica no matter what the RG's place-count is".
  const plusOne: [string, SelectFilter, string[], number][] = [
    ['+1 on top of more replicas than place_count', {place_count: 2, additional_place_count: 1}, ['n1', 'n2', 'n3'], 1],
    ['+1 on an under-replicated resource adds one', {place_count: 3, additional_place_count: 1}, ['n1'], 1],
  ]
  for (const [name, filter, already, count] of plusOne) {
    test(name, () => {
      const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'].map((n) => node(n))
      const pools = nodes.map((n, i) => pool(n.name, 'sp', 1000 * (5 - i)))
      assert.equal(picked(autoplace(req(filter, {nodes, pools, alreadyPlaced: already}))).length, count)
    })
  }
})

describe('filters: who is excluded and why', () => {
  // [name, filter, request overrides, expected picks, or expected reason when the placement fails]
  const cases: [string, SelectFilter, Partial<PlacementRequest>, string[] | RegExp][] = [
    ['storage_pool', {place_count: 1, storage_pool: 'fast'},
      {pools: [pool('n1', 'sp', 3000), pool('n2', 'fast', 500)]}, ['n2/fast']],
    ['storage_pool matches any case', {place_count: 1, storage_pool: 'FAST'},
      {pools: [pool('n1', 'sp', 3000), pool('n2', 'fast', 500)]}, ['n2/fast']],
    ['storage_pool_list', {place_count: 2, storage_pool_list: ['a', 'b']},
      {pools: [pool('n1', 'a', 200), pool('n2', 'b', 300), pool('n3', 'c', 3000)]}, ['n2/b', 'n1/a']],
    ['storage_pool_list wins over storage_pool', {place_count: 1, storage_pool_list: ['a'], storage_pool: 'c'},
      {pools: [pool('n1', 'a', 200), pool('n3', 'c', 3000)]}, ['n1/a']],
    ['storage_pool excludes: reason names the pools', {place_count: 1, storage_pool: 'nope'}, {},
      /^not in storage pool list \[nope\]: n1\/sp, n2\/sp, n3\/sp$/],
    ['node_name_list', {place_count: 2, node_name_list: ['n2', 'N3']}, {}, ['n2/sp', 'n3/sp']],
    ['node_name_list excludes: reason names the pools', {place_count: 3, node_name_list: ['n2', 'n3']}, {},
      /^node not in node list \[n2, n3\]: n1\/sp$/],
    ['provider_list', {place_count: 1, provider_list: ['ZFS']},
      {pools: [pool('n1', 'sp', 3000), pool('n2', 'z', 500, {kind: 'ZFS'})]}, ['n2/z']],
    ['provider_list excludes: reason', {place_count: 1, provider_list: ['ZFS']}, {}, /^provider not in \[ZFS\]: n1\/sp, n2\/sp, n3\/sp$/],
    ['offline nodes', {place_count: 2}, {nodes: [node('n1', {online: false}), node('n2'), node('n3')]}, ['n2/sp', 'n3/sp']],
    ['offline nodes: reason', {place_count: 3}, {nodes: [node('n1', {online: false}), node('n2'), node('n3')]}, /^node offline: n1\/sp$/],
    ['pool on an unknown node counts as offline', {place_count: 1}, {nodes: [node('n3')]}, ['n3/sp']],
    ['evacuating nodes', {place_count: 2}, {nodes: [node('n1', {evacuating: true}), node('n2'), node('n3')]}, ['n2/sp', 'n3/sp']],
    ['evacuating nodes: reason', {place_count: 3}, {nodes: [node('n1', {evacuating: true}), node('n2'), node('n3')]},
      /^node is being evacuated: n1\/sp$/],
    ['layers unknown (never reported) are allowed', {place_count: 3}, {}, ['n1/sp', 'n2/sp', 'n3/sp']],
    ['node lacking a layer', {place_count: 2},
      {nodes: [node('n1', {layers: ['STORAGE']}), node('n2', {layers: ['DRBD', 'STORAGE']}), node('n3')]}, ['n2/sp', 'n3/sp']],
    ['node lacking a layer: reason', {place_count: 3}, {nodes: [node('n1', {layers: ['STORAGE']}), node('n2'), node('n3')]},
      /^node does not support layer DRBD: n1\/sp$/],
    ['STORAGE-only stack ignores a missing DRBD', {place_count: 1},
      {layers: ['STORAGE'], nodes: [node('n1', {layers: ['STORAGE']})], pools: [pool('n1', 'sp', 500)]}, ['n1/sp']],
    ['node lacking the provider', {place_count: 1}, {nodes: [node('n1', {providers: ['ZFS']}), node('n2', {providers: ['LVM']})]},
      ['n2/sp']],
    ['node lacking the provider: reason', {place_count: 3}, {nodes: [node('n1', {providers: ['ZFS']}), node('n2'), node('n3')]},
      /^node does not support the provider: n1\/sp$/],
    ['not_place_with_rsc', {place_count: 2, not_place_with_rsc: ['other']},
      {nodes: [node('n1', {resources: ['OTHER']}), node('n2'), node('n3')]}, ['n2/sp', 'n3/sp']],
    ['not_place_with_rsc: reason', {place_count: 3, not_place_with_rsc: ['other', 'x']},
      {nodes: [node('n1', {resources: ['other']}), node('n2'), node('n3')]}, /^node has one of \[other, x\]: n1\/sp$/],
    ['not_place_with_rsc_regex is case-insensitive', {place_count: 2, not_place_with_rsc_regex: 'pvc-.*'},
      {nodes: [node('n1', {resources: ['PVC-1']}), node('n2', {resources: ['db']}), node('n3')]}, ['n2/sp', 'n3/sp']],
    ['not_place_with_rsc_regex: reason', {place_count: 3, not_place_with_rsc_regex: 'pvc.*'},
      {nodes: [node('n1', {resources: ['pvc-1']}), node('n2'), node('n3')]}, /^node has a resource matching \/pvc\.\*\/: n1\/sp$/],
    ['not_place_with_rsc_regex matches whole names only', {place_count: 3, not_place_with_rsc_regex: 'pvc'},
      {nodes: [node('n1', {resources: ['pvc-1']}), node('n2'), node('n3')]}, ['n1/sp', 'n2/sp', 'n3/sp']],
    ['not enough free space', {place_count: 2}, {sizeKib: 1500}, ['n1/sp', 'n2/sp']],
    ['exactly enough free space fits', {place_count: 3}, {sizeKib: 1000}, ['n1/sp', 'n2/sp', 'n3/sp']],
    ['not enough free space: reason', {place_count: 3}, {sizeKib: 1500}, /^not enough free space for 1500 KiB: n3\/sp$/],
    ['unknown free space is excluded', {place_count: 3}, {pools: [pool('n1', 'sp', 3000), pool('n2', 'sp', 3000), pool('n3', 'sp', undefined)]},
      /^not enough free space for 100 KiB: n3\/sp$/],
  ]
  for (const [name, filter, over, expected] of cases) {
    test(name, () => {
      const r = autoplace(req(filter, over))
      if (expected instanceof RegExp) {
        const reasons = refused(r)
        assert.match(reasons[0] ?? '', /^Not enough available nodes/)
        assert.ok(reasons.slice(1).some((x) => expected.test(x)), `no reason matches ${expected}:\n${reasons.join('\n')}`)
      } else assert.deepEqual(picked(r), expected)
    })
  }

  test('every constraint that excluded something is listed, in order', () => {
    const r = autoplace(req({place_count: 1, node_name_list: ['n1', 'n2'], not_place_with_rsc: ['x']}, {
      nodes: [node('n1', {resources: ['x']}), node('n2', {online: false}), node('n3')],
    }))
    assert.deepEqual(refused(r), [
      'Not enough available nodes: 1 more replica(s) wanted, 0 possible.',
      'node not in node list [n1, n2]: n3/sp',
      'node offline: n2/sp',
      'node has one of [x]: n1/sp',
    ])
  })

  test('nodes that already hold a replica are not candidates', () => {
    const r = autoplace(req({place_count: 3}, {alreadyPlaced: ['n1'], nodes: [node('n1'), node('n2'), node('n3', {online: false})]}))
    assert.deepEqual(refused(r), ['Not enough available nodes: 2 more replica(s) wanted, 1 possible.', 'node offline: n3/sp'])
  })
})

describe('thin pools and overprovision', () => {
  const thin = (n: string, free: number, total: number): CandidatePool => pool(n, 'thin', free, {kind: 'LVM_THIN', thin: true, totalKib: total})
  const cases: [string, number | undefined, CandidatePool, boolean][] = [
    ['thin without overprovision uses free space', undefined, thin('n1', 50, 1000), false],
    ['thin with overprovision uses total × ratio', 2, thin('n1', 50, 1000), true],
    ['overprovision ratio below the size', 0.05, thin('n1', 50, 1000), false],
    ['thick pools ignore overprovision', 2, pool('n1', 'thick', 50, {totalKib: 1000}), false],
    ['thin without a known total uses free space', 2, thin('n1', 50, 0), false],
  ]
  for (const [name, overprovision, p, fits] of cases) {
    test(name, () => {
      const filter: SelectFilter = {place_count: 1, ...(overprovision === undefined ? {} : {overprovision})}
      const r = autoplace(req(filter, {sizeKib: 100, pools: [p]}))
      assert.equal(r.ok, fits)
    })
  }
})

describe('replicas_on_same and replicas_on_different', () => {
  const zoned = [
    node('n1', {props: {'Aux/zone': 'a', 'Aux/rack': '1'}}),
    node('n2', {props: {'Aux/zone': 'b', 'Aux/rack': '1'}}),
    node('n3', {props: {'Aux/zone': 'a', 'Aux/rack': '2'}}),
    node('n4', {props: {}}),
  ]
  const pools = [pool('n1', 'sp', 4000), pool('n2', 'sp', 3000), pool('n3', 'sp', 2000), pool('n4', 'sp', 9000)]
  const cases: [string, SelectFilter, string[], string[] | null][] = [
    ['same key: all replicas share the best node\'s value', {place_count: 2, replicas_on_same: ['Aux/zone']}, [], ['n1/sp', 'n3/sp']],
    ['same key=value: only nodes with that value', {place_count: 1, replicas_on_same: ['Aux/zone=b']}, [], ['n2/sp']],
    ['same key=value: not enough such nodes', {place_count: 2, replicas_on_same: ['Aux/zone=b']}, [], null],
    ['same key follows an existing replica', {place_count: 2, replicas_on_same: ['Aux/zone']}, ['n2'], null],
    ['same key with an existing replica in zone a', {place_count: 2, replicas_on_same: ['Aux/zone']}, ['n3'], ['n1/sp']],
    ['same key: nodes without the property are skipped', {place_count: 1, replicas_on_same: ['Aux/zone']}, [], ['n1/sp']],
    ['different key: one replica per value', {place_count: 2, replicas_on_different: ['Aux/zone']}, [], ['n4/sp', 'n1/sp']],
    ['different key: existing replica blocks its value', {place_count: 3, replicas_on_different: ['Aux/rack']}, ['n1'], ['n4/sp', 'n3/sp']],
    ['different key: not enough distinct values', {place_count: 3, replicas_on_different: ['Aux/zone'], node_name_list: ['n1', 'n2', 'n3']}, [], null],
    ['same and different together', {place_count: 2, replicas_on_same: ['Aux/rack'], replicas_on_different: ['Aux/zone']}, [], ['n1/sp', 'n2/sp']],
  ]
  for (const [name, filter, already, expected] of cases) {
    test(name, () => {
      const r = autoplace(req(filter, {nodes: zoned, pools, alreadyPlaced: already}))
      if (expected) assert.deepEqual(picked(r), expected)
      else assert.match(refused(r)[0] ?? '', /^Not enough available nodes/)
    })
  }
  test('replicas_on_same finds a group even when the best pool is alone in its zone', () => {
    const nodes = [node('n1', {props: {'Aux/zone': 'a'}}), node('n2', {props: {'Aux/zone': 'b'}}), node('n3', {props: {'Aux/zone': 'b'}})]
    const r = autoplace(req({place_count: 2, replicas_on_same: ['Aux/zone']}, {nodes, pools: [pool('n1', 'sp', 4000), pool('n2', 'sp', 3000), pool('n3', 'sp', 2000)]}))
    assert.deepEqual(picked(r), ['n2/sp', 'n3/sp'])
  })

  test('a replicas_on_same failure names the nodes it excluded', () => {
    const reasons = refused(autoplace(req({place_count: 2, replicas_on_same: ['Aux/zone=b']}, {nodes: zoned, pools})))
    assert.ok(reasons.slice(1).some((x) => x.includes('Aux/zone') && x.includes('n1')), reasons.join('\n'))
  })
})

describe('ranking', () => {
  test('most free space first', () => {
    const r = autoplace(req({place_count: 3}, {sizeKib: 1, pools: [pool('n1', 'sp', 10), pool('n2', 'sp', 30), pool('n3', 'sp', 20)]}))
    assert.deepEqual(picked(r), ['n2/sp', 'n3/sp', 'n1/sp'])
  })

  test('ties go by node name, then pool name, whatever the input order', () => {
    const pools = [pool('nb', 'y', 10), pool('nc', 'x', 10), pool('na', 'z', 10), pool('na', 'a', 10)]
    const nodes = [node('na'), node('nb'), node('nc')]
    const expected = ['na/a', 'nb/y', 'nc/x']
    assert.deepEqual(picked(autoplace(req({place_count: 3}, {sizeKib: 1, pools, nodes}))), expected)
    assert.deepEqual(picked(autoplace(req({place_count: 3}, {sizeKib: 1, pools: [...pools].reverse(), nodes: [...nodes].reverse()}))), expected)
  })

  test('the pick uses the node name as the node record spells it', () => {
    const r = autoplace(req({place_count: 1}, {sizeKib: 1, nodes: [node('Node-A')], pools: [pool('NODE-A', 'sp', 10)]}))
    assert.deepEqual(picked(r), ['Node-A/sp'])
  })
})

describe('x_replicas_on_different_map', () => {
  const sited = [node('n1', {props: {'Aux/site': 'a'}}), node('n2', {props: {'Aux/site': 'a'}}), node('n3', {props: {'Aux/site': 'b'}}),
    node('n4', {props: {'Aux/site': 'b'}})]
  const pools = [pool('n1', 'sp', 4000), pool('n2', 'sp', 3000), pool('n3', 'sp', 2000), pool('n4', 'sp', 1000)]
  test('at most x replicas per value, best pools first', () => {
    const r = autoplace(req({place_count: 3, x_replicas_on_different_map: {'Aux/site': 2}}, {nodes: sited, pools}))
    assert.deepEqual(picked(r), ['n1/sp', 'n2/sp', 'n3/sp'])
    const one = autoplace(req({place_count: 2, x_replicas_on_different_map: {'Aux/site': 1}}, {nodes: sited, pools}))
    assert.deepEqual(picked(one), ['n1/sp', 'n3/sp'])
  })
  test('a failure names the map entry and the nodes it turned away', () => {
    const reasons = refused(autoplace(req({place_count: 3, x_replicas_on_different_map: {'Aux/site': 1}}, {nodes: sited, pools})))
    assert.ok(reasons.some((x) => /^x_replicas_on_different_map Aux\/site: already 1 replica\(s\) with the same value: n2, n4$/.test(x)), reasons.join('\n'))
  })
})

describe('Autoplacer/Weights', () => {
  const pools = [pool('n1', 'sp', 3000, {rscCount: 9, reservedKib: 9000}), pool('n2', 'sp', 2000, {rscCount: 0, reservedKib: 0}),
    pool('n3', 'sp', 1000, {rscCount: 3, reservedKib: 100, throughputLeft: 500})]
  const cases: [string, Partial<Record<'MaxFreeSpace' | 'MinReservedSpace' | 'MinRscCount' | 'MaxThroughput', number>>, string[]][] = [
    ['default: most free space', {}, ['n1/sp']],
    ['MinRscCount only: the emptiest pool', {MaxFreeSpace: 0, MinRscCount: 1}, ['n2/sp']],
    ['MinReservedSpace only: least reserved', {MaxFreeSpace: 0, MinReservedSpace: 1}, ['n2/sp']],
    ['MaxThroughput only: the pool with throughput left', {MaxFreeSpace: 0, MaxThroughput: 1}, ['n3/sp']],
    ['free space outweighs a small resource-count weight', {MaxFreeSpace: 1, MinRscCount: 0.1}, ['n1/sp']],
  ]
  for (const [name, w, expected] of cases) {
    test(name, () => {
      const weights = {MaxFreeSpace: 1, MinReservedSpace: 0, MinRscCount: 0, MaxThroughput: 0, ...w}
      assert.deepEqual(picked(autoplace(req({place_count: 1}, {pools, weights}))), expected)
    })
  }
})
