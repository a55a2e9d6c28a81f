import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {Rc} from '../../src/common/api-call-rc.ts'
import {adjustRscGrps} from '../../src/controller/model/resource-group-adjust.ts'
import {findRscGrp, modifyRscGrp} from '../../src/controller/model/resource-group.ts'
import {cluster, facts, group, placement, spawned, type Cluster} from '../support/lifecycle.ts'
import {apply} from '../support/model.ts'

/** Two definitions of a STORAGE group of place count 1 on four nodes; then the place count is `to`. */
function raised(to: number): Cluster {
  const c = cluster(4)
  group(c, 'rg', 1)
  spawned(c, 'rg', 'r1')
  spawned(c, 'rg', 'r2')
  apply(c.state, modifyRscGrp(c.state, 'rg', {select_filter: {place_count: to}}).changes)
  return c
}

function adjust(c: Cluster, groups = ['rg'], request = {}, offline: string[] = []): ReturnType<typeof adjustRscGrps> {
  const r = adjustRscGrps(c.state, groups.map((g) => findRscGrp(c.state, g)), request, facts(offline), c.ids)
  apply(c.state, r.changes)
  return r
}

describe('resource-group adjust', () => {
  // [case, new place count, offline nodes, request filter, where r1 is afterwards, codes of the notes for r1]
  const cases: [string, number, string[], object, string[], bigint[]][] = [
    ['a raised place count: the missing replicas are placed', 3, [], {}, ['n1', 'n2', 'n3'], []],
    ['already met: nothing changes', 1, [], {}, ['n1'], []],
    ['not enough nodes: a refusal for the definition, nothing placed', 3, ['n2', 'n3', 'n4'], {}, ['n1'], [Rc.FAIL_NOT_ENOUGH_NODES]],
    ['the request filter overrides the group', 1, [], {place_count: 2}, ['n1', 'n2'], []],
  ]
  for (const [name, to, offline, request, where, codes] of cases) {
    test(name, () => {
      const c = raised(to)
      const r = adjust(c, ['rg'], request, offline)
      assert.deepEqual(placement(c.state, 'r1'), where)
      assert.deepEqual(r.outcomes.find((o) => o.rscDfn === 'r1')?.notes.map((n) => n.code), codes)
    })
  }

  test('a definition with more replicas than the place count is left alone, with a warning', () => {
    const c = raised(3)
    adjust(c)
    apply(c.state, modifyRscGrp(c.state, 'rg', {select_filter: {place_count: 2}}).changes)
    const r = adjust(c)
    assert.deepEqual(placement(c.state, 'r1'), ['n1', 'n2', 'n3'])
    const note = r.outcomes.find((o) => o.rscDfn === 'r1')?.notes[0]
    assert.equal(note?.code, Rc.WARN_INVLD_PLACE_COUNT)
    assert.match(note?.text.message ?? '', /already deployed on 3 nodes: 'n1', 'n2', 'n3'/)
  })

  test('each placement sees those before it: not_place_with_rsc keeps the definitions apart', () => {
    const c = raised(2)
    assert.deepEqual([placement(c.state, 'r1'), placement(c.state, 'r2')], [['n1'], ['n1']])
    const r = adjust(c, ['rg'], {not_place_with_rsc: ['r1', 'r2']})
    // r2 does not go to n2, where r1's new replica went a moment before.
    assert.deepEqual(r.outcomes.map((o) => [o.rscDfn, o.placed.map((x) => x.node)]), [['r1', ['n2']], ['r2', ['n3']]])
  })

  test('adjust-all covers every group', () => {
    const c = raised(2)
    group(c, 'other', 1)
    spawned(c, 'other', 'r3')
    apply(c.state, modifyRscGrp(c.state, 'other', {select_filter: {place_count: 2}}).changes)
    const r = adjust(c, ['rg', 'other'])
    assert.deepEqual(r.outcomes.map((o) => [o.rscDfn, o.placed.length]), [['r1', 1], ['r2', 1], ['r3', 1]])
  })
})
