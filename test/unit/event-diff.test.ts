import assert from 'node:assert/strict'
import {test} from 'node:test'
import type {Node} from '../../src/api/wire.ts'
import {nodeEvents, promotionEvents, sseFrame} from '../../src/controller/views/event-diff.ts'

const node = (name: string, over: Partial<Node> = {}): Node => ({name, type: 'SATELLITE', connection_status: 'ONLINE', ...over})
const m = (...ns: Node[]): Map<string, Node> => new Map(ns.map((n) => [n.name, n]))

test('node events: create, delete, modify; evacuate, evict and restore are named too', () => {
  assert.deepEqual(nodeEvents(m(), m(node('a'))).map((e) => e.event), ['node-create'])
  assert.deepEqual(nodeEvents(m(node('a')), m()).map((e) => e.event), ['node-delete'])
  assert.deepEqual(nodeEvents(m(node('a')), m(node('a'))), [])
  const off = nodeEvents(m(node('a')), m(node('a', {connection_status: 'OFFLINE'})))
  assert.deepEqual(off, [{event: 'node-modified', data: {old_node: node('a'), new_node: node('a', {connection_status: 'OFFLINE'})}}])
  assert.deepEqual(nodeEvents(m(node('a')), m(node('a', {flags: ['EVACUATE']}))).map((e) => e.event), ['node-evacuate', 'node-modified'])
  assert.deepEqual(nodeEvents(m(node('a')), m(node('a', {flags: ['EVICTED']}))).map((e) => e.event), ['node-evicted', 'node-modified'])
  assert.deepEqual(nodeEvents(m(node('a', {flags: ['EVICTED']})), m(node('a'))).map((e) => e.event), ['node-restored', 'node-modified'])
})

test('may-promote changes only when the value changes', () => {
  const k = 'r1\u0000n1'
  assert.deepEqual(promotionEvents(new Map(), new Map([[k, true]])), [{event: 'may-promote-change', data: {resource_name: 'r1', node_name: 'n1', may_promote: true}}])
  assert.deepEqual(promotionEvents(new Map([[k, true]]), new Map([[k, true]])), [])
  assert.equal((promotionEvents(new Map([[k, true]]), new Map([[k, false]]))[0]?.data as {may_promote?: boolean}).may_promote, false)
  assert.equal(sseFrame({event: 'x', data: {node: node('a')}}), 'event: x\ndata: {"node":{"name":"a","type":"SATELLITE","connection_status":"ONLINE"}}\n\n')
})
