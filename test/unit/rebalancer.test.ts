import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {CTRL} from '../../src/controller/model/controller-props.ts'
import {balanceResources, balanceSettings, type BalanceFacts} from '../../src/controller/model/rebalancer.ts'
import {createRscDfn, modifyRscDfn} from '../../src/controller/model/resource-definition.ts'
import {modifyRscGrp} from '../../src/controller/model/resource-group.ts'
import type {RscRec} from '../../src/controller/model/resource.ts'
import {key2, type ClusterState} from '../../src/controller/model/state.ts'
import {apply} from '../support/model.ts'
import {cluster, facts, group, NOW, placement, reportFor, spawned, type Cluster} from '../support/lifecycle.ts'

const HOUR = 3_600_000

function balanceFacts(state: ClusterState, over: Partial<BalanceFacts> = {}): BalanceFacts {
  return {now: NOW + 2 * HOUR, reportOf: (n) => reportFor(state, n), inUse: () => false, placement: facts(), ...over}
}

function balance(c: Cluster, over: Partial<BalanceFacts> = {}): ReturnType<typeof balanceResources> {
  const r = balanceResources(c.state, balanceFacts(c.state, over), c.ids)
  apply(c.state, r.changes)
  return r
}

/** r1 from a storage group of place count 2 (on n1, n2), with its replica on n2 gone. */
function short(): Cluster {
  const c = cluster(4)
  group(c, 'rg2', 2)
  spawned(c, 'rg2', 'r1')
  apply(c.state, [{t: 'rscs', k: key2('r1', 'n2')}])
  return c
}

/** r1 on n1, n2 and, added an hour later, n3: one more than the place count. */
function surplus(): Cluster {
  const c = cluster(4)
  group(c, 'rg2', 2)
  spawned(c, 'rg2', 'r1')
  const r = c.state.rscs[key2('r1', 'n1')] as RscRec
  apply(c.state, [{t: 'rscs', k: key2('r1', 'n3'), v: {...r, node: 'n3', createTs: NOW + HOUR, uuid: 'x'}}])
  return c
}

describe('too few replicas', () => {
  // [case, BalanceResourcesEnabled on rd / rg / controller, minutes since spawn, where r1 is afterwards]
  const cases: [string, {rd?: string, rg?: string, ctrl?: string}, number, string[]][] = [
    ['after the grace period a replica is added', {}, 120, ['n1', 'n2']],
    ['within the grace period nothing happens', {}, 30, ['n1']],
    ['BalanceResourcesEnabled false on the controller', {ctrl: 'false'}, 120, ['n1']],
    ['false on the group', {rg: 'false'}, 120, ['n1']],
    ['true on the definition wins over false on the controller', {rd: 'true', ctrl: 'false'}, 120, ['n1', 'n2']],
  ]
  for (const [name, where, minutes, expected] of cases) {
    test(name, () => {
      const c = short()
      const prop = (v: string | undefined) => ({override_props: v === undefined ? {} : {BalanceResourcesEnabled: v}})
      apply(c.state, modifyRscDfn(c.state, 'r1', prop(where.rd)).changes)
      apply(c.state, modifyRscGrp(c.state, 'rg2', prop(where.rg)).changes)
      if (where.ctrl) apply(c.state, [{t: 'ctrlProps', k: CTRL, v: {props: {BalanceResourcesEnabled: where.ctrl}}}])
      balance(c, {now: NOW + minutes * 60_000})
      assert.deepEqual(placement(c.state, 'r1'), expected)
    })
  }

  test('BalanceResourcesGracePeriod on the controller shortens the wait', () => {
    const c = short()
    apply(c.state, [{t: 'ctrlProps', k: CTRL, v: {props: {BalanceResourcesGracePeriod: '60'}}}])
    balance(c, {now: NOW + 61_000})
    assert.deepEqual(placement(c.state, 'r1'), ['n1', 'n2'])
  })

  test('no node can take one: a message, no change', () => {
    const c = short()
    const r = balance(c, {placement: facts(['n2', 'n3', 'n4'])})
    assert.deepEqual(placement(c.state, 'r1'), ['n1'])
    assert.match(r.messages.join('\n'), /'r1' has 1 of 2 replicas and no node can take another/)
  })

  test('definitions without resources, being deleted, or with a replica evacuating are left alone', () => {
    const c = short()
    apply(c.state, createRscDfn(c.state, {resource_definition: {name: 'empty', resource_group_name: 'rg2'}}, c.ids).changes)
    const r1 = c.state.rscs[key2('r1', 'n1')] as RscRec
    apply(c.state, [{t: 'rscs', k: key2('r1', 'n1'), v: {...r1, flags: ['EVACUATE']}}])
    assert.deepEqual(balance(c).changes, [])
  })
})

describe('too many replicas', () => {
  test('the newest goes once all are up to date', () => {
    const c = surplus()
    const r = balance(c, {now: NOW + 3 * HOUR})
    assert.deepEqual(placement(c.state, 'r1'), ['n1', 'n2', 'n3(DELETE)'])
    assert.deepEqual(r.removed.map((x) => x.node), ['n3'])
  })

  test('not while one is not reported up to date', () => {
    const c = surplus()
    balance(c, {now: NOW + 3 * HOUR, reportOf: (n) => (n === 'n2' ? undefined : reportFor(c.state, n))})
    assert.deepEqual(placement(c.state, 'r1'), ['n1', 'n2', 'n3'])
  })

  test('never one in use', () => {
    const c = surplus()
    balance(c, {now: NOW + 3 * HOUR, inUse: (_rsc, node) => node === 'n3'})
    assert.deepEqual(placement(c.state, 'r1'), ['n1(DELETE)', 'n2', 'n3'])
  })
})

test('the balance interval and grace period: an hour each unless the controller says otherwise', () => {
  const c = cluster(1)
  assert.deepEqual(balanceSettings(c.state), {intervalMs: HOUR, graceMs: HOUR})
  apply(c.state, [{t: 'ctrlProps', k: CTRL, v: {props: {BalanceResourcesInterval: '60', BalanceResourcesGracePeriod: '0'}}}])
  assert.deepEqual(balanceSettings(c.state), {intervalMs: 60_000, graceMs: 0})
})
