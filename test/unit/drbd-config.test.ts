import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import type {Ids} from '../../src/controller/model/api-failure.ts'
import {modifyRscConn} from '../../src/controller/model/connections.ts'
import {modifyCtrlProps} from '../../src/controller/model/controller-props.ts'
import {autoQuorum, desiredDrbdFor, drbdMetaKib} from '../../src/controller/model/drbd-config.ts'
import {createNetIf, createNode} from '../../src/controller/model/node.ts'
import {modifyRscDfn, modifyVlmDfn} from '../../src/controller/model/resource-definition.ts'
import {defaultGroupChanges} from '../../src/controller/model/resource-group.ts'
import {createResources, type PlacementFacts} from '../../src/controller/model/resource.ts'
import {spawn} from '../../src/controller/model/spawn.ts'
import {type ClusterState, emptyState, key2} from '../../src/controller/model/state.ts'
import {rscsOnNode} from '../../src/controller/model/state-index.ts'
import {createStorPool} from '../../src/controller/model/storage-pool.ts'
import type {DesiredDrbdResource} from '../../src/protocol/drbd.ts'
import {apply, counterIds} from '../support/model.ts'

const facts: PlacementFacts = {online: () => true, layers: () => undefined, providers: () => undefined,
  capacity: () => ({freeKib: 1 << 30, totalKib: 1 << 30})}

/** n1..n4 with a FILE_THIN pool each, r1 spawned with 2 replicas + tie-breaker on n1..n3. */
function cluster(): {state: ClusterState, ids: Ids} {
  const state = emptyState()
  const ids = counterIds()
  apply(state, defaultGroupChanges(state, ids))
  for (const [i, n] of ['n1', 'n2', 'n3', 'n4'].entries()) {
    apply(state, createNode(state, {name: n, type: 'SATELLITE', net_interfaces: [{name: 'default', address: `10.0.0.${i + 1}`}]}, ids).changes)
    apply(state, createStorPool(state, n, {storage_pool_name: 'pool1', provider_kind: 'FILE_THIN',
      props: {'StorDriver/FileDir': `/srv/${n}`}}, ids).changes)
  }
  apply(state, spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [1024, 2048],
    select_filter: {node_name_list: ['n1', 'n2', 'n3']}}, ids, facts).changes)
  return {state, ids}
}

const drbdOn = (state: ClusterState, node: string): DesiredDrbdResource[] => desiredDrbdFor(state, node, rscsOnNode(state, node))
const only = (state: ClusterState, node: string): DesiredDrbdResource => {
  const [d] = drbdOn(state, node)
  assert.ok(d)
  return d
}

