import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {Rc} from '../../src/common/api-call-rc.ts'
import {desiredStateFor} from '../../src/controller/model/desired-state.ts'
import {modifyRscDfn} from '../../src/controller/model/resource-definition.ts'
import {setActive} from '../../src/controller/model/resource-activation.ts'
import {modifyRscGrp} from '../../src/controller/model/resource-group.ts'
import {createResources, type RscRec} from '../../src/controller/model/resource.ts'
import {findRscDfn} from '../../src/controller/model/resource-definition.ts'
import {key2, type ClusterState} from '../../src/controller/model/state.ts'
import {createStorPool} from '../../src/controller/model/storage-pool.ts'
import {completeDiskToggles, toggleDisk, type ToggleDiskFacts, type ToggleDiskRequest} from '../../src/controller/model/toggle-disk.ts'
import type {SatelliteReport} from '../../src/protocol/messages.ts'
import {allReported, cluster, facts, group, NOW, placement, reportFor, spawned, type Cluster} from '../support/lifecycle.ts'
import {apply, failsWith} from '../support/model.ts'

/** r1 (DRBD, place count 2) on n1 and n2, its tie-breaker on n3, a diskless client on n4. */
function withClient(): Cluster {
  const c = cluster(4)
  group(c, 'rg2', 2, ['DRBD', 'STORAGE'])
  spawned(c, 'rg2', 'r1')
  apply(c.state, createResources(c.state, findRscDfn(c.state, 'r1'), [{node: 'n4', diskless: true}], c.ids).changes)
  return c
}

/** Every node reports what it was asked for, DRBD disks `diskState`; `offline` nodes are down. */
function toggleFacts(state: ClusterState, diskState = 'UpToDate', offline: string[] = []): ToggleDiskFacts {
  return {placement: facts(offline), reportOf: allReported(state, {diskState}), inUse: () => false}
}

const LATER = NOW + 60_000

/** Toggles a minute after the resources were made. */
function toggle(c: Cluster, node: string, req: ToggleDiskRequest, f = toggleFacts(c.state)): RscRec {
  const r = toggleDisk(c.state, 'r1', node, req, f, {...c.ids, now: () => LATER})
  apply(c.state, r.changes)
  return r.rsc
}

/** One round of completion from these reports. */
function complete(c: Cluster, reportOf: (node: string) => SatelliteReport | undefined): void {
  apply(c.state, completeDiskToggles(c.state, reportOf))
}

const rsc = (c: Cluster, node: string): RscRec => c.state.rscs[key2('r1', node)] as RscRec
const volumesOn = (c: Cluster, node: string) => desiredStateFor(c.state, node).volumes.map((v) => `${v.pool}:${v.present ? 'present' : 'absent'}`)
const drbdOn = (c: Cluster, node: string) => desiredStateFor(c.state, node).drbd?.find((d) => d.rsc === 'r1')

