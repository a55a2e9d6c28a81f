import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {Rc} from '../../src/common/api-call-rc.ts'
import {completeEvacuations, evacuateNode, restoreNode, retryEvacuations} from '../../src/controller/model/evacuation.ts'
import {deleteNode} from '../../src/controller/model/node.ts'
import {createResources, type RscRec} from '../../src/controller/model/resource.ts'
import {findRscDfn} from '../../src/controller/model/resource-definition.ts'
import {key2} from '../../src/controller/model/state.ts'
import {apply, failsWith} from '../support/model.ts'
import {addNode, allReported, cluster, facts, group, placement, reportFor, spawned, type Cluster} from '../support/lifecycle.ts'

const notIn = () => false

/** Evacuates and applies; answers the result. */
function evacuate(c: Cluster, node: string, body?: unknown, f = facts()): ReturnType<typeof evacuateNode> {
  const r = evacuateNode(c.state, node, body, f, c.ids, notIn)
  apply(c.state, r.changes)
  return r
}

describe('node evacuate', () => {
  // [case, group place count and layers, nodes in the cluster, request body, where r1 is afterwards, warnings]
  const cases: [string, number, string[], number, unknown, string[], number][] = [
    ['a replacement goes to the best free node; the old replica is flagged', 2, ['STORAGE'], 3, undefined, ['n1(EVACUATE)', 'n2', 'n3'], 0],
    ['target restricts where the replacement may go', 2, ['STORAGE'], 4, {target: ['n4']}, ['n1(EVACUATE)', 'n2', 'n4'], 0],
    ['do_not_target keeps nodes out', 2, ['STORAGE'], 4, {do_not_target: ['n3']}, ['n1(EVACUATE)', 'n2', 'n4'], 0],
    ['no node left: a warning, and the replica stays flagged for a retry', 3, ['STORAGE'], 3, undefined, ['n1(EVACUATE)', 'n2', 'n3'], 1],
    ['DRBD: the tie-breaker on the third node becomes the diskful replacement', 2, ['DRBD', 'STORAGE'], 3, undefined, ['n1(EVACUATE)', 'n2', 'n3'], 0],
  ]
  for (const [name, pc, layers, nodes, body, expected, warnings] of cases) {
    test(name, () => {
      const c = cluster(nodes)
      group(c, 'rg2', pc, layers)
      spawned(c, 'rg2', 'r1')
      const r = evacuate(c, 'n1', body)
      assert.deepEqual(placement(c.state, 'r1'), expected)
      assert.deepEqual(c.state.nodes.N1?.flags, ['EVACUATE'])
      assert.equal(r.notes.filter((n) => n.code === Rc.WARN_NOT_ENOUGH_NODES).length, warnings)
      const old = c.state.rscs[key2('r1', 'n1')] as RscRec
      assert.equal(old.replacement, warnings ? undefined : r.placed[0]?.node)
    })
  }

  test('the replacement keeps a converted tie-breaker\'s DRBD node-id and is new for DRBD (no skipped initial sync)', () => {
    const c = cluster(3)
    group(c, 'rg2', 2, ['DRBD', 'STORAGE'])
    const before = spawned(c, 'rg2', 'r1').find((x) => x.node === 'n3') as RscRec
    const r = evacuate(c, 'n1')
    const after = c.state.rscs[key2('r1', 'n3')] as RscRec
    assert.equal(after.nodeId, before.nodeId)
    assert.deepEqual(after.pools, {0: 'pool1'})
    assert.deepEqual(r.placed.map((x) => x.node), ['n3'])
  })

  test('diskless replicas on the node are just deleted; other nodes are untouched', () => {
    const c = cluster(3)
    group(c, 'rg2', 2, ['DRBD', 'STORAGE'])
    spawned(c, 'rg2', 'r1')
    evacuate(c, 'n3')
    assert.deepEqual(placement(c.state, 'r1'), ['n1', 'n2', 'n3(DELETE,DISKLESS,DRBD_DISKLESS,TIE_BREAKER)'])
  })

  test('storage-only resources are moved with a warning that the new volume starts empty', () => {
    const c = cluster(3)
    group(c, 'rg2', 2)
    spawned(c, 'rg2', 'r1')
    const r = evacuate(c, 'n1')
    assert.match(r.notes.find((n) => n.code === Rc.WARN_INVLD_CONF)?.text.message ?? '', /no DRBD layer: its new volume on 'n3' starts empty/)
  })

  test('refused while a resource on the node is in use; nothing changes', () => {
    const c = cluster(3)
    group(c, 'rg2', 2, ['DRBD', 'STORAGE'])
    spawned(c, 'rg2', 'r1')
    failsWith(() => evacuateNode(c.state, 'n1', {}, facts(), c.ids, (rsc, node) => rsc === 'r1' && node === 'n1'), Rc.FAIL_IN_USE, /in use on 'n1'/)
    assert.deepEqual(c.state.nodes.N1?.flags, [])
  })

  test('unknown nodes are refused: the node, and nodes in target', () => {
    const c = cluster(3)
    failsWith(() => evacuateNode(c.state, 'nx', {}, facts(), c.ids, notIn), Rc.FAIL_NOT_FOUND_NODE)
    failsWith(() => evacuateNode(c.state, 'n1', {target: ['nx']}, facts(), c.ids, notIn), Rc.FAIL_NOT_FOUND_NODE, /'nx'/)
  })

  test('evacuating again places nothing twice', () => {
    const c = cluster(4)
    group(c, 'rg2', 2)
    spawned(c, 'rg2', 'r1')
    evacuate(c, 'n1')
    const again = evacuate(c, 'n1')
    assert.deepEqual(again.placed, [])
    assert.deepEqual(placement(c.state, 'r1'), ['n1(EVACUATE)', 'n2', 'n3'])
  })

  test('nodes with AutoplaceTarget=false take no replacement', () => {
    const c = cluster(4)
    group(c, 'rg2', 2)
    spawned(c, 'rg2', 'r1')
    c.state.nodes.N3 = {...c.state.nodes.N3!, props: {AutoplaceTarget: 'false'}}
    evacuate(c, 'n1')
    assert.deepEqual(placement(c.state, 'r1'), ['n1(EVACUATE)', 'n2', 'n4'])
  })

  test('two nodes evacuated: the second never places onto the first', () => {
    const c = cluster(4)
    group(c, 'rg2', 2)
    spawned(c, 'rg2', 'r1')
    evacuate(c, 'n1')
    evacuate(c, 'n3')
    assert.deepEqual(placement(c.state, 'r1'), ['n1(EVACUATE)', 'n2', 'n3(EVACUATE)', 'n4'])
  })
})

