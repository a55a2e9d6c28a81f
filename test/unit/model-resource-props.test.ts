// The properties of one resource and of its volumes (`resource set-property`, `volume set-property`):
// set, removed, kept apart per volume, refused for what does not exist.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {Rc} from '../../src/common/api-call-rc.ts'
import {modifyRscProps, modifyVlmProps} from '../../src/controller/model/resource-props.ts'
import {emptyState, key2, type ClusterState} from '../../src/controller/model/state.ts'
import {apply, failsWith} from '../support/model.ts'

function cluster(): ClusterState {
  const s = emptyState()
  s.rscDfns.R1 = {name: 'r1', rscGrp: 'DfltRscGrp', props: {}, flags: [], uuid: 'u'}
  for (const nr of [0, 1]) s.vlmDfns[key2('r1', nr)] = {rscDfn: 'r1', vlmNr: nr, sizeKib: 1024, props: {}, flags: [], uuid: 'u'}
  s.rscs[key2('r1', 'n1')] = {rscDfn: 'r1', node: 'n1', props: {PrefNic: 'eth1'}, flags: [], layerStack: ['STORAGE'], pools: {0: 'sp', 1: 'sp'},
    uuid: 'u', createTs: 0}
  return s
}

test('resource properties: set and removed, others kept', () => {
  const s = cluster()
  apply(s, modifyRscProps(s, 'R1', 'N1', {override_props: {'DrbdOptions/Net/protocol': 'A'}}).changes)
  assert.deepEqual(s.rscs[key2('r1', 'n1')]?.props, {'PrefNic': 'eth1', 'DrbdOptions/Net/protocol': 'A'})
  apply(s, modifyRscProps(s, 'r1', 'n1', {delete_props: ['PrefNic']}).changes)
  assert.deepEqual(s.rscs[key2('r1', 'n1')]?.props, {'DrbdOptions/Net/protocol': 'A'})
})

test('volume properties: per volume number, on the resource', () => {
  const s = cluster()
  apply(s, modifyVlmProps(s, 'r1', 'n1', '1', {override_props: {'Aux/tier': 'gold'}}).changes)
  apply(s, modifyVlmProps(s, 'r1', 'n1', '0', {override_props: {'Aux/tier': 'silver'}}).changes)
  apply(s, modifyVlmProps(s, 'r1', 'n1', '0', {delete_props: ['Aux/tier']}).changes)
  assert.deepEqual(s.rscs[key2('r1', 'n1')]?.vlmProps, {0: {}, 1: {'Aux/tier': 'gold'}})
})

test('unknown resources and volumes, bad bodies', () => {
  const s = cluster()
  failsWith(() => modifyRscProps(s, 'r1', 'n2', {}), Rc.FAIL_NOT_FOUND_RSC, /Resource 'r1' on node 'n2' not found/)
  failsWith(() => modifyVlmProps(s, 'r1', 'n1', '7', {}), Rc.FAIL_NOT_FOUND_VLM, /Volume 7 of resource 'r1' on node 'n1' not found/)
  failsWith(() => modifyRscProps(s, 'r1', 'n1', {override_props: {'bad key': 'x'}}), Rc.FAIL_INVLD_PROP)
})