describe('toggle-disk refusals', () => {
  // [case, node, request, how the nodes are, expected code]
  const cases: [string, string, ToggleDiskRequest, (c: Cluster) => ToggleDiskFacts, bigint][] = [
    ['an unknown resource', 'n9', {diskless: false}, (c) => toggleFacts(c.state), Rc.FAIL_NOT_FOUND_RSC],
    ['a disk for a diskful resource', 'n1', {diskless: false}, (c) => toggleFacts(c.state), Rc.WARN_RSC_ALREADY_HAS_DISK],
    ['diskless for a diskless resource', 'n4', {diskless: true}, (c) => toggleFacts(c.state), Rc.WARN_RSC_ALREADY_DISKLESS],
    ['a pool the node lacks', 'n4', {diskless: false, pool: 'nope'}, (c) => toggleFacts(c.state), Rc.FAIL_NOT_FOUND_STOR_POOL],
    ['a diskless pool for a disk', 'n4', {diskless: false, pool: 'DfltDisklessStorPool'}, (c) => toggleFacts(c.state), Rc.FAIL_INVLD_STOR_POOL_NAME],
    ['a diskful pool for diskless', 'n1', {diskless: true, pool: 'pool1'}, (c) => toggleFacts(c.state), Rc.FAIL_INVLD_STOR_POOL_NAME],
    ['the only UpToDate copy: the peer is still syncing', 'n1', {diskless: true}, (c) => toggleFacts(c.state, 'Inconsistent'),
      Rc.FAIL_INSUFFICIENT_REPLICA_COUNT],
    ['the only online copy: the peer is offline', 'n1', {diskless: true}, (c) => toggleFacts(c.state, 'UpToDate', ['n2']), Rc.FAIL_INSUFFICIENT_REPLICA_COUNT],
    ['a migration from a node without the resource', 'n4', {diskless: false, migrateFrom: 'n9'}, (c) => toggleFacts(c.state), Rc.FAIL_NOT_FOUND_RSC],
  ]
  for (const [name, node, req, f, code] of cases) {
    test(name, () => {
      const c = withClient()
      const before = structuredClone(c.state.rscs)
      failsWith(() => toggleDisk(c.state, 'r1', node, req, f(c), c.ids), code)
      assert.deepEqual(c.state.rscs, before)
    })
  }

  test('the last disk of a resource is never removed', () => {
    const c = cluster(2)
    group(c, 'one', 1, ['DRBD', 'STORAGE'])
    spawned(c, 'one', 'r1')
    failsWith(() => toggleDisk(c.state, 'r1', 'n1', {diskless: true}, toggleFacts(c.state), c.ids), Rc.FAIL_INSUFFICIENT_REPLICA_COUNT,
      /only resource with a disk/)
  })

  test('without DRBD there is nothing to toggle', () => {
    const c = cluster(3)
    group(c, 'plain', 2, ['STORAGE'])
    spawned(c, 'plain', 'r1')
    failsWith(() => toggleDisk(c.state, 'r1', 'n1', {diskless: true}, toggleFacts(c.state), c.ids), Rc.FAIL_INVLD_LAYER_STACK, /only supported in combination with DRBD/)
  })

  test('a second toggle while one is under way is refused as busy', () => {
    const c = withClient()
    toggle(c, 'n4', {diskless: false})
    failsWith(() => toggleDisk(c.state, 'r1', 'n4', {diskless: true}, toggleFacts(c.state), c.ids), Rc.FAIL_RSC_BUSY, /Addition of disk/)
    toggle(c, 'n1', {diskless: true})
    failsWith(() => toggleDisk(c.state, 'r1', 'n1', {diskless: false}, toggleFacts(c.state), c.ids), Rc.FAIL_RSC_BUSY, /Removal of disk/)
  })
})

describe('toggle-disk into diskful', () => {
  // [case, how the pool is chosen, expected pool]
  const cases: [string, (c: Cluster) => ToggleDiskRequest, string][] = [
    ['the pool named in the request', () => ({diskless: false, pool: 'fast'}), 'fast'],
    ['StorPoolName of the definition', (c) => {
      apply(c.state, modifyRscDfn(c.state, 'r1', {override_props: {StorPoolName: 'fast'}}).changes)
      return {diskless: false}
    }, 'fast'],
    ['else the autoplacer, within the group\'s filter', (c) => {
      apply(c.state, modifyRscGrp(c.state, 'rg2', {select_filter: {storage_pool: 'pool1'}}).changes)
      return {diskless: false}
    }, 'pool1'],
  ]
  for (const [name, request, pool] of cases) {
    test(name, () => {
      const c = withClient()
      apply(c.state, createStorPool(c.state, 'n4', {storage_pool_name: 'fast', provider_kind: 'FILE_THIN', props: {'StorDriver/FileDir': '/srv/fast'}}, c.ids).changes)
      const before = rsc(c, 'n4')
      const after = toggle(c, 'n4', request(c))
      assert.deepEqual(after.flags, ['DISK_ADDING'])
      assert.deepEqual(after.pools, {0: pool})
      assert.equal(after.props.StorPoolName, pool)
      assert.equal(after.nodeId, before.nodeId, 'DRBD keeps its node-id')
      assert.equal(after.createTs, LATER, 'a new disk: DRBD must not skip the sync to it')
    })
  }

  test('the volumes are made and DRBD gets the disk in one sync; DISK_ADDING ends once it is attached', () => {
    const c = withClient()
    toggle(c, 'n4', {diskless: false})
    assert.deepEqual(volumesOn(c, 'n4'), ['pool1:present'])
    assert.equal(drbdOn(c, 'n4')?.diskless, false)
    assert.equal(drbdOn(c, 'n4')?.skipInitialSync, false)
    assert.equal(drbdOn(c, 'n1')?.peers.find((p) => p.node === 'n4')?.diskless, false)
    complete(c, allReported(c.state, {diskState: 'Diskless'}))
    assert.ok(rsc(c, 'n4').flags.includes('DISK_ADDING'), 'not attached yet')
    complete(c, allReported(c.state, {diskState: 'Inconsistent'}))
    assert.deepEqual(placement(c.state, 'r1'), ['n1', 'n2', 'n3(DISKLESS,DRBD_DISKLESS,TIE_BREAKER)', 'n4'])
  })

  test('--migrate-from: the source replica goes once the new disk is up to date', () => {
    const c = withClient()
    toggle(c, 'n4', {diskless: false, migrateFrom: 'n2'})
    complete(c, allReported(c.state, {diskState: 'Inconsistent'}))
    complete(c, allReported(c.state, {diskState: 'Inconsistent'}))
    assert.equal(rsc(c, 'n2').flags.includes('DELETE'), false, 'still syncing')
    complete(c, allReported(c.state, {diskState: 'UpToDate'}))
    assert.ok(rsc(c, 'n2').flags.includes('DELETE'))
    assert.equal(rsc(c, 'n4').migrateFrom, undefined)
  })
})

