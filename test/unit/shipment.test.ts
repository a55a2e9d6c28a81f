import {test} from 'node:test'
import assert from 'node:assert/strict'
import {backupQueueView} from '../../src/controller/model/backup.ts'
import {freeSlots, shippingSlots, SLOTS_PROP, startQueued, type ShipmentRec} from '../../src/controller/model/shipment.ts'
import {applyChanges, emptyState, type ClusterState} from '../../src/controller/model/state.ts'

const shipment = (rsc: string, node: string, state: ShipmentRec['state'], startTs: number, kind: ShipmentRec['kind'] = 'backup'): ShipmentRec =>
  ({key: `${kind.toUpperCase()}/BAK/${rsc.toUpperCase()}/S`, kind, remote: 'bak', rsc, snap: 's', node, state, startTs, vlms: []})

function cluster(ctrl?: string, nodeLimits: Record<string, string> = {}): ClusterState {
  const s = emptyState()
  if (ctrl !== undefined) s.ctrlProps.CTRL = {props: {[SLOTS_PROP]: ctrl}}
  for (const n of ['n1', 'n2']) {
    s.nodes[n.toUpperCase()] = {name: n, props: nodeLimits[n] !== undefined ? {[SLOTS_PROP]: nodeLimits[n] as string} : {}} as never
  }
  return s
}

test('slots: the node overrides the controller; negative or unset is no limit; 0 never ships', () => {
  const rows: [string | undefined, Record<string, string>, number, number][] = [
    [undefined, {}, Infinity, Infinity],
    ['2', {}, 2, 2],
    ['2', {n2: '-1'}, 2, Infinity],
    ['-5', {n1: '0'}, 0, Infinity],
    ['0', {n2: '3'}, 0, 3],
    ['junk', {}, Infinity, Infinity],
  ]
  for (const [ctrl, nodes, n1, n2] of rows) {
    const s = cluster(ctrl, nodes)
    assert.deepEqual([shippingSlots(s, 'n1'), shippingSlots(s, 'N2')], [n1, n2], JSON.stringify([ctrl, nodes]))
  }
})

test('queued shipments start oldest first when slots free up; receiving takes no slot', () => {
  const s = cluster('1')
  const all = [shipment('a', 'n1', 'RUNNING', 1), shipment('b', 'n1', 'QUEUED', 3), shipment('c', 'n1', 'QUEUED', 2), shipment('d', 'n2', 'QUEUED', 4),
    shipment('e', 'n2', 'RUNNING', 0, 'ship-receive')]
  for (const x of all) s.shipments[x.key] = x
  assert.deepEqual([freeSlots(s, 'n1'), freeSlots(s, 'n2')], [0, 1])
  let started = startQueued(s)
  assert.deepEqual(started.map((c) => (c.v as ShipmentRec).rsc), ['d'], 'n1 is full; n2 has its slot')
  applyChanges(s, started)
  s.shipments['BACKUP/BAK/A/S'] = {...all[0] as ShipmentRec, state: 'SUCCEEDED'}
  started = startQueued(s)
  assert.deepEqual(started.map((c) => (c.v as ShipmentRec).rsc), ['c'], 'the oldest queued one takes the freed slot')
  applyChanges(s, started)
  assert.deepEqual(backupQueueView(s, {snapToNode: false}), {node_queues: [{node_name: 'n1', queue: [{resource_name: 'b', snapshot_name: 's', remote_name: 'bak',
    incremental: false, start_timestamp: 3, pref_node: 'n1'}]}]})
  assert.deepEqual(backupQueueView(s, {snapToNode: true, resources: new Set(['X'])}), {snap_queues: []})
})
