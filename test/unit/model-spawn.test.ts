import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {Rc, rc} from '../../src/common/api-call-rc.ts'
import type {Ids} from '../../src/controller/model/api-failure.ts'
import {desiredStateFor} from '../../src/controller/model/desired-state.ts'
import {createRscDfn, createVlmDfn} from '../../src/controller/model/resource-definition.ts'
import {createRscGrp, createVlmGrp, defaultGroupChanges} from '../../src/controller/model/resource-group.ts'
import {rolloutVlmDfn, type PlacementFacts, type RscRec} from '../../src/controller/model/resource.ts'
import {spawn} from '../../src/controller/model/spawn.ts'
import {type ClusterState, emptyState} from '../../src/controller/model/state.ts'
import {PROTOCOL_VERSION} from '../../src/protocol/messages.ts'
import {NOW, counterIds, apply, failsWith, modelCluster} from '../support/model.ts'

const free: Record<string, number> = {'N1/POOL1': 3000, 'N2/POOL1': 2000, 'N3/POOL1': 1000, 'N3/POOL2': 500}

function facts(over: Partial<PlacementFacts> = {}): PlacementFacts {
  return {
    online: () => true, layers: () => undefined, providers: () => undefined,
    capacity: (node, pool) => {
      const f = free[`${node}/${pool}`.toUpperCase()]
      return f === undefined ? undefined : {freeKib: f, totalKib: f}
    },
    ...over,
  }
}

/** DfltRscGrp, satellites n1..n3 with a FILE_THIN pool "pool1", and "pool2" (FILE) on n3 only. */
const cluster = (): {state: ClusterState, ids: Ids} => modelCluster(3, (n) => [{name: 'pool1'}, ...(n === 'n3' ? [{name: 'pool2', kind: 'FILE'}] : [])])

const nodesOf = (rscs: RscRec[]): string[] => rscs.map((r) => r.node)

