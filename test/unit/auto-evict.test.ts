import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {autoEvict, evictionTime, nodesToEvict, type EvictionFacts} from '../../src/controller/model/auto-evict.ts'
import {CTRL} from '../../src/controller/model/controller-props.ts'
import {modifyRscDfn} from '../../src/controller/model/resource-definition.ts'
import type {ClusterState} from '../../src/controller/model/state.ts'
import {apply} from '../support/model.ts'
import {addNode, cluster, facts, group, NOW, placement, reportFor, spawned, type Cluster} from '../support/lifecycle.ts'

const MIN = 60_000

/** Nodes offline for so many minutes; the others online and reporting. */
function evictionFacts(state: ClusterState, offlineMinutes: Record<string, number>, connections: Record<string, Record<string, string>> = {}): EvictionFacts {
  const offline = Object.keys(offlineMinutes)
  return {
    now: NOW,
    offlineSince: (n) => (n in offlineMinutes ? NOW - (offlineMinutes[n] as number) * MIN : undefined),
    reportOf: (n) => (offline.includes(n) ? undefined : reportFor(state, n, {connections})),
    placement: facts(offline),
  }
}

const setProps = (state: ClusterState, ctrl: Record<string, string>, nodes: Record<string, Record<string, string>>): void => {
  apply(state, [{t: 'ctrlProps', k: CTRL, v: {props: ctrl}}])
  for (const [n, props] of Object.entries(nodes)) apply(state, [{t: 'nodes', k: n.toUpperCase(), v: {...state.nodes[n.toUpperCase()]!, props}}])
}

describe('which nodes are evicted', () => {
  // [case, controller props, node props, offline minutes by node, evicted]
  const cases: [string, Record<string, string>, Record<string, Record<string, string>>, Record<string, number>, string[]][] = [
    ['offline longer than the default 60 minutes', {}, {}, {n1: 61}, ['n1']],
    ['offline for 59 minutes: not yet', {}, {}, {n1: 59}, []],
    ['AutoEvictAfterTime on the controller', {'DrbdOptions/AutoEvictAfterTime': '10'}, {}, {n1: 11}, ['n1']],
    ['the node\'s AutoEvictAfterTime wins over the controller\'s', {'DrbdOptions/AutoEvictAfterTime': '10'}, {n1: {'DrbdOptions/AutoEvictAfterTime': '120'}}, {n1: 61}, []],
    ['AutoEvictAllowEviction false on the controller', {'DrbdOptions/AutoEvictAllowEviction': 'false'}, {}, {n1: 61}, []],
    ['...unless the node allows it', {'DrbdOptions/AutoEvictAllowEviction': 'false'}, {n1: {'DrbdOptions/AutoEvictAllowEviction': 'true'}}, {n1: 61}, ['n1']],
    ['more than 34% of the nodes unreachable: the controller is suspect', {}, {}, {n1: 61, n2: 61}, []],
    ['AutoEvictMaxDisconnectedNodes 100: always', {'DrbdOptions/AutoEvictMaxDisconnectedNodes': '100'}, {}, {n1: 61, n2: 61}, ['n1', 'n2']],
    ['AutoEvictMaxDisconnectedNodes 0 turns it off', {'DrbdOptions/AutoEvictMaxDisconnectedNodes': '0'}, {}, {n1: 61}, []],
    ['nobody offline', {}, {}, {}, []],
  ]
  for (const [name, ctrl, nodeProps, offline, expected] of cases) {
    test(name, () => {
      const c = cluster(4)
      setProps(c.state, ctrl, nodeProps)
      assert.deepEqual(nodesToEvict(c.state, evictionFacts(c.state, offline)).map((n) => n.name), expected)
    })
  }

  test('not while a DRBD peer is still connected to the node', () => {
    const c = cluster(4)
    group(c, 'rg2', 2, ['DRBD', 'STORAGE'])
    spawned(c, 'rg2', 'r1')
    assert.deepEqual(nodesToEvict(c.state, evictionFacts(c.state, {n1: 61}, {r1: {n1: 'Connected'}})), [])
    assert.deepEqual(nodesToEvict(c.state, evictionFacts(c.state, {n1: 61}, {r1: {n1: 'Connecting'}})).map((n) => n.name), ['n1'])
  })

  test('an evicted node is not evicted again; the eviction time is offline time plus AutoEvictAfterTime', () => {
    const c = cluster(3)
    apply(c.state, [{t: 'nodes', k: 'N1', v: {...c.state.nodes.N1!, flags: ['EVICTED']}}])
    assert.deepEqual(autoEvict(c.state, evictionFacts(c.state, {n1: 100}), c.ids).evicted, [])
    assert.equal(evictionTime(c.state, c.state.nodes.N2!, NOW), NOW + 60 * MIN)
  })
})

