import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {formatSnapshotId, formatVolumeId, parseSnapshotId, parseVolumeId, resourceNameFor, snapshotNameFor} from '../../drivers/csi/volume-id.ts'

describe('volume ids', () => {
  test('parse: <resource> and <resource>/<volume number>', () => {
    const cases: [string, {resource: string, volumeNumber: number}][] = [
      ['pvc-1', {resource: 'pvc-1', volumeNumber: 0}],
      ['pvc-1/0', {resource: 'pvc-1', volumeNumber: 0}],
      ['cg-abc/3', {resource: 'cg-abc', volumeNumber: 3}],
      ['cg-abc/65535', {resource: 'cg-abc', volumeNumber: 65535}],
    ]
    for (const [id, want] of cases) assert.deepEqual(parseVolumeId(id), want, id)
  })

  test('parse rejects empty, missing resource, bad or out-of-range numbers', () => {
    for (const bad of ['', '/1', 'pvc/x', 'pvc/', 'pvc/65536', 'pvc/-1', 'pvc/1/2']) assert.throws(() => parseVolumeId(bad), Error, bad)
  })

  test('format leaves volume 0 out, as linstor-csi does', () => {
    assert.equal(formatVolumeId({resource: 'pvc-1', volumeNumber: 0}), 'pvc-1')
    assert.equal(formatVolumeId({resource: 'cg-x', volumeNumber: 2}), 'cg-x/2')
  })
})

describe('snapshot ids', () => {
  test('parse the URL forms and legacy bare names', () => {
    const cases: [string, ReturnType<typeof parseSnapshotId>][] = [
      ['InCluster:///pvc-1/snap-1', {type: 'InCluster', remote: '', resource: 'pvc-1', volumeNumber: 0, snapshot: 'snap-1'}],
      ['incluster:///pvc-1/snap-1', {type: 'InCluster', remote: '', resource: 'pvc-1', volumeNumber: 0, snapshot: 'snap-1'}],
      ['InCluster:///cg-1/2/snap-1', {type: 'InCluster', remote: '', resource: 'cg-1', volumeNumber: 2, snapshot: 'snap-1'}],
      ['S3://bucket-remote/pvc-1/snap-1', {type: 'S3', remote: 'bucket-remote', resource: 'pvc-1', volumeNumber: 0, snapshot: 'snap-1'}],
      ['Linstor://Other/pvc-1/snap-1', {type: 'Linstor', remote: 'Other', resource: 'pvc-1', volumeNumber: 0, snapshot: 'snap-1'}],
      ['snapshot-0f1e2d3c', {type: 'Unknown', remote: '', resource: '', volumeNumber: 0, snapshot: 'snapshot-0f1e2d3c'}],
    ]
    for (const [id, want] of cases) assert.deepEqual(parseSnapshotId(id), want, id)
  })

  test('parse rejects unknown types and malformed paths', () => {
    for (const bad of ['', 'Ftp:///a/b', 'InCluster:///only', 'InCluster:///a/b/c/d', 'InCluster:/a/b', 'InCluster:///a/x/b', 'InCluster:////b']) {
      assert.throws(() => parseSnapshotId(bad), Error, bad)
    }
  })

  test('format round-trips', () => {
    for (const id of ['InCluster:///pvc-1/snap-1', 'InCluster:///cg-1/2/snap-1', 'S3://remote/pvc-1/snap-1', 'snapshot-legacy']) {
      assert.equal(formatSnapshotId(parseSnapshotId(id)), id)
    }
  })
})

describe('names from the CO', () => {
  test('valid LINSTOR names are kept, others become vol-/snapshot-<uuid5> (stable)', () => {
    assert.equal(resourceNameFor('pvc-0123'), 'pvc-0123')
    assert.equal(snapshotNameFor('snapshot-abc'), 'snapshot-abc')
    const long = `pvc-${'x'.repeat(60)}`
    assert.match(resourceNameFor(long), /^vol-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(resourceNameFor(long), resourceNameFor(long))
    assert.match(snapshotNameFor('snap.with.dots'), /^snapshot-[0-9a-f-]{36}$/)
    assert.match(snapshotNameFor('all'), /^snapshot-/)
    assert.notEqual(snapshotNameFor('a.b'), snapshotNameFor('a.c'))
  })
})
