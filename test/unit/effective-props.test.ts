import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {evictionTimestamp} from '../../src/controller/model/auto-evict.ts'
import {CTRL} from '../../src/controller/model/controller-props.ts'
import {effectiveProps} from '../../src/controller/model/props.ts'
import {modifyRscDfn} from '../../src/controller/model/resource-definition.ts'
import {modifyRscGrp} from '../../src/controller/model/resource-group.ts'
import type {RscRec} from '../../src/controller/model/resource.ts'
import {key2} from '../../src/controller/model/state.ts'
import type {NodeRuntime} from '../../src/controller/link/satellite-link.ts'
import {resourceView} from '../../src/controller/views/resource-view.ts'
import {cluster, group, NOW, spawned} from '../support/lifecycle.ts'
import {apply} from '../support/model.ts'
import {validateAgainst} from '../support/openapi.ts'

describe('effective props', () => {
  // [case, levels (lowest first) as [type, props], expected]
  const cases: [string, [string, Record<string, string>][], Record<string, unknown>][] = [
    ['nothing set: nothing shown', [['RSC', {}], ['CTRL', {}]], {}],
    ['one level', [['RSC', {}], ['RSC_DFN', {'DrbdOptions/Net/protocol': 'A'}]], {'DrbdOptions/Net/protocol': {type: 'RSC_DFN', value: 'A', descr: 'RSC_DFN'}}],
    ['the lowest wins, the others are listed', [['RSC', {'DrbdOptions/Net/protocol': 'B'}], ['RSC_GRP', {'DrbdOptions/Net/protocol': 'C'}],
      ['CTRL', {'DrbdOptions/Net/protocol': 'A'}]],
    {'DrbdOptions/Net/protocol': {type: 'RSC', value: 'B', descr: 'RSC', other: [{type: 'RSC_GRP', value: 'C', descr: 'RSC_GRP'}, {type: 'CTRL', value: 'A', descr: 'CTRL'}]}}],
    ['other namespaces are not rendered', [['RSC', {'Aux/x': '1', StorPoolName: 'p'}]], {}],
  ]
  for (const [name, levels, expected] of cases) {
    test(name, () => {
      assert.deepEqual(effectiveProps('DrbdOptions/', levels.map(([type, props]) => ({type, descr: type, props}))), expected)
    })
  }

  test('a resource view shows where its DRBD options come from, and matches the contract', () => {
    const c = cluster(3)
    group(c, 'rg', 2, ['DRBD', 'STORAGE'])
    spawned(c, 'rg', 'r1')
    apply(c.state, modifyRscGrp(c.state, 'rg', {override_props: {'DrbdOptions/Net/protocol': 'C', 'DrbdOptions/Resource/quorum': 'majority'}}).changes)
    apply(c.state, modifyRscDfn(c.state, 'r1', {override_props: {'DrbdOptions/Net/protocol': 'A'}}).changes)
    apply(c.state, [{t: 'ctrlProps', k: CTRL, v: {props: {'DrbdOptions/Net/max-buffers': '8000', 'Cairn/internal': 'x'}}}])
    const rt: NodeRuntime = {status: 'ONLINE'}
    const view = resourceView(c.state, c.state.rscs[key2('r1', 'n1')] as RscRec, rt)
    assert.deepEqual(view.effective_props, {
      'DrbdOptions/Net/max-buffers': {type: 'CTRL', value: '8000', descr: 'Controller'},
      'DrbdOptions/Net/protocol': {type: 'RSC_DFN', value: 'A', descr: "Resource definition 'r1'", other: [{type: 'RSC_GRP', value: 'C', descr: "Resource group 'rg'"}]},
      'DrbdOptions/Resource/quorum': {type: 'RSC_GRP', value: 'majority', descr: "Resource group 'rg'"},
    })
    assert.deepEqual(validateAgainst('Resource', JSON.parse(JSON.stringify(view))), [])
  })
})

describe('eviction timestamp', () => {
  const MIN = 60_000
  // [case, node props, controller props, node flags, offline since, expected]
  const cases: [string, Record<string, string>, Record<string, string>, string[], number | undefined, number | undefined][] = [
    ['online: none', {}, {}, [], undefined, undefined],
    ['offline: AutoEvictAfterTime (60 minutes by default) after it went', {}, {}, [], NOW, NOW + 60 * MIN],
    ['the controller sets the time', {}, {'DrbdOptions/AutoEvictAfterTime': '10'}, [], NOW, NOW + 10 * MIN],
    ['the node\'s own setting wins', {'DrbdOptions/AutoEvictAfterTime': '5'}, {'DrbdOptions/AutoEvictAfterTime': '10'}, [], NOW, NOW + 5 * MIN],
    ['eviction not allowed: none', {'DrbdOptions/AutoEvictAllowEviction': 'false'}, {}, [], NOW, undefined],
    ['already evicted: none', {}, {}, ['EVICTED'], NOW, undefined],
  ]
  for (const [name, nodeProps, ctrl, flags, since, expected] of cases) {
    test(name, () => {
      const c = cluster(1)
      apply(c.state, [{t: 'ctrlProps', k: CTRL, v: {props: ctrl}}])
      const n = {...c.state.nodes.N1 as NonNullable<typeof c.state.nodes.N1>, props: nodeProps, flags}
      assert.equal(evictionTimestamp(c.state, n, since), expected)
    })
  }
})
