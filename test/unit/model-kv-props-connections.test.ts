import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {Rc, withContext} from '../../src/common/api-call-rc.ts'
import {connChangesForNode, connChangesForRsc, connChangesForRscDfn, findRscConn, listNodeConns, listRscConns, modifyNodeConn, modifyRscConn, nodeConnKey, rscConnKey} from '../../src/controller/model/connections.ts'
import {CTRL, ctrlPropsOf, deleteCtrlProp, modifyCtrlProps, visibleCtrlProps} from '../../src/controller/model/controller-props.ts'
import {deleteKvs, kvsFind, kvsList, modifyKvs} from '../../src/controller/model/key-value-store.ts'
import {createNode} from '../../src/controller/model/node.ts'
import {createRscDfn} from '../../src/controller/model/resource-definition.ts'
import type {RscRec} from '../../src/controller/model/resource.ts'
import {defaultGroupChanges} from '../../src/controller/model/resource-group.ts'
import {type ClusterState, emptyState, key2} from '../../src/controller/model/state.ts'
import {apply, counterIds, failsWith, NOW} from '../support/model.ts'

const withCtrlProps = (props: Record<string, string>): ClusterState => {
  const s = emptyState()
  apply(s, [{t: 'ctrlProps', k: CTRL, v: {props}}])
  return s
}

describe('controller properties', () => {
  test('GET hides the Cairn/ namespace and sorts keys', () => {
    const s = withCtrlProps({'Cairn/CombinedBootstrap': 'n1', 'b': '2', 'Aux/a': '1'})
    assert.deepEqual(Object.entries(visibleCtrlProps(s)), [['Aux/a', '1'], ['b', '2']])
    assert.deepEqual(visibleCtrlProps(emptyState()), {})
  })

  test('override and delete: one note per key, in LINSTOR order, internal keys kept', () => {
    const s = withCtrlProps({'Cairn/CombinedBootstrap': 'n1', 'Aux/old': 'x', 'DrbdOptions/Net/a': '1', 'DrbdOptions/Net/b': '2'})
    const {changes, notes} = modifyCtrlProps(s, {override_props: {'Aux/new': 'y', 'TcpPortAutoRange': '7000-7100'},
      delete_props: ['Aux/old', 'Aux/never-set'], delete_namespaces: ['DrbdOptions/Net']})
    assert.deepEqual(notes.map((n) => [n.code, n.op, n.text.message]), [
      [Rc.CREATED, 'create', "Successfully set property 'Aux/new' to value 'y'"],
      [Rc.CREATED, 'create', "Successfully set property 'TcpPortAutoRange' to value '7000-7100'"],
      [Rc.DELETED, 'delete', "Successfully deleted property 'Aux/old'"],
      [Rc.DELETED, 'delete', "Successfully deleted property 'Aux/never-set'"],
      [Rc.DELETED, 'delete', "Successfully deleted property 'DrbdOptions/Net/a'"],
      [Rc.DELETED, 'delete', "Successfully deleted property 'DrbdOptions/Net/b'"],
    ])
    apply(s, changes)
    assert.deepEqual(ctrlPropsOf(s), {'Cairn/CombinedBootstrap': 'n1', 'Aux/new': 'y', 'TcpPortAutoRange': '7000-7100'})
  })

  test('numbers are stringified; an empty body or a no-op changes nothing', () => {
    const s = emptyState()
    apply(s, modifyCtrlProps(s, {override_props: {PeerSlotsNewResource: 8}}).changes)
    assert.deepEqual(ctrlPropsOf(s), {PeerSlotsNewResource: '8'})
    assert.deepEqual(modifyCtrlProps(s, undefined), {changes: [], notes: []})
    assert.deepEqual(modifyCtrlProps(s, {override_props: {PeerSlotsNewResource: '8'}}).changes, [])
  })

  const refused: [string, unknown, bigint, RegExp][] = [
    ['setting a Cairn/ key', {override_props: {'Cairn/CombinedBootstrap': 'x'}}, withContext(Rc.FAIL_INVLD_PROP, 'create'), /reserved/],
    ['setting a Cairn/ key in another case', {override_props: {'cairn/x': 'x'}}, withContext(Rc.FAIL_INVLD_PROP, 'create'), /reserved/],
    ['deleting a Cairn/ key', {delete_props: ['Cairn/CombinedBootstrap']}, withContext(Rc.FAIL_INVLD_PROP, 'delete'), /reserved/],
    ['deleting the Cairn namespace', {delete_namespaces: ['Cairn']}, withContext(Rc.FAIL_INVLD_PROP, 'delete'), /reserved/],
    ['an invalid key', {override_props: {'a b': 'x'}}, withContext(Rc.FAIL_INVLD_PROP, 'create'), /Invalid property key 'a b'/],
    ['an object value', {override_props: {'Aux/x': {}}}, withContext(Rc.FAIL_INVLD_PROP, 'create'), /must be a string/],
    ['delete_props not a list', {delete_props: 'Aux/x'}, withContext(Rc.FAIL_INVLD_PROP, 'delete'), /'delete_props' must be a list/],
    ['a bad TcpPortAutoRange', {override_props: {TcpPortAutoRange: '7000'}}, withContext(Rc.FAIL_INVLD_PROP, 'create'), /The value '7000' is not valid/],
    ['a reversed MinorNrAutoRange', {override_props: {MinorNrAutoRange: '2000-1000'}}, withContext(Rc.FAIL_INVLD_PROP, 'create'), /not valid/],
    ['PeerSlotsNewResource out of range', {override_props: {PeerSlotsNewResource: '32'}}, withContext(Rc.FAIL_INVLD_PROP, 'create'), /not valid/],
    ['a body that is not an object', [1], Rc.FAIL_INVLD_REQUEST, /must be a JSON object/],
  ]
  for (const [name, body, code, message] of refused) {
    test(`refuses ${name}`, () => void failsWith(() => modifyCtrlProps(withCtrlProps({'Cairn/CombinedBootstrap': 'n1'}), body), code, message))
  }

  test('delete one key; a missing key still answers DELETED and changes nothing', () => {
    const s = withCtrlProps({'DrbdOptions/Net/protocol': 'C', 'Cairn/CombinedBootstrap': 'n1'})
    const gone = deleteCtrlProp(s, 'DrbdOptions/Net/protocol')
    assert.deepEqual([gone.note.code, gone.note.op, gone.note.text.message], [Rc.DELETED, 'delete', "Successfully deleted property 'DrbdOptions/Net/protocol'"])
    apply(s, gone.changes)
    assert.deepEqual(ctrlPropsOf(s), {'Cairn/CombinedBootstrap': 'n1'})
    const again = deleteCtrlProp(s, 'DrbdOptions/Net/protocol')
    assert.deepEqual(again.changes, [])
    assert.equal(again.note.code, Rc.DELETED)
  })

  test('delete refuses internal and invalid keys', () => {
    const s = withCtrlProps({'Cairn/CombinedBootstrap': 'n1'})
    failsWith(() => deleteCtrlProp(s, 'Cairn/CombinedBootstrap'), withContext(Rc.FAIL_INVLD_PROP, 'delete'), /reserved/)
    failsWith(() => deleteCtrlProp(s, 'a//b'), withContext(Rc.FAIL_INVLD_PROP, 'delete'), /Invalid property key/)
  })
})

