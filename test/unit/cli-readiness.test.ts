// When the CLI's long operations are over: resources ready (DRBD and storage-only) or in sync,
// volumes resized, snapshots taken, clones complete; the progress lines shown meanwhile.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import type {ResourceWithVolumes, Volume} from '../../src/api/wire.ts'
import {allOf, cloneDone, resourcesReady, resourcesSynced, snapshotTaken, volumesResized} from '../../src/cli/readiness.ts'

const drbd = (disk?: string, extra: Partial<Volume> = {}): Volume => ({volume_number: 0, state: disk ? {disk_state: disk} : undefined,
  layer_data_list: [{type: 'DRBD'}, {type: 'STORAGE', data: {usable_size_kib: 1024}}], ...extra})
const storage = (disk?: string, usable = 1024): Volume => ({volume_number: 0, state: disk ? {disk_state: disk} : undefined,
  layer_data_list: [{type: 'STORAGE', data: {usable_size_kib: usable}}]})
const rsc = (node: string, volumes: Volume[], flags: string[] = [], reported = true): ResourceWithVolumes =>
  ({name: 'r1', node_name: node, flags, volumes, ...(reported ? {state: {in_use: false}} : {})})

describe('resources ready', () => {
  test('storage-only volumes once created', () => {
    assert.deepEqual(resourcesReady('r1', [rsc('n1', [storage('Created')]), rsc('n2', [storage('Created')])]),
      {state: 'done', text: "Resource 'r1' ready on n1, n2"})
  })
  test('a satellite that has not reported yet', () => {
    const p = resourcesReady('r1', [rsc('n1', [storage('Created')]), rsc('n2', [storage()], [], false)])
    assert.deepEqual(p, {state: 'waiting', text: "Waiting for resource 'r1': 1 of 2 ready (n2: Unknown)"})
  })
  test('DRBD: UpToDate, intended diskless and tie-breakers are ready; Negotiating is not', () => {
    const p = resourcesReady('r1', [rsc('n1', [drbd('UpToDate')]), rsc('n2', [drbd('Negotiating')]),
      rsc('n3', [drbd('Diskless')], ['DISKLESS', 'TIE_BREAKER'])])
    assert.equal(p.state, 'waiting')
    assert.match(p.text, /2 of 3 ready \(n2: Negotiating\)/)
  })
  test('DRBD: a diskful replica without its disk is not ready', () =>
    assert.equal(resourcesReady('r1', [rsc('n1', [drbd('UpToDate')]), rsc('n2', [drbd('Diskless')])]).state, 'waiting'))
  test('DRBD: Inconsistent and synced from an UpToDate peer is ready, and said to be syncing', () => {
    assert.deepEqual(resourcesReady('r1', [rsc('n1', [drbd('UpToDate')]), rsc('n2', [drbd('Inconsistent')])]),
      {state: 'done', text: "Resource 'r1' ready on n1, n2 (n2 syncing)"})
    assert.equal(resourcesReady('r1', [rsc('n1', [drbd('Inconsistent')]), rsc('n2', [drbd('Inconsistent')])]).state, 'waiting')
  })
  test('a failed volume ends the wait with its error', () => {
    const failed = storage('Failed')
    failed.reports = [{ret_code: -1n, message: 'lvcreate: not enough space'}]
    assert.deepEqual(resourcesReady('r1', [rsc('n1', [storage('Created')]), rsc('n2', [failed])]),
      {state: 'failed', text: "Resource 'r1' failed on n2: lvcreate: not enough space"})
  })
  test('only the nodes asked for; a node not listed yet is awaited', () => {
    const list = [rsc('n1', [storage('Created')]), rsc('n2', [storage()], [], false)]
    assert.equal(resourcesReady('r1', list, {nodes: ['n1']}).state, 'done')
    assert.match(resourcesReady('r1', list, {nodes: ['n1', 'n3']}).text, /n3: not listed yet/)
  })
  test('offline nodes are not waited for, and said so', () => {
    assert.deepEqual(resourcesReady('r1', [rsc('n1', [storage('Created')]), rsc('n2', [storage()], [], false)], {offline: new Set(['n2'])}),
      {state: 'done', text: "Resource 'r1' ready on n1 (n2 offline, not waited for)"})
  })
  test('no resources: nothing to wait for, nothing to say', () => assert.deepEqual(resourcesReady('r1', []), {state: 'done', text: ''}))
  test('other definitions and resources being deleted do not count', () => {
    const other: ResourceWithVolumes = {...rsc('n2', [storage()], [], false), name: 'r2'}
    assert.equal(resourcesReady('r1', [rsc('n1', [storage('Created')]), other, rsc('n3', [storage()], ['DELETE'], false)]).state, 'done')
  })
})

