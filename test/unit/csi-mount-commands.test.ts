import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {
  bindArgs, blankFromBlkid, blkidArgs, extFilesystemBytes, filesystemSmallerThanDevice, filesystemUsage, findmntArgs, forcedFsckPassed, fsckArgs,
  fsckPassed, growCommand, mountArgs, parseFindmnt, readOnlyRemountArgs, stageMountOptions,
} from '../../drivers/csi/mount-commands.ts'

describe('node commands', () => {
  test('findmnt output, bind-mount sources without their [/subdir]', () => {
    const out = JSON.stringify({filesystems: [
      {target: '/stage', source: '/dev/loop3', fstype: 'ext4', options: 'rw,relatime'},
      {target: '/pod', source: '/dev/loop3[/data]', fstype: 'ext4', options: 'ro,relatime', children: [{target: '/pod/x', source: 'tmpfs', fstype: 'tmpfs', options: 'rw'}]},
    ]})
    assert.deepEqual(parseFindmnt(out), [
      {target: '/stage', source: '/dev/loop3', fstype: 'ext4', options: ['rw', 'relatime']},
      {target: '/pod', source: '/dev/loop3', fstype: 'ext4', options: ['ro', 'relatime']},
      {target: '/pod/x', source: 'tmpfs', fstype: 'tmpfs', options: ['rw']},
    ])
    assert.deepEqual(parseFindmnt(''), [])
    assert.deepEqual(findmntArgs('/p'), ['--json', '--output', 'TARGET,SOURCE,FSTYPE,OPTIONS', '--mountpoint', '/p'])
  })

  test('stage mount options', () => {
    const cases: [Parameters<typeof stageMountOptions>[0], string[]][] = [
      [{fsType: 'ext4', contextOptions: [], mountFlags: [], readonly: false}, ['_netdev', 'rw']],
      [{fsType: 'ext4', contextOptions: ['noatime'], mountFlags: ['discard', 'noatime'], readonly: false}, ['_netdev', 'noatime', 'discard', 'rw']],
      [{fsType: 'xfs', contextOptions: [], mountFlags: [], readonly: false}, ['_netdev', 'nouuid', 'rw']],
      [{fsType: 'xfs', contextOptions: [''], mountFlags: [], readonly: true}, ['_netdev', 'nouuid', 'ro', 'norecovery']],
    ]
    for (const [input, want] of cases) assert.deepEqual(stageMountOptions(input), want, JSON.stringify(input))
  })

  test('argument arrays', () => {
    assert.deepEqual(mountArgs('/dev/loop1', '/stage', 'ext4', ['_netdev', 'rw']), ['-t', 'ext4', '-o', '_netdev,rw', '/dev/loop1', '/stage'])
    assert.deepEqual(bindArgs('/stage', '/pod'), ['--bind', '/stage', '/pod'])
    assert.deepEqual(readOnlyRemountArgs('/pod'), ['-o', 'remount,bind,ro', '/pod'])
    assert.deepEqual(blkidArgs('/dev/x'), ['-p', '-o', 'export', '/dev/x'])
    assert.deepEqual(fsckArgs('/dev/x'), ['-l', '-p', '-M', '/dev/x'])
    assert.deepEqual(growCommand('ext4', '/dev/x', '/stage'), ['resize2fs', ['/dev/x']])
    assert.deepEqual(growCommand('xfs', '/dev/x', '/stage'), ['xfs_growfs', ['/stage']])
    assert.equal(growCommand('btrfs', '/dev/x', '/stage'), undefined)
  })

  test('blank devices: nothing found by blkid', () => {
    assert.equal(blankFromBlkid(2, ''), true)
    assert.equal(blankFromBlkid(0, 'DEVNAME=/dev/x\nUUID=1\nTYPE=ext4\n'), false)
    assert.equal(blankFromBlkid(0, 'DEVNAME=/dev/x\nPTTYPE=gpt\n'), false, 'a partition table is data')
    assert.equal(blankFromBlkid(0, 'DEVNAME=/dev/x\n'), true)
    assert.throws(() => blankFromBlkid(4, ''), /exit code 4/)
  })

  test('fsck exit codes', () => {
    assert.deepEqual([0, 1, 2, 4, 8, 12].map(fsckPassed), [true, true, false, false, true, false])
    assert.deepEqual([0, 1, 2, 4, 8].map(forcedFsckPassed), [true, true, true, false, false])
  })

  test('ext filesystem size and growth', () => {
    assert.equal(extFilesystemBytes('Filesystem volume name:   <none>\nBlock count:              32768\nBlock size:               1024\n'), 32 * 1024 * 1024)
    assert.equal(extFilesystemBytes('garbage'), undefined)
    assert.equal(filesystemSmallerThanDevice(32 * 1024 * 1024, 64 * 1024 * 1024), true)
    assert.equal(filesystemSmallerThanDevice(64 * 1024 * 1024 - 1024, 64 * 1024 * 1024), false)
  })

  test('statfs usage', () => {
    assert.deepEqual(filesystemUsage({bsize: 4096, blocks: 100, bfree: 40, bavail: 30, files: 64, ffree: 50}), {
      bytes: {total: 409600, used: 245760, available: 122880}, inodes: {total: 64, used: 14, available: 50},
    })
  })
})