describe('toggle-disk into diskless', () => {
  test('DRBD detaches first, then the volumes go, then the replica is in the diskless pool', () => {
    const c = withClient()
    const stale = reportFor(c.state, 'n1')
    const after = toggle(c, 'n1', {diskless: true})
    assert.deepEqual([...after.flags].sort(), ['DISKLESS', 'DISK_REMOVE_REQUESTED', 'DRBD_DISKLESS'])
    assert.equal(after.props.StorPoolName, 'DfltDisklessStorPool')
    // Requested: DRBD runs without the disk, the volume stays.
    assert.deepEqual(volumesOn(c, 'n1'), ['pool1:present'])
    assert.equal(drbdOn(c, 'n1')?.diskless, true)
    assert.equal(drbdOn(c, 'n2')?.peers.find((p) => p.node === 'n1')?.diskless, true)
    complete(c, () => stale)
    assert.ok(rsc(c, 'n1').flags.includes('DISK_REMOVE_REQUESTED'), 'a report with the disk still attached changes nothing')
    // Detached: the volume is deleted.
    complete(c, allReported(c.state))
    assert.ok(rsc(c, 'n1').flags.includes('DISK_REMOVING'))
    assert.deepEqual(volumesOn(c, 'n1'), ['pool1:absent'])
    complete(c, () => stale)
    assert.ok(rsc(c, 'n1').flags.includes('DISK_REMOVING'), 'the volume is still reported')
    // Gone: a plain diskless replica.
    complete(c, allReported(c.state))
    assert.deepEqual([...rsc(c, 'n1').flags].sort(), ['DISKLESS', 'DRBD_DISKLESS'])
    assert.deepEqual(rsc(c, 'n1').pools, {0: 'DfltDisklessStorPool'})
    assert.deepEqual(volumesOn(c, 'n1'), [])
  })

  test('a replica deleted while it gives up its disk still has its volumes removed', () => {
    const c = withClient()
    toggle(c, 'n1', {diskless: true})
    apply(c.state, [{t: 'rscs', k: key2('r1', 'n1'), v: {...rsc(c, 'n1'), flags: [...rsc(c, 'n1').flags, 'DELETE']}}])
    assert.deepEqual(volumesOn(c, 'n1'), ['pool1:absent'])
  })
})

describe('resource activate/deactivate', () => {
  test('an inactive resource keeps its volumes; DRBD goes down and its peers stop expecting it', () => {
    const c = withClient()
    const r = setActive(c.state, 'r1', 'n1', false, () => false)
    apply(c.state, r.changes)
    assert.deepEqual(rsc(c, 'n1').flags, ['INACTIVE'])
    assert.deepEqual(volumesOn(c, 'n1'), ['pool1:present'])
    assert.equal(drbdOn(c, 'n1')?.present, false)
    assert.deepEqual(drbdOn(c, 'n2')?.peers.map((p) => p.node), ['n3', 'n4'])
    apply(c.state, setActive(c.state, 'r1', 'n1', true, () => false).changes)
    assert.deepEqual(rsc(c, 'n1').flags, [])
    assert.equal(drbdOn(c, 'n1')?.present, true)
    assert.deepEqual(drbdOn(c, 'n2')?.peers.map((p) => p.node), ['n1', 'n3', 'n4'])
  })

  test('already so: a no-op; in use: refused', () => {
    const c = withClient()
    const r = setActive(c.state, 'r1', 'n1', true, () => false)
    assert.deepEqual([r.changes, r.noop?.message], [[], 'Resource is already activated. Noop'])
    failsWith(() => setActive(c.state, 'r1', 'n1', false, (rsc, node) => rsc === 'r1' && node === 'n1'), Rc.FAIL_IN_USE, /while being in use/)
  })
})