describe('resources in sync (rd wait-sync)', () => {
  test('a replica still syncing from an UpToDate peer is not in sync yet', () => {
    assert.deepEqual(resourcesSynced('r1', [rsc('n1', [drbd('UpToDate')]), rsc('n2', [drbd('Inconsistent')])]),
      {state: 'waiting', text: "Waiting for resource 'r1' to sync: 1 of 2 in sync (n2: SyncTarget)"})
  })
  test('UpToDate everywhere, diskless replicas and storage-only volumes count as in sync', () => {
    assert.deepEqual(resourcesSynced('r1', [rsc('n1', [drbd('UpToDate')]), rsc('n2', [drbd('UpToDate')]), rsc('n3', [drbd('Diskless')], ['DISKLESS'])]),
      {state: 'done', text: "Resource 'r1' in sync on n1, n2, n3"})
    assert.equal(resourcesSynced('r1', [rsc('n1', [storage('Created')])]).state, 'done')
  })
  test('an unreported replica is awaited, a failed one ends the wait', () => {
    assert.match(resourcesSynced('r1', [rsc('n1', [drbd('UpToDate')]), rsc('n2', [drbd()], [], false)]).text, /n2: Unknown/)
    assert.equal(resourcesSynced('r1', [rsc('n1', [drbd('UpToDate')]), rsc('n2', [drbd('Failed')])]).state, 'failed')
  })
  test('no replicas: nothing to wait for', () => assert.deepEqual(resourcesSynced('r1', []), {state: 'done', text: "Resource 'r1' has no replicas"}))
})

describe('volumes resized', () => {
  test('when every diskful replica reports the size', () => {
    assert.deepEqual(volumesResized('r1', 0, 2048, [rsc('n1', [storage('Created', 2048)]), rsc('n2', [storage('Created', 1024)]),
      rsc('n3', [drbd('Diskless')], ['DISKLESS'])]), {state: 'waiting', text: "Resizing volume 0 of 'r1' to 2 MiB: waiting for n2"})
    assert.deepEqual(volumesResized('r1', 0, 1024, [rsc('n1', [storage('Created', 2048)]), rsc('n2', [storage('Created', 1024)])]),
      {state: 'done', text: "Resized volume 0 of 'r1' to 1 MiB"})
    assert.equal(volumesResized('r1', 0, 2048, [rsc('n1', [storage('Created', 1024)])], new Set(['n1'])).state, 'done')
  })
})

describe('snapshots and clones', () => {
  test('a snapshot is taken when SUCCESSFUL', () => {
    assert.deepEqual(snapshotTaken('r1', 's1', {flags: ['SUCCESSFUL'], nodes: ['n1', 'n2']}), {state: 'done', text: "Snapshot 's1' of 'r1' taken on n1, n2"})
    assert.deepEqual(snapshotTaken('r1', 's1', {flags: [], nodes: ['n1']}), {state: 'waiting', text: "Waiting for snapshot 's1' of 'r1' on n1"})
    assert.equal(snapshotTaken('r1', 's1', {flags: ['FAILED_DEPLOYMENT']}).state, 'failed')
    assert.equal(snapshotTaken('r1', 's1', undefined).state, 'failed')
  })
  test('several at once', () => {
    const done = snapshotTaken('r1', 's', {flags: ['SUCCESSFUL'], nodes: ['n1']})
    const waiting = snapshotTaken('r2', 's', {flags: [], nodes: ['n1']})
    assert.equal(allOf([done, waiting]), waiting)
    assert.deepEqual(allOf([done, done]), {state: 'done', text: `${done.text}\n${done.text}`})
  })
  test('clones', () => {
    assert.equal(cloneDone('c', {status: 'CLONING'}).state, 'waiting')
    assert.deepEqual(cloneDone('c', {status: 'COMPLETE'}), {state: 'done', text: 'Completed cloning c.'})
    assert.equal(cloneDone('c', {status: 'FAILED'}).state, 'failed')
  })
})