describe('spawn', () => {
  test('creates the definition, volume definitions and placed resources', () => {
    const {state, ids} = cluster()
    const r = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [100, '200']}, ids, facts())
    assert.equal(r.rd.name, 'r1')
    assert.equal(r.rd.rscGrp, 'DfltRscGrp')
    assert.equal(r.rd.drbd?.port, 7000)
    assert.equal(r.rd.drbd?.peerSlots, 7)
    assert.deepEqual(r.vds.map((v) => [v.vlmNr, v.sizeKib, v.minor]), [[0, 100, 1000], [1, 200, 1001]])
    // Two diskful DRBD replicas get a diskless tie-breaker on the third node for quorum.
    assert.deepEqual(nodesOf(r.rscs), ['n1', 'n2', 'n3'])
    assert.deepEqual(r.rscs.map((x) => x.flags), [[], [], ['DISKLESS', 'DRBD_DISKLESS', 'TIE_BREAKER']])
    assert.deepEqual(r.rscs.map((x) => x.nodeId), [0, 1, 2])
    assert.deepEqual(r.rscs[0]?.pools, {0: 'pool1', 1: 'pool1'})
    assert.deepEqual(r.rscs[2]?.pools, {0: 'DfltDisklessStorPool', 1: 'DfltDisklessStorPool'})
    assert.deepEqual(r.rscs[0]?.layerStack, ['DRBD', 'STORAGE'])
    assert.equal(r.rscs[0]?.createTs, NOW)
    assert.deepEqual(r.notes, [])
    assert.deepEqual(r.changes.map((c) => `${c.t}:${c.k}`), ['rscDfns:R1', 'vlmDfns:R1/0', 'vlmDfns:R1/1', 'rscs:R1/N1', 'rscs:R1/N2', 'rscs:R1/N3'])
  })

  test('a volume added later goes to the pool the autoplacer chose, unless StorPoolName says otherwise', () => {
    const {state, ids} = cluster()
    const r = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [100]}, ids, facts())
    apply(state, r.changes)
    const added = createVlmDfn(state, r.rd, {volume_definition: {size_kib: 50}}, ids)
    apply(state, added.changes)
    const out = rolloutVlmDfn(state, r.rd, added.vd)
    assert.deepEqual(out.rscs.map((x) => x.pools), [{0: 'pool1', 1: 'pool1'}, {0: 'pool1', 1: 'pool1'},
      {0: 'DfltDisklessStorPool', 1: 'DfltDisklessStorPool'}])
    const pinned = createVlmDfn(state, r.rd, {volume_definition: {size_kib: 50, props: {StorPoolName: 'pool2'}}}, ids)
    failsWith(() => rolloutVlmDfn(state, r.rd, pinned.vd), Rc.FAIL_NOT_FOUND_STOR_POOL, /Storage pool 'pool2' not found on node 'n1'/)
  })

  test('is pure: the state is unchanged until the changes are applied', () => {
    const {state, ids} = cluster()
    const before = structuredClone(state)
    spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [100]}, ids, facts())
    assert.deepEqual(state, before)
  })

  test('ports from 7000 and minors from 1000 stay distinct across spawns', () => {
    const {state, ids} = cluster()
    const ports: number[] = []
    const minors: number[] = []
    for (const name of ['r1', 'r2', 'r3']) {
      const r = spawn(state, 'DfltRscGrp', {resource_definition_name: name, volume_sizes: [10, 10]}, ids, facts())
      apply(state, r.changes)
      ports.push(r.rd.drbd?.port ?? -1)
      minors.push(...r.vds.map((v) => v.minor ?? -1))
    }
    assert.deepEqual(ports, [7000, 7001, 7002])
    assert.deepEqual(minors, [1000, 1001, 1002, 1003, 1004, 1005])
  })

  const sizes: [string, unknown, bigint][] = [
    ['zero size', [0], Rc.FAIL_INVLD_VLM_SIZE],
    ['negative size', [-1], Rc.FAIL_INVLD_VLM_SIZE],
    ['size with a unit', ['10G'], Rc.FAIL_INVLD_VLM_SIZE],
    ['size over 1 EiB', [2 ** 50 + 1], Rc.FAIL_INVLD_VLM_SIZE],
    ['fractional size', [1.5], Rc.FAIL_INVLD_VLM_SIZE],
    ['sizes not a list', 100, Rc.FAIL_INVLD_VLM_SIZES],
  ]
  for (const [name, volumeSizes, code] of sizes) {
    test(`${name} is refused`, () => {
      const {state, ids} = cluster()
      failsWith(() => spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: volumeSizes}, ids, facts()), code)
    })
  }

  test('placement failure: FAIL_NOT_ENOUGH_NODES with the reasons, nothing returned', () => {
    const {state, ids} = cluster()
    const before = structuredClone(state)
    const e = failsWith(() => spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [100], select_filter: {place_count: 4}},
      ids, facts()), Rc.FAIL_NOT_ENOUGH_NODES, /Not enough available nodes to place resource 'r1'/)
    assert.match(e.text.details ?? '', /Not enough available nodes: 4 more replica\(s\) wanted, 3 possible\./)
    assert.equal(rc(e.code, e.text, 'create', 'rsc').ret_code, -4611686018407201820n)
    assert.deepEqual(state, before)
  })

  test('placement failure names the constraint: size beyond free space', () => {
    const {state, ids} = cluster()
    const e = failsWith(() => spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [1500, 600]}, ids, facts()),
      Rc.FAIL_NOT_ENOUGH_NODES)
    assert.match(e.text.details ?? '', /not enough free space for 2100 KiB: n2\/pool1, n3\/pool1, n3\/pool2/)
    assert.match(e.text.cause ?? '', /not enough free space/)
  })

  test('offline nodes are not placed on', () => {
    const {state, ids} = cluster()
    const r = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [100]}, ids, facts({online: (n) => n !== 'n1'}))
    assert.deepEqual(nodesOf(r.rscs), ['n2', 'n3'])
  })

  test('definitions_only: no resources and INFO_NO_RSC_SPAWNED', () => {
    const {state, ids} = cluster()
    const r = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [100], definitions_only: true}, ids, facts())
    assert.deepEqual(r.rscs, [])
    assert.deepEqual(r.notes.map((n) => [n.code, n.text.details]), [[Rc.INFO_NO_RSC_SPAWNED, 'Only the definitions were requested.']])
    assert.deepEqual(r.changes.map((c) => c.t), ['rscDfns', 'vlmDfns'])
  })

  test('no sizes: only the definition and INFO_NO_RSC_SPAWNED', () => {
    const {state, ids} = cluster()
    const r = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1'}, ids, facts())
    assert.deepEqual(r.vds, [])
    assert.deepEqual(r.rscs, [])
    assert.deepEqual(r.notes.map((n) => [n.code, n.text.details]), [[Rc.INFO_NO_RSC_SPAWNED, 'No volume sizes were given.']])
    assert.equal(rc(Rc.INFO_NO_RSC_SPAWNED, {message: 'm'}).ret_code, 4611686018427397904n)
  })

  describe('volume groups versus sizes', () => {
    function withVgs(): {state: ClusterState, ids: Ids} {
      const {state, ids} = cluster()
      apply(state, createRscGrp(state, {name: 'rg2', select_filter: {place_count: 1}}, ids).changes)
      apply(state, createVlmGrp(state, 'rg2', {volume_number: 0}, ids).changes)
      apply(state, createVlmGrp(state, 'rg2', {volume_number: 3}, ids).changes)
      return {state, ids}
    }
    const cases: [string, number[], boolean | undefined, number[] | null][] = [
      ['one size per group: volume numbers follow the groups', [10, 20], undefined, [0, 3]],
      ['too few sizes', [10], undefined, null],
      ['too few sizes with partial', [10], true, [0]],
      ['too many sizes', [10, 20, 30], undefined, null],
      // As LINSTOR: the extra sizes become volumes with the next free numbers, without a volume group.
      ['too many sizes with partial: the next free numbers', [10, 20, 30, 40], true, [0, 3, 1, 2]],
    ]
    for (const [name, volumeSizes, partial, vlmNrs] of cases) {
      test(name, () => {
        const {state, ids} = withVgs()
        const run = (): ReturnType<typeof spawn> =>
          spawn(state, 'rg2', {resource_definition_name: 'r1', volume_sizes: volumeSizes, partial}, ids, facts())
        if (vlmNrs) assert.deepEqual(run().vds.map((v) => v.vlmNr), vlmNrs)
        else assert.match(failsWith(run, Rc.FAIL_INVLD_VLM_SIZES, /Invalid count of volume sizes/).text.details ?? '', /has 2 Volume groups, but \d sizes/)
      })
    }
  })

  test('the request filter overrides the group, field by field', () => {
    const {state, ids} = cluster()
    apply(state, createRscGrp(state, {name: 'rg3', select_filter: {place_count: 3, storage_pool: 'pool1'}}, ids).changes)
    const r = spawn(state, 'rg3', {resource_definition_name: 'r1', volume_sizes: [10], select_filter: {place_count: 1}}, ids, facts())
    assert.deepEqual(r.rscs.map((x) => `${x.node}/${x.pools['0']}`), ['n1/pool1'])
  })

  test('the group filter applies when the request has none', () => {
    const {state, ids} = cluster()
    apply(state, createRscGrp(state, {name: 'rg3', select_filter: {place_count: 1, storage_pool: 'pool2'}}, ids).changes)
    const r = spawn(state, 'rg3', {resource_definition_name: 'r1', volume_sizes: [10]}, ids, facts())
    assert.deepEqual(r.rscs.map((x) => `${x.node}/${x.pools['0']}`), ['n3/pool2'])
  })

  test('StorPoolName on the group acts as a storage pool filter', () => {
    const {state, ids} = cluster()
    apply(state, createRscGrp(state, {name: 'rg4', props: {StorPoolName: 'pool2'}, select_filter: {place_count: 1}}, ids).changes)
    const r = spawn(state, 'rg4', {resource_definition_name: 'r1', volume_sizes: [10]}, ids, facts())
    assert.deepEqual(r.rscs.map((x) => `${x.node}/${x.pools['0']}`), ['n3/pool2'])
  })

  test('a STORAGE-only layer stack gives no DRBD node ids', () => {
    const {state, ids} = cluster()
    const r = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [10], select_filter: {layer_stack: ['storage']}}, ids, facts())
    assert.deepEqual(r.rd.layerStack, ['STORAGE'])
    assert.deepEqual(r.rscs.map((x) => x.nodeId), [undefined, undefined])
  })

  test('definition props, external name and peer slots come from the request', () => {
    const {state, ids} = cluster()
    const r = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', resource_definition_external_name: 'Ext 1',
      resource_definition_props: {'Aux/a': 'b'}, peer_slots: 3, definitions_only: true}, ids, facts())
    assert.deepEqual(r.rd.props, {'Aux/a': 'b'})
    assert.equal(r.rd.externalName, 'Ext 1')
    assert.equal(r.rd.drbd?.peerSlots, 3)
  })

  const refused: [string, string, Record<string, unknown>, bigint][] = [
    ['unknown group', 'nope', {resource_definition_name: 'r1'}, Rc.FAIL_NOT_FOUND_RSC_GRP],
    ['bad resource name', 'DfltRscGrp', {resource_definition_name: '9r'}, Rc.FAIL_INVLD_RSC_NAME],
    ['missing resource name', 'DfltRscGrp', {}, Rc.FAIL_INVLD_RSC_NAME],
    ['bad layer stack', 'DfltRscGrp', {resource_definition_name: 'r1', select_filter: {layer_stack: ['DRBD']}}, Rc.FAIL_INVLD_LAYER_STACK],
    ['bad select filter', 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [1], select_filter: {place_count: 0}}, Rc.FAIL_INVLD_REQUEST],
  ]
  for (const [name, rg, body, code] of refused) {
    test(`${name} is refused`, () => {
      const {state, ids} = cluster()
      failsWith(() => spawn(state, rg, body, ids, facts()), code)
    })
  }

  test('an existing definition name (any case) → FAIL_EXISTS_RSC_DFN', () => {
    const {state, ids} = cluster()
    apply(state, spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [10]}, ids, facts()).changes)
    failsWith(() => spawn(state, 'DfltRscGrp', {resource_definition_name: 'R1', volume_sizes: [10]}, ids, facts()), Rc.FAIL_EXISTS_RSC_DFN)
  })

  test('resources of other definitions do not block placement', () => {
    const {state, ids} = cluster()
    apply(state, spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [10]}, ids, facts()).changes)
    const r = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r2', volume_sizes: [10]}, ids, facts())
    assert.deepEqual(nodesOf(r.rscs), ['n1', 'n2', 'n3'])
    assert.deepEqual(r.rscs.map((x) => x.nodeId), [0, 1, 2])
  })

  test('no tie-breaker when DrbdOptions/auto-add-quorum-tiebreaker is false, for STORAGE-only stacks, or with 3 replicas', () => {
    const {state, ids} = cluster()
    const off = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [10],
      resource_definition_props: {'DrbdOptions/auto-add-quorum-tiebreaker': 'False'}}, ids, facts())
    assert.deepEqual(nodesOf(off.rscs), ['n1', 'n2'])
    const plain = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r2', volume_sizes: [10], select_filter: {layer_stack: ['STORAGE']}}, ids, facts())
    assert.deepEqual(plain.rscs.map((x) => x.flags), [[], []])
    const three = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r3', volume_sizes: [10], select_filter: {place_count: 3}}, ids, facts())
    assert.ok(three.rscs.every((x) => !x.flags.includes('TIE_BREAKER')))
  })

  test('diskless_on_remaining adds diskless replicas on every other node', () => {
    const {state, ids} = cluster()
    const r = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [10],
      select_filter: {place_count: 1, diskless_on_remaining: true}}, ids, facts())
    assert.deepEqual(r.rscs.map((x) => [x.node, x.flags]), [['n1', []], ['n2', ['DISKLESS', 'DRBD_DISKLESS']], ['n3', ['DISKLESS', 'DRBD_DISKLESS']]])
  })

  test('not_place_with_rsc sees resources already in the state', () => {
    const {state, ids} = cluster()
    apply(state, spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [10],
      resource_definition_props: {'DrbdOptions/auto-add-quorum-tiebreaker': 'false'}}, ids, facts()).changes)
    const r = spawn(state, 'DfltRscGrp', {resource_definition_name: 'r2', volume_sizes: [10],
      select_filter: {place_count: 1, not_place_with_rsc: ['R1']}}, ids, facts())
    assert.deepEqual(nodesOf(r.rscs), ['n3'])
  })
})