describe('what happens to the evicted node\'s resources', () => {
  function evicted(c: Cluster, offline: Record<string, number> = {n1: 61}): ReturnType<typeof autoEvict> {
    const r = autoEvict(c.state, evictionFacts(c.state, offline), c.ids)
    apply(c.state, r.changes)
    return r
  }

  test('below the replica count: a replacement is placed, then the replica is deleted', () => {
    const c = cluster(4)
    group(c, 'rg2', 2, ['DRBD', 'STORAGE'])
    spawned(c, 'rg2', 'r1')
    const r = evicted(c)
    assert.deepEqual(r.evicted, ['n1'])
    assert.deepEqual(c.state.nodes.N1?.flags, ['EVICTED'])
    // n3 held the tie-breaker: it gets the disk.
    assert.deepEqual(placement(c.state, 'r1'), ['n1(DELETE)', 'n2', 'n3'])
  })

  // [case, AutoEvictMinReplicaCount on the definition, where r1 is afterwards]
  const counts: [string, string | undefined, string[]][] = [
    ['AutoEvictMinReplicaCount 1: enough replicas remain, just deleted', '1', ['n1(DELETE)', 'n2', 'n3(DISKLESS,DRBD_DISKLESS,TIE_BREAKER)']],
    ['AutoEvictMinReplicaCount 2: replaced', '2', ['n1(DELETE)', 'n2', 'n3']],
    ['unset: the place count (2) decides', undefined, ['n1(DELETE)', 'n2', 'n3']],
  ]
  for (const [name, min, expected] of counts) {
    test(name, () => {
      const c = cluster(4)
      group(c, 'rg2', 2, ['DRBD', 'STORAGE'])
      spawned(c, 'rg2', 'r1')
      if (min) apply(c.state, modifyRscDfn(c.state, 'r1', {override_props: {'DrbdOptions/AutoEvictMinReplicaCount': min}}).changes)
      evicted(c)
      assert.deepEqual(placement(c.state, 'r1'), expected)
    })
  }

  test('diskless replicas on it are deleted; storage-only resources stay', () => {
    const c = cluster(4)
    group(c, 'rg2', 2, ['DRBD', 'STORAGE'])
    group(c, 'plain', 2)
    spawned(c, 'rg2', 'r1')
    spawned(c, 'plain', 'p1')
    evicted(c, {n3: 61})
    assert.deepEqual(placement(c.state, 'r1'), ['n1', 'n2', 'n3(DELETE,DISKLESS,DRBD_DISKLESS,TIE_BREAKER)'])
    assert.deepEqual(placement(c.state, 'p1'), ['n1', 'n2'])
    evicted(c, {n1: 61})
    assert.deepEqual(placement(c.state, 'p1'), ['n1', 'n2'])
  })

  test('no node for a replacement: the replica stays and is replaced on a later run, once one can be', () => {
    const c = cluster(3)
    group(c, 'rg3', 3, ['DRBD', 'STORAGE'])
    spawned(c, 'rg3', 'r1')
    const first = evicted(c)
    assert.match(first.messages.join('\n'), /'r1' on evicted node 'n1' stays until a replacement can be placed/)
    assert.deepEqual(placement(c.state, 'r1'), ['n1', 'n2', 'n3'])
    addNode(c, 'n4')
    const later = evicted(c)
    assert.deepEqual(later.evicted, [])
    assert.deepEqual(placement(c.state, 'r1'), ['n1(DELETE)', 'n2', 'n3', 'n4'])
  })
})
