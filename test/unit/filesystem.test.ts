import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {mkfsCommand} from '../../src/satellite/filesystem.ts'

describe('mkfsCommand', () => {
  test('ext4, quiet, no params', () => assert.deepEqual(mkfsCommand({type: 'ext4'}, '/dev/loop3'), ['mkfs.ext4', ['-q', '/dev/loop3']]))
  test('xfs with MkfsParams split on whitespace, device last', () =>
    assert.deepEqual(mkfsCommand({type: 'xfs', mkfsParams: ' -K  -L data '}, '/dev/drbd1000'), ['mkfs.xfs', ['-q', '-K', '-L', 'data', '/dev/drbd1000']]))
  test('a params string cannot reach a shell: metacharacters stay one argument each', () =>
    assert.deepEqual(mkfsCommand({type: 'ext4', mkfsParams: '-L x;rm'}, '/dev/x')[1], ['-q', '-L', 'x;rm', '/dev/x']))
  test('unknown types are refused with the supported list', () =>
    assert.throws(() => mkfsCommand({type: 'ntfs'}, '/dev/x'), /FileSystem\/Type 'ntfs' is not supported: use one of ext4, xfs/))
})