describe('key-value store', () => {
  test('modify creates the instance, keeps its case and uuid, merges props', () => {
    const s = emptyState()
    const ids = counterIds()
    const first = modifyKvs(s, 'MyStore', {override_props: {a: '1', b: '2'}}, ids)
    assert.deepEqual(first.kvs, {name: 'MyStore', props: {a: '1', b: '2'}, uuid: 'uuid-1'})
    assert.deepEqual(first.changes.map((c) => `${c.t}:${c.k}`), ['kvs:MYSTORE'])
    apply(s, first.changes)
    const second = modifyKvs(s, 'mystore', {override_props: {c: '3'}, delete_props: ['a']}, ids)
    assert.deepEqual(second.kvs, {name: 'MyStore', props: {b: '2', c: '3'}, uuid: 'uuid-1'})
    apply(s, second.changes)
    assert.deepEqual(kvsList(s), [{name: 'MyStore', props: {b: '2', c: '3'}}])
  })

  test('find is case-insensitive and a list; unknown gives []', () => {
    const s = emptyState()
    apply(s, modifyKvs(s, 'beta', {override_props: {x: '1'}}, counterIds()).changes)
    apply(s, modifyKvs(s, 'Alpha', {override_props: {y: '2'}}, counterIds()).changes)
    assert.deepEqual(kvsList(s).map((k) => k.name), ['Alpha', 'beta'])
    assert.deepEqual(kvsFind(s, 'BETA'), [{name: 'beta', props: {x: '1'}}])
    assert.deepEqual(kvsFind(s, 'gamma'), [])
  })

  test('deleting the last property removes the instance; a modify that sets nothing creates nothing', () => {
    const s = emptyState()
    apply(s, modifyKvs(s, 'st', {override_props: {x: '1'}}, counterIds()).changes)
    const emptied = modifyKvs(s, 'st', {delete_props: ['x']}, counterIds())
    assert.equal(emptied.kvs, undefined)
    assert.deepEqual(emptied.changes, [{t: 'kvs', k: 'ST'}])
    apply(s, emptied.changes)
    assert.deepEqual(kvsList(s), [])
    assert.deepEqual(modifyKvs(s, 'other', {}, counterIds()).changes, [])
    assert.deepEqual(modifyKvs(s, 'other', null, counterIds()).changes, [])
  })

  test('delete returns the old record, or nothing when missing', () => {
    const s = emptyState()
    apply(s, modifyKvs(s, 'st', {override_props: {x: '1'}}, counterIds()).changes)
    const d = deleteKvs(s, 'ST')
    assert.equal(d.deleted?.name, 'st')
    apply(s, d.changes)
    assert.deepEqual(deleteKvs(s, 'st'), {changes: []})
  })

  const badNames = ['a', '1abc', 'has space', 'x'.repeat(49), '-lead']
  for (const name of badNames) {
    test(`invalid name ${JSON.stringify(name)} → Rc.FAIL_INVLD_KVS_NAME`, () => {
      failsWith(() => modifyKvs(emptyState(), name, {override_props: {a: '1'}}, counterIds()), Rc.FAIL_INVLD_KVS_NAME, /keyValueStore name/)
      failsWith(() => deleteKvs(emptyState(), name), Rc.FAIL_INVLD_KVS_NAME)
    })
  }

  test('names may contain / and . after the first character', () => {
    assert.equal(modifyKvs(emptyState(), 'csi/vol.1', {override_props: {a: '1'}}, counterIds()).kvs?.name, 'csi/vol.1')
  })

  test('invalid props → FAIL_INVLD_PROP', () => {
    failsWith(() => modifyKvs(emptyState(), 'st', {override_props: {'bad key': '1'}}, counterIds()), Rc.FAIL_INVLD_PROP)
  })
})

