// `resource involved <node>`: the resources with a replica on the node, all their replicas, and
// the linstor client's filters over a resource's replicas together.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import type {ResourceWithVolumes} from '../../src/api/wire.ts'
import {involvedResources} from '../../src/cli/commands/resource/involved.ts'

const rsc = (name: string, node: string, opts: {diskless?: boolean, inUse?: boolean} = {}): ResourceWithVolumes =>
  ({name, node_name: node, flags: opts.diskless ? ['DRBD_DISKLESS', 'DISKLESS'] : [], state: {in_use: opts.inUse ?? false}})

const all = [
  rsc('a', 'n1'), rsc('a', 'n2', {inUse: true}),
  rsc('b', 'n2'), rsc('b', 'n3'),
  rsc('c', 'n1'), rsc('c', 'n3', {diskless: true, inUse: true}),
]
const names = (list: ResourceWithVolumes[]): string[] => list.map((r) => `${r.name}@${r.node_name}`)

test('every replica of the resources with one on the node', () => {
  assert.deepEqual(names(involvedResources(all, 'n1')), ['a@n1', 'a@n2', 'c@n1', 'c@n3'])
  assert.deepEqual(names(involvedResources(all, 'N2')), ['a@n1', 'a@n2', 'b@n2', 'b@n3'], 'node names in any case')
  assert.deepEqual(involvedResources(all, 'n9'), [])
})

test('filters: in use anywhere, in use by a diskless replica, fewer diskful replicas than asked', () => {
  assert.deepEqual(names(involvedResources(all, 'n1', {inUse: true})), ['a@n1', 'a@n2', 'c@n1', 'c@n3'])
  assert.deepEqual(names(involvedResources(all, 'n3', {inUse: true})), ['c@n1', 'c@n3'])
  assert.deepEqual(names(involvedResources(all, 'n1', {disklessInUse: true})), ['c@n1', 'c@n3'])
  assert.deepEqual(names(involvedResources(all, 'n1', {minDiskful: 2})), ['c@n1', 'c@n3'], 'c has one diskful replica')
  assert.deepEqual(involvedResources(all, 'n1', {minDiskful: 1}), [])
})
