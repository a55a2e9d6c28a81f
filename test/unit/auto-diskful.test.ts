import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {nameKey} from '../../src/common/names.ts'
import {autoDiskful, type AutoDiskfulFacts} from '../../src/controller/model/auto-diskful.ts'
import {CTRL} from '../../src/controller/model/controller-props.ts'
import {modifyRscDfn} from '../../src/controller/model/resource-definition.ts'
import {modifyRscGrp} from '../../src/controller/model/resource-group.ts'
import {createResources, type RscRec} from '../../src/controller/model/resource.ts'
import {findRscDfn} from '../../src/controller/model/resource-definition.ts'
import {key2, type ClusterState} from '../../src/controller/model/state.ts'
import {completeDiskToggles} from '../../src/controller/model/toggle-disk.ts'
import {apply} from '../support/model.ts'
import {allReported, cluster, facts, group, NOW, placement, reportFor, spawned, type Cluster} from '../support/lifecycle.ts'

const MIN = 60_000

/** r1 from a DRBD group of place count 2 on n1, n2 (tie-breaker on n3), and a diskless client on n4. */
function withClient(): Cluster {
  const c = cluster(4)
  group(c, 'rg2', 2, ['DRBD', 'STORAGE'])
  spawned(c, 'rg2', 'r1')
  apply(c.state, createResources(c.state, findRscDfn(c.state, 'r1'), [{node: 'n4', diskless: true}], c.ids).changes)
  return c
}

/** r1 is Primary on `primaryOn` (for `minutes`); every node reports its disks as `diskState`. */
function diskfulFacts(state: ClusterState, primaryOn: string, minutes: number, diskState = 'UpToDate'): AutoDiskfulFacts {
  return {
    now: NOW,
    primarySince: (rsc, node) => (rsc === 'r1' && node === primaryOn ? NOW - minutes * MIN : undefined),
    reportOf: (n) => reportFor(state, n, {diskState, primary: n === primaryOn ? ['r1'] : []}),
    inUse: (rsc, node) => rsc === 'r1' && node === primaryOn,
    placement: facts(),
  }
}

function run(c: Cluster, f: AutoDiskfulFacts): ReturnType<typeof autoDiskful> {
  const r = autoDiskful(c.state, f, c.ids)
  apply(c.state, r.changes)
  return r
}

const UNCHANGED = ['n1', 'n2', 'n3(DISKLESS,DRBD_DISKLESS,TIE_BREAKER)', 'n4(DISKLESS,DRBD_DISKLESS)']
// The disk goes through toggle-disk: DISK_ADDING until the node reports it attached.
const TOGGLED = ['n1', 'n2', 'n3(DISKLESS,DRBD_DISKLESS,TIE_BREAKER)', 'n4(DISK_ADDING)']
const ATTACHED = ['n1', 'n2', 'n3(DISKLESS,DRBD_DISKLESS,TIE_BREAKER)', 'n4']

describe('auto-diskful', () => {
  // [case, where DrbdOptions/auto-diskful is set and to what, minutes Primary on n4, where r1 is afterwards]
  const cases: [string, {rd?: string, rg?: string, ctrl?: string}, number, string[]][] = [
    ['unset: a diskless Primary stays diskless', {}, 600, UNCHANGED],
    ['on the definition, Primary longer than that: it gets a disk', {rd: '5'}, 6, TOGGLED],
    ['Primary for less time: not yet', {rd: '5'}, 4, UNCHANGED],
    ['on the resource group', {rg: '5'}, 6, TOGGLED],
    ['on the controller', {ctrl: '5'}, 6, TOGGLED],
    ['the definition wins over the group', {rd: '10', rg: '1'}, 6, UNCHANGED],
    ['not a number: off', {rd: 'soon'}, 600, UNCHANGED],
  ]
  for (const [name, where, minutes, expected] of cases) {
    test(name, () => {
      const c = withClient()
      const prop = (v: string | undefined) => ({override_props: v === undefined ? {} : {'DrbdOptions/auto-diskful': v}})
      // Set on the record: the whitelist refuses 'soon' over the API, but a database from before it may hold it.
      const rd = findRscDfn(c.state, 'r1')
      apply(c.state, [{t: 'rscDfns', k: nameKey('r1'), v: {...rd, props: {...rd.props, ...prop(where.rd).override_props}}}])
      apply(c.state, modifyRscGrp(c.state, 'rg2', prop(where.rg)).changes)
      if (where.ctrl) apply(c.state, [{t: 'ctrlProps', k: CTRL, v: {props: {'DrbdOptions/auto-diskful': where.ctrl}}}])
      const r = run(c, diskfulFacts(c.state, 'n4', minutes))
      assert.deepEqual(placement(c.state, 'r1'), expected)
      assert.equal(r.toggled.length, expected === TOGGLED ? 1 : 0)
    })
  }

  test('the toggled replica keeps its node-id and gets a disk in the group\'s pool', () => {
    const c = withClient()
    const before = c.state.rscs[key2('r1', 'n4')] as RscRec
    apply(c.state, modifyRscDfn(c.state, 'r1', {override_props: {'DrbdOptions/auto-diskful': '0'}}).changes)
    run(c, diskfulFacts(c.state, 'n4', 1))
    const after = c.state.rscs[key2('r1', 'n4')] as RscRec
    assert.equal(after.nodeId, before.nodeId)
    assert.deepEqual(after.pools, {0: 'pool1'})
  })
})

describe('auto-diskful-allow-cleanup', () => {
  /** r1 toggled diskful on n4 where it is Primary, the disk attached: three diskful replicas for a place count of 2. */
  function toggled(): Cluster {
    const c = withClient()
    apply(c.state, modifyRscDfn(c.state, 'r1', {override_props: {'DrbdOptions/auto-diskful': '5'}}).changes)
    run(c, diskfulFacts(c.state, 'n4', 6))
    apply(c.state, completeDiskToggles(c.state, allReported(c.state, {diskState: 'Inconsistent'})))
    return c
  }

  // [case, allow-cleanup per node, disk state reported, where r1 is afterwards]
  const cases: [string, Record<string, string>, string, string[]][] = [
    ['once all are up to date, a Secondary beyond the place count goes', {}, 'UpToDate', ['n1(DELETE)', 'n2', 'n3(DISKLESS,DRBD_DISKLESS,TIE_BREAKER)', 'n4']],
    ['not while the new disk syncs', {}, 'Inconsistent', ATTACHED],
    ['a resource that may not be cleaned up stays; another goes', {r1_n1: 'false'}, 'UpToDate', ['n1', 'n2(DELETE)', 'n3(DISKLESS,DRBD_DISKLESS,TIE_BREAKER)', 'n4']],
    ['none may be cleaned up', {r1_n1: 'false', r1_n2: 'false'}, 'UpToDate', ATTACHED],
  ]
  for (const [name, refuse, diskState, expected] of cases) {
    test(name, () => {
      const c = toggled()
      for (const [k, v] of Object.entries(refuse)) {
        const node = k.split('_')[1] as string
        const r = c.state.rscs[key2('r1', node)] as RscRec
        apply(c.state, [{t: 'rscs', k: key2('r1', node), v: {...r, props: {'DrbdOptions/auto-diskful-allow-cleanup': v}}}])
      }
      run(c, diskfulFacts(c.state, 'n4', 7, diskState))
      assert.deepEqual(placement(c.state, 'r1'), expected)
    })
  }

  test('no cleanup while no diskful replica is Primary', () => {
    const c = toggled()
    run(c, diskfulFacts(c.state, 'nobody', 0))
    assert.deepEqual(placement(c.state, 'r1'), ATTACHED)
  })
})