describe('desiredDrbdFor', () => {
  test('two diskful replicas and a tie-breaker, from n1: node-ids, peers, paths, minors, quorum', () => {
    const {state} = cluster()
    const d = only(state, 'n1')
    assert.equal(d.rsc, 'r1')
    assert.equal(d.nodeId, 0)
    assert.equal(d.port, 7000)
    assert.equal(d.peerSlots, 7)
    assert.equal(d.diskless, false)
    assert.equal(d.present, true)
    assert.match(d.secret ?? '', /^[0-9a-z-]+$/)
    assert.deepEqual(d.volumes.map((v) => [v.vlmNr, v.minor, v.pool, v.sizeKib]), [[0, 1000, 'pool1', 1024], [1, 1001, 'pool1', 2048]])
    assert.deepEqual(d.peers.map((p) => [p.node, p.nodeId, p.diskless]), [['n2', 1, false], ['n3', 2, true]])
    assert.deepEqual(d.peers[0]?.paths, [{local: {ip: '10.0.0.1', port: 7000}, peer: {ip: '10.0.0.2', port: 7000}}])
    assert.equal(d.options['DrbdOptions/Resource/quorum'], 'majority')
    assert.equal(d.options['DrbdOptions/Resource/on-no-quorum'], 'io-error')
    assert.equal(d.skipInitialSync, true, 'new thin volumes created together need no initial sync')
  })

  test('the tie-breaker has no volumes in a pool and sees both diskful peers', () => {
    const {state} = cluster()
    const d = only(state, 'n3')
    assert.equal(d.diskless, true)
    assert.deepEqual(d.volumes.map((v) => v.pool), [undefined, undefined])
    assert.deepEqual(d.peers.map((p) => [p.node, p.diskless]), [['n1', false], ['n2', false]])
  })

  test('a node without DRBD resources gets none', () => {
    assert.deepEqual(drbdOn(cluster().state, 'n4'), [])
  })

  test('a replica added later must sync: no skip; and it becomes a peer everywhere', () => {
    const {state, ids} = cluster()
    const rd = state.rscDfns.R1
    assert.ok(rd)
    apply(state, createResources(state, rd, [{node: 'n4', diskless: false, props: {StorPoolName: 'pool1'}}], {...ids, now: () => 2e12}).changes)
    assert.equal(only(state, 'n1').skipInitialSync, false)
    assert.deepEqual(only(state, 'n1').peers.map((p) => p.node), ['n2', 'n3', 'n4'])
    assert.equal(only(state, 'n4').nodeId, 3)
  })

  test('options: resource over definition over group over controller; LINSTOR-only keys pass to the satellite untouched', () => {
    const {state} = cluster()
    apply(state, modifyCtrlProps(state, {override_props: {'DrbdOptions/Net/protocol': 'A', 'DrbdOptions/Net/max-buffers': '1000'}}).changes)
    apply(state, modifyRscDfn(state, 'r1', {override_props: {'DrbdOptions/Net/protocol': 'C'}}).changes)
    const d = only(state, 'n1')
    assert.equal(d.options['DrbdOptions/Net/protocol'], 'C')
    assert.equal(d.options['DrbdOptions/Net/max-buffers'], '1000')
  })

  test('auto-quorum: disabled leaves manual settings; suspend-io is the policy when set', () => {
    const {state} = cluster()
    apply(state, modifyRscDfn(state, 'r1', {override_props: {'DrbdOptions/auto-quorum': 'disabled', 'DrbdOptions/Resource/quorum': '2'}}).changes)
    assert.equal(only(state, 'n1').options['DrbdOptions/Resource/quorum'], '2')
    apply(state, modifyRscDfn(state, 'r1', {override_props: {'DrbdOptions/auto-quorum': 'suspend-io'}}).changes)
    assert.equal(only(state, 'n1').options['DrbdOptions/Resource/on-no-quorum'], 'suspend-io')
  })

  test('connection options from the node connection, resource connection winning', () => {
    const {state, ids} = cluster()
    apply(state, modifyRscConn(state, 'r1', 'n2', 'n1', {override_props: {'DrbdOptions/Net/protocol': 'B', 'Aux/x': 'y'}}, ids).changes)
    assert.deepEqual(only(state, 'n1').peers.find((p) => p.node === 'n2')?.connectionOptions, {'DrbdOptions/Net/protocol': 'B'})
    assert.deepEqual(only(state, 'n1').peers.find((p) => p.node === 'n3')?.connectionOptions, {})
  })

  test('PrefNic picks the replication interface', () => {
    const {state, ids} = cluster()
    apply(state, createNetIf(state, 'n2', {name: 'repl', address: '192.168.9.2'}, ids).changes)
    const n2 = state.nodes.N2
    assert.ok(n2)
    apply(state, [{t: 'nodes', k: 'N2', v: {...n2, props: {...n2.props, PrefNic: 'repl'}}}])
    assert.deepEqual(only(state, 'n1').peers[0]?.paths[0]?.peer, {ip: '192.168.9.2', port: 7000})
  })

  test('FileSystem/Type (volume definition over resource definition over group) goes with the DRBD volume, not the storage one', () => {
    const {state} = cluster()
    assert.deepEqual(only(state, 'n1').volumes.map((v) => v.filesystem), [undefined, undefined])
    apply(state, modifyRscDfn(state, 'r1', {override_props: {'FileSystem/Type': 'ext4', 'FileSystem/MkfsParams': '-E nodiscard'}}).changes)
    apply(state, modifyVlmDfn(state, 'r1', '1', {override_props: {'FileSystem/Type': 'xfs'}}).changes)
    assert.deepEqual(only(state, 'n1').volumes.map((v) => v.filesystem),
      [{type: 'ext4', mkfsParams: '-E nodiscard'}, {type: 'xfs', mkfsParams: '-E nodiscard'}])
    assert.deepEqual(only(state, 'n3').volumes.map((v) => v.filesystem), [undefined, undefined], 'the diskless tie-breaker never formats')
  })

  test('FileSystem/Type is left out of a resource filled from a snapshot or a clone', () => {
    const {state} = cluster()
    apply(state, modifyRscDfn(state, 'r1', {override_props: {'FileSystem/Type': 'ext4'}}).changes)
    const r = state.rscs[key2('r1', 'n2')]
    assert.ok(r)
    apply(state, [{t: 'rscs', k: key2('r1', 'n2'), v: {...r, restoreFrom: {rscDfn: 'r0', snap: 's1'}}}])
    assert.deepEqual(only(state, 'n1').volumes.map((v) => v.filesystem), [undefined, undefined])
  })

  test('a resource marked DELETE is absent and no longer a peer', () => {
    const {state} = cluster()
    const r = state.rscs[key2('r1', 'n2')]
    assert.ok(r)
    apply(state, [{t: 'rscs', k: key2('r1', 'n2'), v: {...r, flags: ['DELETE']}}])
    assert.equal(only(state, 'n2').present, false)
    assert.deepEqual(only(state, 'n1').peers.map((p) => p.node), ['n3'])
  })
})

describe('autoQuorum', () => {
  const cases: [string, number, number, Record<string, string>, Record<string, string | undefined>][] = [
    ['three diskful', 3, 0, {}, {quorum: 'majority', 'on-no-quorum': 'io-error'}],
    ['two diskful + diskless', 2, 1, {}, {quorum: 'majority', 'on-no-quorum': 'io-error'}],
    ['two diskful alone: off', 2, 0, {'DrbdOptions/Resource/on-no-quorum': 'io-error'}, {quorum: 'off', 'on-no-quorum': undefined}],
    ['one diskful + 2 diskless: off', 1, 2, {}, {quorum: 'off', 'on-no-quorum': undefined}],
    ['overrides a manual quorum unless disabled', 3, 0, {'DrbdOptions/Resource/quorum': '1'}, {quorum: 'majority', 'on-no-quorum': 'io-error'}],
  ]
  for (const [name, diskful, diskless, given, want] of cases) {
    test(name, () => {
      const o = autoQuorum(given, diskful, diskless)
      assert.equal(o['DrbdOptions/Resource/quorum'], want.quorum)
      assert.equal(o['DrbdOptions/Resource/on-no-quorum'], want['on-no-quorum'])
    })
  }
})

describe('drbdMetaKib', () => {
  test('1 TiB with 7 peer slots needs 224 MiB of bitmaps plus 36 KiB', () => assert.equal(drbdMetaKib(2 ** 30, 7), 224 * 1024 + 36))
  test('tiny volumes still get one 4 KiB bitmap block per peer', () => assert.equal(drbdMetaKib(1, 2), 36 + 8))
})