describe('evacuation completes from satellite reports', () => {
  // [case, layers, what the replacement's node reports, whether the old replica is deleted]
  const cases: [string, string[], string | undefined, boolean][] = [
    ['storage: the new volume is created', ['STORAGE'], 'UpToDate', true],
    ['DRBD: the new disk is UpToDate', ['DRBD', 'STORAGE'], 'UpToDate', true],
    ['DRBD: still syncing (Inconsistent)', ['DRBD', 'STORAGE'], 'Inconsistent', false],
    ['the replacement\'s node has not reported', ['STORAGE'], undefined, false],
  ]
  for (const [name, layers, diskState, deleted] of cases) {
    test(name, () => {
      const c = cluster(4)
      group(c, 'rg2', 2, layers)
      spawned(c, 'rg2', 'r1')
      evacuate(c, 'n1')
      const target = (c.state.rscs[key2('r1', 'n1')] as RscRec).replacement as string
      const changes = completeEvacuations(c.state, (n) => (diskState && n === target ? reportFor(c.state, n, {diskState}) : undefined))
      assert.deepEqual(changes.map((x) => `${x.t}:${x.k}:${(x.v as RscRec).flags.join(',')}`), deleted ? ['rscs:R1/N1:EVACUATE,DELETE'] : [])
    })
  }

  test('nothing is evacuating: nothing to do', () => {
    const c = cluster(3)
    group(c, 'rg2', 2)
    spawned(c, 'rg2', 'r1')
    assert.deepEqual(completeEvacuations(c.state, allReported(c.state)), [])
  })
})

