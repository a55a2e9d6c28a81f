import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {csiSnapshotsOf, snapshotMessage} from '../../drivers/csi/csi-snapshot.ts'
import {page} from '../../drivers/csi/pagination.ts'

describe('LINSTOR snapshots as CSI snapshots', () => {
  const base = {name: 'snap-1', resource_name: 'pvc-1', nodes: ['n1'], flags: ['SUCCESSFUL'],
    volume_definitions: [{volume_number: 0, size_kib: 1024}], snapshots: [{node_name: 'n1', create_timestamp: 1_700_000_000_123}]}

  test('ready, size, time and id', () => {
    const [s] = csiSnapshotsOf(base)
    assert.deepEqual(s, {id: {type: 'InCluster', remote: '', resource: 'pvc-1', volumeNumber: 0, snapshot: 'snap-1'}, sizeBytes: 1024 * 1024,
      createdMs: 1_700_000_000_123, readyToUse: true, failed: false})
    assert.deepEqual(snapshotMessage(s as NonNullable<typeof s>), {snapshotId: 'InCluster:///pvc-1/snap-1', sourceVolumeId: 'pvc-1', sizeBytes: 1024 * 1024,
      readyToUse: true, creationTime: {seconds: 1_700_000_000, nanos: 123_000_000}})
  })

  test('flags decide readiness and failure; deleting snapshots are gone', () => {
    const cases: [string[], {readyToUse: boolean, failed: boolean} | undefined][] = [
      [[], {readyToUse: false, failed: false}],
      [['SUCCESSFUL'], {readyToUse: true, failed: false}],
      [['FAILED_DEPLOYMENT'], {readyToUse: false, failed: true}],
      [['SUCCESSFUL', 'FAILED_DISCONNECT'], {readyToUse: true, failed: true}],
      [['BACKUP', 'SUCCESSFUL'], {readyToUse: false, failed: false}],
      [['BACKUP', 'SHIPPED'], {readyToUse: true, failed: false}],
      [['SUCCESSFUL', 'DELETE'], undefined],
    ]
    for (const [flags, want] of cases) {
      const [s] = csiSnapshotsOf({...base, flags})
      assert.deepEqual(s && {readyToUse: s.readyToUse, failed: s.failed}, want, flags.join(','))
    }
  })

  test('only volume 0 and consistency-group members count', () => {
    const multi = {...base, volume_definitions: [{volume_number: 0, size_kib: 1}, {volume_number: 1, size_kib: 2},
      {volume_number: 2, size_kib: 3, volume_definition_props: {'Aux/csi-volume-name': 'pvc-b'}}]}
    assert.deepEqual(csiSnapshotsOf(multi).map((s) => s.id.volumeNumber), [0, 2])
    assert.equal(snapshotMessage(csiSnapshotsOf(multi)[1] as never).snapshotId, 'InCluster:///pvc-1/2/snap-1')
    assert.equal(csiSnapshotsOf({...base, snapshots: []})[0]?.createdMs, 0)
  })
})

describe('paging', () => {
  test('tokens are indexes into the sorted list', () => {
    const items = ['a', 'b', 'c', 'd', 'e']
    assert.deepEqual(page(items, '', 0), {ok: true, entries: items, nextToken: ''})
    assert.deepEqual(page(items, '', 2), {ok: true, entries: ['a', 'b'], nextToken: '2'})
    assert.deepEqual(page(items, '2', 2), {ok: true, entries: ['c', 'd'], nextToken: '4'})
    assert.deepEqual(page(items, '4', 2), {ok: true, entries: ['e'], nextToken: ''})
    assert.deepEqual(page(items, '5', 2), {ok: true, entries: [], nextToken: ''})
    assert.equal(page(items, '6', 0).ok, false)
    assert.equal(page(items, 'x', 0).ok, false)
    assert.equal(page(items, '', -1).ok, false)
  })
})