describe('desiredStateFor', () => {
  function spawned(): ClusterState {
    const {state, ids} = cluster()
    apply(state, spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [100, 200]}, ids, facts()).changes)
    return state
  }

  test('a node with resources: its pools and volumes (grown by DRBD metadata for 7 peer slots)', () => {
    const state = spawned()
    const {drbd, ...rest} = desiredStateFor(state, 'n1')
    assert.deepEqual(drbd.map((d) => [d.rsc, d.nodeId, d.port]), [['r1', 0, 7000]])
    assert.deepEqual(rest, {
      protocol: PROTOCOL_VERSION, generation: state.seq, node: 'n1',
      pools: [{name: 'DfltDisklessStorPool', kind: 'DISKLESS', props: {}}, {name: 'pool1', kind: 'FILE_THIN', props: {'StorDriver/FileDir': '/srv/pool1'}}],
      volumes: [
        {rsc: 'r1', vlmNr: 0, sizeKib: 100 + 36 + 7 * 4, pool: 'pool1', present: true},
        {rsc: 'r1', vlmNr: 1, sizeKib: 200 + 36 + 7 * 4, pool: 'pool1', present: true},
      ],
      snapshots: [],
    })
  })

  test('a node without resources has pools but no volumes', () => {
    const d = desiredStateFor(spawned(), 'n3')
    assert.deepEqual(d.pools.map((p) => p.name), ['DfltDisklessStorPool', 'pool1', 'pool2'])
    assert.deepEqual(d.volumes, [])
  })

  test('FileSystem/Type reaches storage-only volumes, volume definition over definition over group', () => {
    const {state, ids} = cluster()
    apply(state, spawn(state, 'DfltRscGrp', {resource_definition_name: 'fs', volume_sizes: [100, 200],
      select_filter: {place_count: 1, layer_stack: ['STORAGE']}}, ids, facts()).changes)
    const rd = state.rscDfns.FS
    const vd1 = state.vlmDfns['FS/1']
    assert.ok(rd && vd1)
    apply(state, [{t: 'rscDfns', k: 'FS', v: {...rd, props: {'FileSystem/Type': 'ext4', 'FileSystem/MkfsParams': '-E nodiscard'}}},
      {t: 'vlmDfns', k: 'FS/1', v: {...vd1, props: {'FileSystem/Type': 'xfs'}}}])
    const node = Object.values(state.rscs).find((r) => r.rscDfn === 'fs')?.node as string
    assert.deepEqual(desiredStateFor(state, node).volumes.filter((v) => v.rsc === 'fs').map((v) => v.filesystem),
      [{type: 'ext4', mkfsParams: '-E nodiscard'}, {type: 'xfs', mkfsParams: '-E nodiscard'}])
  })

  test('the node name matches in any case', () => {
    const state = spawned()
    assert.deepEqual(desiredStateFor(state, 'N1').volumes, desiredStateFor(state, 'n1').volumes)
  })

  test('a resource flagged DELETE asks for its volumes to be absent', () => {
    const state = spawned()
    const r = state.rscs['R1/N1'] as RscRec
    apply(state, [{t: 'rscs', k: 'R1/N1', v: {...r, flags: ['DELETE']}}])
    assert.deepEqual(desiredStateFor(state, 'n1').volumes.map((v) => v.present), [false, false])
    assert.deepEqual(desiredStateFor(state, 'n2').volumes.map((v) => v.present), [true, true])
  })

  test('diskless resources have no volumes to make', () => {
    const state = spawned()
    const r = state.rscs['R1/N1'] as RscRec
    apply(state, [{t: 'rscs', k: 'R1/N3', v: {...r, node: 'n3', flags: ['DISKLESS', 'DRBD_DISKLESS'], pools: {}}}])
    assert.deepEqual(desiredStateFor(state, 'n3').volumes, [])
  })

  test('the generation follows the state sequence', () => {
    const state = spawned()
    const g = desiredStateFor(state, 'n1').generation
    apply(state, [{t: 'ctrlProps', k: 'CTRL', v: {props: {}}}])
    assert.equal(desiredStateFor(state, 'n1').generation, g + 1)
  })
})

test('definitions without DRBD take no port or minor, so the 1,000-port default range does not cap them', () => {
  const state = emptyState()
  const ids = counterIds()
  apply(state, defaultGroupChanges(state, ids))
  apply(state, createRscGrp(state, {name: 'plain', select_filter: {layer_stack: ['STORAGE']}}, ids).changes)
  const facts: PlacementFacts = {online: () => true, layers: () => undefined, providers: () => undefined, capacity: () => undefined}
  for (let i = 0; i < 1001; i++) {
    apply(state, spawn(state, 'plain', {resource_definition_name: `p${i}`, volume_sizes: [10], definitions_only: true}, ids, facts).changes)
  }
  assert.equal(Object.values(state.rscDfns).filter((d) => d.drbd).length, 0)
  assert.equal(Object.values(state.vlmDfns).filter((v) => v.minor !== undefined).length, 0)
  failsWith(() => createRscDfn(state, {resource_definition: {name: 'x1', resource_group_name: 'plain'}, drbd_port: 7100}, ids), Rc.FAIL_INVLD_LAYER_STACK)
})