describe('evacuation retries', () => {
  test('a replica stuck for want of a node moves once a node is added', () => {
    const c = cluster(3)
    group(c, 'rg2', 3)
    spawned(c, 'rg2', 'r1')
    evacuate(c, 'n1')
    assert.deepEqual(retryEvacuations(c.state, facts(), c.ids).changes, [])
    addNode(c, 'n4')
    const r = retryEvacuations(c.state, facts(), c.ids)
    apply(c.state, r.changes)
    assert.deepEqual(r.placed.map((x) => x.node), ['n4'])
    assert.equal(c.state.rscs[key2('r1', 'n1')]?.replacement, 'n4')
  })

  test('a replacement deleted by hand is placed again', () => {
    const c = cluster(4)
    group(c, 'rg2', 2)
    spawned(c, 'rg2', 'r1')
    evacuate(c, 'n1')
    apply(c.state, [{t: 'rscs', k: key2('r1', 'n3')}])
    const r = retryEvacuations(c.state, facts(), c.ids)
    assert.deepEqual(r.placed.map((x) => x.node), ['n3'])
  })
})

describe('node restore', () => {
  test('clears EVACUATE; a move under way goes on, a stuck replica stays without its flag', () => {
    const c = cluster(3)
    group(c, 'rg2', 2)
    group(c, 'rg3', 3)
    spawned(c, 'rg2', 'moving')
    spawned(c, 'rg3', 'stuck')
    evacuate(c, 'n1')
    const r = restoreNode(c.state, 'n1', {})
    apply(c.state, r.changes)
    assert.deepEqual(c.state.nodes.N1?.flags, [])
    assert.deepEqual(placement(c.state, 'moving'), ['n1(EVACUATE)', 'n2', 'n3'])
    assert.deepEqual(placement(c.state, 'stuck'), ['n1', 'n2', 'n3'])
    assert.deepEqual(r.notes.map((n) => n.code), [Rc.MODIFIED])
  })

  test('an evicted node keeps what is left on it; delete_resources removes that too', () => {
    const c = cluster(3)
    group(c, 'rg2', 2)
    spawned(c, 'rg2', 'r1')
    apply(c.state, [{t: 'nodes', k: 'N1', v: {...c.state.nodes.N1!, flags: ['EVICTED']}}])
    failsWith(() => deleteNode(c.state, 'n1'), Rc.FAIL_INVLD_REQUEST, /evicted and cannot be deleted/)
    const keep = restoreNode(c.state, 'n1', {})
    assert.deepEqual(keep.changes.map((x) => x.k), ['N1'])
    const wipe = restoreNode(c.state, 'n1', {delete_resources: true})
    apply(c.state, wipe.changes)
    assert.deepEqual(placement(c.state, 'r1'), ['n1(DELETE)', 'n2'])
  })

  test('a node that is neither evacuating nor evicted: a warning, no change', () => {
    const c = cluster(2)
    const r = restoreNode(c.state, 'n1', undefined)
    assert.deepEqual(r.changes, [])
    assert.deepEqual(r.notes.map((n) => n.code), [Rc.WARN_NOT_EVACUATING])
  })

  test('an evacuating node takes no new resources by hand; once restored it does', () => {
    const c = cluster(3)
    group(c, 'rg2', 2)
    spawned(c, 'rg2', 'r1')
    evacuate(c, 'n3')
    const create = () => createResources(c.state, findRscDfn(c.state, 'r1'), [{node: 'n3', diskless: false, props: {StorPoolName: 'pool1'}}], c.ids)
    failsWith(create, Rc.FAIL_INVLD_REQUEST, /'n3' takes no new resources: it is being evacuated/)
    apply(c.state, restoreNode(c.state, 'n3', {}).changes)
    assert.deepEqual(create().rscs.map((x) => x.node), ['n3'])
  })
})