/** Nodes n1..n3 (net interfaces default and data on n1), rd r1 with resources on the given nodes. */
function cluster(rscNodes: string[] = []): ClusterState {
  const s = emptyState()
  const ids = counterIds()
  apply(s, defaultGroupChanges(s, ids))
  for (const n of ['n1', 'n2', 'n3']) {
    const netIfs = [{name: 'default', address: '10.0.0.1'}, ...(n === 'n1' ? [{name: 'data', address: '10.0.1.1'}] : [])]
    apply(s, createNode(s, {name: n, type: 'SATELLITE', net_interfaces: netIfs}, ids).changes)
  }
  apply(s, createRscDfn(s, {resource_definition: {name: 'r1'}}, ids).changes)
  for (const n of rscNodes) {
    const r: RscRec = {rscDfn: 'r1', node: n, props: {}, flags: ['DISKLESS'], layerStack: ['DRBD', 'STORAGE'], pools: {}, uuid: `rsc-${n}`, createTs: NOW}
    apply(s, [{t: 'rscs', k: key2('r1', n), v: r}])
  }
  return s
}

describe('node connections', () => {
  test('the pair is stored sorted; both orders address the same connection', () => {
    const s = cluster()
    const ids = counterIds()
    const {changes, conn} = modifyNodeConn(s, 'n2', 'N1', {override_props: {'DrbdOptions/Net/protocol': 'C'}}, ids)
    assert.deepEqual(conn, {nodeA: 'n1', nodeB: 'n2', props: {'DrbdOptions/Net/protocol': 'C'}, uuid: 'uuid-1'})
    assert.deepEqual(changes.map((c) => `${c.t}:${c.k}`), ['nodeConns:N1/N2'])
    assert.equal(nodeConnKey('n2', 'n1'), 'N1/N2')
    apply(s, changes)
    const again = modifyNodeConn(s, 'n1', 'n2', {override_props: {'Aux/x': '1'}}, ids)
    assert.equal(again.conn?.uuid, 'uuid-1')
    assert.deepEqual(again.conn?.props, {'DrbdOptions/Net/protocol': 'C', 'Aux/x': '1'})
  })

  test('list: all, by either node, or one pair (empty props when nothing is stored)', () => {
    const s = cluster()
    apply(s, modifyNodeConn(s, 'n1', 'n2', {override_props: {'Aux/a': '1'}}, counterIds()).changes)
    apply(s, modifyNodeConn(s, 'n3', 'n2', {override_props: {'Aux/b': '2'}}, counterIds()).changes)
    assert.deepEqual(listNodeConns(s), [
      {node_a: 'n1', node_b: 'n2', props: {'Aux/a': '1'}}, {node_a: 'n2', node_b: 'n3', props: {'Aux/b': '2'}}])
    assert.deepEqual(listNodeConns(s, 'n1').map((c) => c.node_b), ['n2'])
    assert.deepEqual(listNodeConns(s, undefined, 'N3').map((c) => c.node_a), ['n2'])
    assert.deepEqual(listNodeConns(s, 'n3', 'n1'), [{node_a: 'n1', node_b: 'n3'}])
    assert.deepEqual(listNodeConns(s, 'n2', 'n1'), [{node_a: 'n1', node_b: 'n2', props: {'Aux/a': '1'}}])
    failsWith(() => listNodeConns(s, 'nope'), Rc.FAIL_NOT_FOUND_NODE, /Node 'nope' not found/)
    failsWith(() => listNodeConns(s, 'n1', 'nope'), Rc.FAIL_NOT_FOUND_NODE)
  })

  test('emptying the props removes the record; setting nothing on a missing pair returns no connection', () => {
    const s = cluster()
    apply(s, modifyNodeConn(s, 'n1', 'n2', {override_props: {'Aux/a': '1'}}, counterIds()).changes)
    const emptied = modifyNodeConn(s, 'n1', 'n2', {delete_namespaces: ['Aux']}, counterIds())
    assert.deepEqual(emptied.changes, [{t: 'nodeConns', k: 'N1/N2'}])
    apply(s, emptied.changes)
    assert.deepEqual(listNodeConns(s), [])
    assert.deepEqual(modifyNodeConn(s, 'n1', 'n2', {delete_props: ['Aux/a']}, counterIds()), {changes: []})
  })

  test('refusals', () => {
    const s = cluster()
    failsWith(() => modifyNodeConn(s, 'n1', 'nope', {override_props: {'Aux/a': '1'}}, counterIds()), Rc.FAIL_NOT_FOUND_NODE)
    failsWith(() => modifyNodeConn(s, 'n1', 'N1', {override_props: {'Aux/a': '1'}}, counterIds()), Rc.FAIL_INVLD_REQUEST, /two different nodes/)
    failsWith(() => modifyNodeConn(s, 'n1', 'n2', {override_props: {'a b': '1'}}, counterIds()), Rc.FAIL_INVLD_PROP)
    failsWith(() => modifyNodeConn(s, 'n1', 'n2', 'x', counterIds()), Rc.FAIL_INVLD_REQUEST)
  })

  test('Paths/<path>/<node> must name one of the two nodes and one of its interfaces', () => {
    const s = cluster()
    const ok = modifyNodeConn(s, 'n1', 'n2', {override_props: {'Paths/p1/n1': 'data', 'Paths/p1/n2': 'default'}}, counterIds())
    assert.deepEqual(ok.conn?.props, {'Paths/p1/n1': 'data', 'Paths/p1/n2': 'default'})
    failsWith(() => modifyNodeConn(s, 'n1', 'n2', {override_props: {'Paths/p1/n3': 'default'}}, counterIds()),
      Rc.FAIL_INVLD_PROP, /Connection path node unknown/)
    failsWith(() => modifyNodeConn(s, 'n1', 'n2', {override_props: {'Paths/p1/n2': 'data'}}, counterIds()),
      Rc.FAIL_INVLD_PROP, /NetInterface for node unknown/)
    failsWith(() => modifyNodeConn(s, 'n1', 'n2', {override_props: {'Paths/p1': 'data'}}, counterIds()),
      Rc.FAIL_INVLD_PROP, /Connection path property invalid/)
  })
})

