import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import type {DeployedResourceState} from '../../gateway/status.ts'
import {targetStatus} from '../../gateway/status.ts'

const node = (name: string, inUse: boolean, ...diskStates: string[]): DeployedResourceState =>
  ({node: name, inUse, volumes: diskStates.map((diskState, number) => ({number, diskState}))})

describe('target status (as upstream computes it)', () => {
  test('two UpToDate replicas and a diskless tie-breaker: OK, started on the primary', () => {
    assert.deepEqual(targetStatus({fileAttached: true, placeCount: 2, resources: [
      node('node1', true, 'UpToDate', 'UpToDate'), node('node2', false, 'UpToDate', 'UpToDate'), node('node3', false, 'Diskless', 'Diskless'),
    ]}), {state: 'OK', service: 'Started', primary: 'node1', nodes: ['node1', 'node2', 'node3'],
      volumes: [{number: 0, state: 'OK'}, {number: 1, state: 'OK'}]})
  })
  test('fewer UpToDate replicas than the place count: Degraded', () => {
    assert.deepEqual(targetStatus({fileAttached: true, placeCount: 2, resources: [
      node('node1', false, 'UpToDate', 'UpToDate'), node('node2', true, 'Diskless', 'Diskless'),
    ]}), {state: 'Degraded', service: 'Started', primary: 'node2', nodes: ['node1', 'node2'],
      volumes: [{number: 0, state: 'Degraded'}, {number: 1, state: 'Degraded'}]})
  })
  test('no resources: Unknown and Stopped', () => {
    assert.deepEqual(targetStatus({fileAttached: true, placeCount: 2, resources: []}),
      {state: 'Unknown', service: 'Stopped', primary: '', nodes: [], volumes: []})
  })
  test('file not attached: Stopped although a node has it in use', () => {
    const s = targetStatus({fileAttached: false, placeCount: 2, resources: [node('node1', true, 'UpToDate'), node('node2', false, 'UpToDate')]})
    assert.equal(s.service, 'Stopped')
    assert.equal(s.primary, 'node1')
    assert.equal(s.state, 'OK')
  })
  test('attached but nowhere in use: Stopped', () => {
    assert.equal(targetStatus({fileAttached: true, placeCount: 1, resources: [node('node1', false, 'UpToDate')]}).service, 'Stopped')
  })
  test('one replica syncing: that volume Degraded, the worst volume wins', () => {
    const s = targetStatus({fileAttached: true, placeCount: 2, resources: [
      node('a', true, 'UpToDate', 'UpToDate'), node('b', false, 'UpToDate', 'Inconsistent'),
    ]})
    assert.deepEqual(s.volumes, [{number: 0, state: 'OK'}, {number: 1, state: 'Degraded'}])
    assert.equal(s.state, 'Degraded')
  })
  test('no usable replica: Bad', () => {
    const s = targetStatus({fileAttached: true, placeCount: 2, resources: [node('a', false, 'UpToDate', 'Outdated'), node('b', false, 'UpToDate', 'Inconsistent')]})
    assert.deepEqual(s.volumes, [{number: 0, state: 'OK'}, {number: 1, state: 'Bad'}])
    assert.equal(s.state, 'Bad')
  })
})