describe('resource connections', () => {
  test('list shows every pair of resources, with stored props where there are any', () => {
    const s = cluster(['n3', 'n1', 'n2'])
    apply(s, modifyRscConn(s, 'r1', 'n3', 'n1', {override_props: {'DrbdOptions/Net/protocol': 'A'}}, counterIds()).changes)
    assert.deepEqual(listRscConns(s, 'R1'), [
      {node_a: 'n1', node_b: 'n2', props: {}},
      {node_a: 'n1', node_b: 'n3', props: {'DrbdOptions/Net/protocol': 'A'}},
      {node_a: 'n2', node_b: 'n3', props: {}},
    ])
    assert.deepEqual(listRscConns(cluster(['n1']), 'r1'), [])
    failsWith(() => listRscConns(s, 'nope'), Rc.FAIL_NOT_FOUND_RSC_DFN)
  })

  test('find one pair in either order; a pair without resources is not found', () => {
    const s = cluster(['n1', 'n2'])
    assert.deepEqual(findRscConn(s, 'r1', 'N2', 'n1'), {node_a: 'n1', node_b: 'n2', props: {}})
    failsWith(() => findRscConn(s, 'r1', 'n1', 'n3'), Rc.FAIL_NOT_FOUND_RSC_CONN, /Resource connection between 'n1' and 'n3' not found/)
  })

  test('modify keeps the uuid, sorts the pair and drops an emptied record', () => {
    const s = cluster(['n1', 'n2'])
    const ids = counterIds()
    const first = modifyRscConn(s, 'r1', 'n2', 'n1', {override_props: {'Aux/a': '1'}}, ids)
    assert.deepEqual(first.conn, {rscDfn: 'r1', nodeA: 'n1', nodeB: 'n2', props: {'Aux/a': '1'}, uuid: 'uuid-1'})
    assert.equal(rscConnKey('R1', 'n2', 'n1'), 'R1/N1/N2')
    apply(s, first.changes)
    const emptied = modifyRscConn(s, 'r1', 'n1', 'n2', {delete_props: ['Aux/a']}, ids)
    assert.equal(emptied.conn.uuid, 'uuid-1')
    assert.deepEqual(emptied.changes, [{t: 'rscConns', k: 'R1/N1/N2'}])
    assert.deepEqual(modifyRscConn(cluster(['n1', 'n2']), 'r1', 'n1', 'n2', {}, ids).changes, [])
  })

  test('refusals: missing definition, node or resource', () => {
    const s = cluster(['n1', 'n2'])
    const body = {override_props: {'Aux/a': '1'}}
    failsWith(() => modifyRscConn(s, 'nope', 'n1', 'n2', body, counterIds()), Rc.FAIL_NOT_FOUND_RSC_DFN)
    failsWith(() => modifyRscConn(s, 'r1', 'n1', 'ghost', body, counterIds()), Rc.FAIL_NOT_FOUND_NODE)
    failsWith(() => modifyRscConn(s, 'r1', 'n1', 'n3', body, counterIds()), Rc.FAIL_NOT_FOUND_RSC, /Resource 'r1' on node 'n3' not found/)
    failsWith(() => modifyRscConn(s, 'r1', 'n1', 'n1', body, counterIds()), Rc.FAIL_INVLD_REQUEST)
    failsWith(() => modifyRscConn(s, 'r1', 'n1', 'n2', {override_props: {'Paths/p/n3': 'default'}}, counterIds()), Rc.FAIL_INVLD_PROP)
  })
})

describe('cleanup helpers for deletes', () => {
  test('node, resource and definition deletes name the connections to drop', () => {
    const s = cluster(['n1', 'n2', 'n3'])
    const body = {override_props: {'Aux/a': '1'}}
    apply(s, modifyNodeConn(s, 'n1', 'n2', body, counterIds()).changes)
    apply(s, modifyNodeConn(s, 'n2', 'n3', body, counterIds()).changes)
    apply(s, modifyRscConn(s, 'r1', 'n1', 'n2', body, counterIds()).changes)
    apply(s, modifyRscConn(s, 'r1', 'n1', 'n3', body, counterIds()).changes)
    const keys = (cs: {t: string, k: string, v?: unknown}[]): string[] => cs.map((c) => `${c.t}:${c.k}${c.v ? '+' : ''}`).sort()
    assert.deepEqual(keys(connChangesForNode(s, 'N3')), ['nodeConns:N2/N3', 'rscConns:R1/N1/N3'])
    assert.deepEqual(keys(connChangesForRsc(s, 'r1', 'n2')), ['rscConns:R1/N1/N2'])
    assert.deepEqual(keys(connChangesForRscDfn(s, 'R1')), ['rscConns:R1/N1/N2', 'rscConns:R1/N1/N3'])
  })
})
