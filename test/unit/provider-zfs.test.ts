// ZFS and ZFS_THIN providers. This host has no ZFS kernel module, so the providers run against a
// scripted Run that checks every command line and answers with OpenZFS 2.1.11 output fixtures
// (test/fixtures/zfs/README.md says how they were made); probe() is also run for real.
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import type {Logger} from '../../src/common/log.ts'
import {ExecError, type Run} from '../../src/satellite/exec.ts'
import type {PoolSpec} from '../../src/satellite/providers/provider.ts'
import {type ZfsHost, zfsProvider} from '../../src/satellite/providers/zfs.ts'
import {zfsThinProvider} from '../../src/satellite/providers/zfs-thin.ts'
import {capacityKib, classify, cloneArgs, createArgs, deletionSteps, kernelProblem, listArgs, parseList, parsePoolSize, parseSpace,
  parseZfsSize, poolDataset, resizeArgs, roundUpKib, snapshotsIn, spaceArgs, splitOptions, volblocksizeOf} from '../../src/satellite/providers/zfs-commands.ts'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/zfs/${name}`, import.meta.url), 'utf8')
const ON_ZFS_2_1 = 'against OpenZFS 2.1 output fixtures; no ZFS module here'
const COLUMNS = 'name,type,volsize,referenced,volblocksize,origin,clones'
const LIST_R = (ds: string): string[] => ['zfs', 'list', '-H', '-p', '-r', '-t', 'volume,snapshot', '-o', COLUMNS, ds]
const LIST_ONE = (name: string): string[] => ['zfs', 'list', '-H', '-p', '-t', 'volume,snapshot', '-o', COLUMNS, name]

const log: Logger = {error() {}, warn() {}, info() {}, debug() {}, child: () => log}
const thick: PoolSpec = {name: 'sp1', kind: 'ZFS', props: {'StorDriver/ZPool': 'tank'}}
const thin: PoolSpec = {name: 'sp2', kind: 'ZFS_THIN', props: {'StorDriver/ZPoolThin': 'tank/thin'}}

/** One expected command line and its answer: a stdout fixture, or stderr and exit status 1. */
interface Step {line: string[], out?: string, err?: string}

/** A Run that insists on exactly `steps`, in order, and answers as ZFS did. */
function scripted(steps: Step[]): {run: Run, done: () => void} {
  const left = [...steps]
  const run: Run = async (cmd, args) => {
    const step = left.shift()
    assert.deepEqual([cmd, ...args], step?.line ?? ['<no more commands expected>'])
    if (step?.err !== undefined) throw new ExecError(cmd, args, {stdout: '', stderr: fixture(step.err), exitCode: 1})
    return {stdout: step?.out === undefined ? '' : fixture(step.out), stderr: '', exitCode: 0}
  }
  return {run, done: () => assert.deepEqual(left.map((s) => s.line), [], 'commands expected but not run')}
}

/** A host where `paths` exist, tools are installed, and time moves only when the provider sleeps. */
function fakeHost(paths: string[] = [], opts: {appearAfterSleeps?: string, sleeps?: number} = {}): Partial<ZfsHost> & {slept: number[]} {
  let clock = 1_700_000_100_000
  const slept: number[] = []
  return {
    slept,
    exists: async (p) => paths.includes(p) || (p === opts.appearAfterSleeps && slept.length >= (opts.sleeps ?? 0)),
    readText: async () => undefined,
    hasCommand: async () => true,
    sleep: async (ms) => {
      slept.push(ms)
      clock += ms
    },
    now: () => clock,
  }
}

describe('zfs-commands: argument builders', () => {
  test('list, space, create, resize, clone', () => {
    assert.deepEqual(listArgs('tank', true), LIST_R('tank').slice(1))
    assert.deepEqual(listArgs('tank/r1_00000', false), LIST_ONE('tank/r1_00000').slice(1))
    assert.deepEqual(spaceArgs('tank/thin'), ['get', '-H', '-p', '-o', 'property,value', 'available,quota', 'tank/thin'])
    assert.deepEqual(createArgs({thin: false, sizeKib: 1048576, options: [], target: 'tank/r1_00000'}), ['create', '-V', '1048576k', 'tank/r1_00000'])
    assert.deepEqual(createArgs({thin: true, sizeKib: 8, options: ['-o', 'compression=lz4'], target: 't/r_00001'}),
      ['create', '-s', '-V', '8k', '-o', 'compression=lz4', 't/r_00001'])
    assert.deepEqual(resizeArgs('tank/r1_00000', 2097152), ['set', 'volsize=2097152k', 'tank/r1_00000'])
    assert.deepEqual(cloneArgs('tank/a_00000@s', 'tank/b_00000', false), ['clone', '-o', 'refreservation=auto', 'tank/a_00000@s', 'tank/b_00000'])
    assert.deepEqual(cloneArgs('tank/a_00000@s', 'tank/b_00000', true), ['clone', 'tank/a_00000@s', 'tank/b_00000'])
  })

  test('pool dataset: from the kind\'s property, trimmed; missing or malformed is a clear error', () => {
    assert.equal(poolDataset(thick, 'StorDriver/ZPool'), 'tank')
    assert.equal(poolDataset({...thick, props: {'StorDriver/ZPool': ' tank/linstor/ '}}, 'StorDriver/ZPool'), 'tank/linstor')
    assert.throws(() => poolDataset({...thick, props: {}}, 'StorDriver/ZPool'), /Storage pool 'sp1' \(ZFS\) has no StorDriver\/ZPool/)
    assert.throws(() => poolDataset({...thick, props: {'StorDriver/ZPool': '/dev/sdb'}}, 'StorDriver/ZPool'), /not a ZFS dataset name/)
  })

  const splits: [string, string | undefined, string[]][] = [
    ['unset', undefined, []],
    ['blank', '   ', []],
    ['words', '-b 16k  -o compression=lz4', ['-b', '16k', '-o', 'compression=lz4']],
    ['quotes group', `-o 'org.test:note=a b' -o "x=\\"y\\""`, ['-o', 'org.test:note=a b', '-o', 'x="y"']],
    ['empty quoted word', `-o ''`, ['-o', '']],
    ['backslash escapes', 'a\\ b', ['a b']],
  ]
  for (const [name, value, expected] of splits) test(`splitOptions: ${name}`, () => assert.deepEqual(splitOptions(value), expected))
  test('splitOptions: an unterminated quote is an error', () => assert.throws(() => splitOptions(`-o 'x`), /unterminated ' quote/))

  test('sizes: ZFS suffixes are powers of 1024; volblocksize from create options; rounding to it', () => {
    assert.deepEqual(['8192', '16k', '16K', '16KB', '16KiB', '1M', '512B', 'x', '16kk', ''].map(parseZfsSize),
      [8192, 16384, 16384, 16384, 16384, 1048576, 512, undefined, undefined, undefined])
    assert.equal(volblocksizeOf([]), undefined)
    assert.equal(volblocksizeOf(['-o', 'compression=lz4']), undefined)
    assert.equal(volblocksizeOf(['-b', '16k']), 16384)
    assert.equal(volblocksizeOf(['-b32K']), 32768)
    assert.equal(volblocksizeOf(['-o', 'volblocksize=64k']), 65536)
    assert.equal(volblocksizeOf(['-ovolblocksize=4096']), 4096)
    assert.throws(() => volblocksizeOf(['-b']), /cannot read the volume block size/)
    assert.throws(() => volblocksizeOf(['-b', 'big']), /cannot read the volume block size/)
    assert.deepEqual([roundUpKib(1048576, 8192), roundUpKib(1000001, 8192), roundUpKib(1000001, 16384), roundUpKib(3, 512)],
      [1048576, 1000008, 1000016, 3])
  })

  test('capacity: free is available; total the quota, else the zpool size', () => {
    assert.deepEqual(capacityKib({availableBytes: 3119747072, quotaBytes: 0}, 10200547328), {freeKib: 3046628, totalKib: 9961472})
    assert.deepEqual(capacityKib({availableBytes: 3119747072, quotaBytes: 5368709120}, undefined), {freeKib: 3046628, totalKib: 5242880})
  })

  test('kernel: /dev/zfs decides; /proc/modules only refines the reason', () => {
    assert.equal(kernelProblem(true, undefined), undefined)
    assert.equal(kernelProblem(false, undefined), 'ZFS kernel module not loaded (/dev/zfs absent; install zfs-dkms and run modprobe zfs)')
    assert.equal(kernelProblem(false, 'loop 32768 0 - Live 0x0\n'), 'ZFS kernel module not loaded (/dev/zfs absent; install zfs-dkms and run modprobe zfs)')
    assert.match(kernelProblem(false, 'zfs 3928064 7 - Live 0x0 (POE)\nspl 118784 1 zfs, Live 0x0 (OE)\n') ?? '', /loaded but \/dev\/zfs is missing/)
  })
})

describe(`zfs-commands: parsing (${ON_ZFS_2_1})`, () => {
  const entries = parseList(fixture('list-r-tank.stdout'))

  test('zfs list: volumes and volume snapshots with their columns; filesystem snapshots skipped', () => {
    assert.deepEqual(entries.map((e) => e.name), ['tank/r1_00000', 'tank/r1_00000@snap1', 'tank/r1_00000@snap2', 'tank/r2_00000', 'tank/r3_00000',
      'tank/r4_00000.deleted-1700000000000', 'tank/r4_00000.deleted-1700000000000@snap1', 'tank/thin/r9_00000', 'tank/thin/r9_00000@snap1',
      'tank/vm-100-disk-0'])
    assert.deepEqual(entries[1], {name: 'tank/r1_00000@snap1', type: 'snapshot', volsizeBytes: 1073741824, referencedBytes: 104914944,
      volblocksizeBytes: undefined, origin: undefined, clones: ['tank/r3_00000']})
    assert.deepEqual(entries[4], {name: 'tank/r3_00000', type: 'volume', volsizeBytes: 1073741824, referencedBytes: 104914944,
      volblocksizeBytes: 8192, origin: 'tank/r1_00000@snap1', clones: []})
  })

  test('zfs list: empty output, and the empty clones column of ZFS < 2.0.5', () => {
    assert.deepEqual(parseList(fixture('list-r-tank-empty.stdout')), [])
    assert.deepEqual(parseList('tank/a_00000@s\tsnapshot\t8192\t4096\t-\t-\t\n')[0]?.clones, [])
  })

  test('names: live and deleted volumes, user and marked snapshots; nested and foreign datasets are not ours', () => {
    assert.deepEqual(classify('tank', 'tank/r1_00000'), {type: 'volume', rsc: 'r1', vlmNr: 0, marked: false})
    assert.deepEqual(classify('tank', 'tank/r4_00000.deleted-1700000000000'), {type: 'volume', rsc: 'r4', vlmNr: 0, marked: true})
    assert.deepEqual(classify('tank', 'tank/r1_00000@snap1'), {type: 'snapshot', rsc: 'r1', vlmNr: 0, snap: 'snap1', marked: false})
    assert.deepEqual(classify('tank', 'tank/r_1_00002@snap1.deleted-5'), {type: 'snapshot', rsc: 'r_1', vlmNr: 2, snap: 'snap1.deleted-5', marked: true})
    for (const name of ['tank/thin/r9_00000', 'tank/vm-100-disk-0', 'tank@before-upgrade', 'tank2/r1_00000', 'tank/r1_00000.old', 'tank/r1_00000@']) {
      assert.equal(classify('tank', name), undefined, name)
    }
  })

  test('snapshots: under live and deleted volumes', () => {
    assert.deepEqual(snapshotsIn('tank', entries).map(({rsc, vlmNr, snap}) => `${rsc}/${vlmNr}@${snap}`), ['r1/0@snap1', 'r1/0@snap2', 'r4/0@snap1'])
  })

  test('zfs get / zpool get', () => {
    assert.deepEqual(parseSpace(fixture('get-space-tank.stdout')), {availableBytes: 3119747072, quotaBytes: 0})
    assert.deepEqual(parseSpace(fixture('get-space-tank-thin.stdout')), {availableBytes: 3119747072, quotaBytes: 5368709120})
    assert.equal(parsePoolSize(fixture('zpool-get-size-tank.stdout')), 10200547328)
    assert.throws(() => parseSpace('available\t-\n'), /unexpected 'zfs get' output/)
    assert.throws(() => parsePoolSize(''), /unexpected 'zpool get' output/)
  })

  // [name, listing, target, expected zfs commands]
  const deletions: [string, string, string, string[][]][] = [
    ['a volume without snapshots is destroyed', 'list-r-tank.stdout', 'tank/r2_00000', [['destroy', 'tank/r2_00000']]],
    ['a clone of a user snapshot is destroyed; the snapshot stays', 'list-r-tank.stdout', 'tank/r3_00000', [['destroy', 'tank/r3_00000']]],
    ['a volume with snapshots is renamed with the mark', 'list-r-tank.stdout', 'tank/r1_00000',
      [['rename', 'tank/r1_00000', 'tank/r1_00000.deleted-42']]],
    ['a snapshot with a clone is renamed with the mark', 'list-r-tank.stdout', 'tank/r1_00000@snap1',
      [['rename', 'tank/r1_00000@snap1', 'tank/r1_00000@snap1.deleted-42']]],
    ['a snapshot without clones is destroyed', 'list-r-tank.stdout', 'tank/r1_00000@snap2', [['destroy', 'tank/r1_00000@snap2']]],
    ['the last snapshot of a deleted volume takes the volume with it', 'list-r-tank.stdout', 'tank/r4_00000.deleted-1700000000000@snap1',
      [['destroy', 'tank/r4_00000.deleted-1700000000000@snap1'], ['destroy', 'tank/r4_00000.deleted-1700000000000']]],
    ['the last clone takes its marked origin and that one\'s deleted volume with it', 'list-r-tank-after-deletes.stdout', 'tank/r3_00000',
      [['destroy', 'tank/r3_00000'], ['destroy', 'tank/r1_00000.deleted-1700000200000@snap1.deleted-1700000300000'],
        ['destroy', 'tank/r1_00000.deleted-1700000200000']]],
    ['nothing to delete: nothing done', 'list-r-tank.stdout', 'tank/r5_00000', []],
  ]
  for (const [name, listing, target, expected] of deletions) {
    test(`deletion: ${name}`, () => assert.deepEqual(deletionSteps('tank', parseList(fixture(listing)), target, 42), expected))
  }

  test('deletion: marked leftovers without dependents are swept along; foreign zvols never', () => {
    const leftovers = parseList(fixture('list-r-tank.stdout') + [
      'tank/r2_00000@copy-for-r12_00000.deleted-7\tsnapshot\t2147483648\t57344\t-\t-\t-',
      'tank/vm-100-disk-0.deleted-7\tvolume\t8192\t4096\t8192\t-\t-',
      'tank/r5_00000.deleted-7\tvolume\t8192\t4096\t8192\t-\t-',
    ].join('\n'))
    // r4's snapshot is a user snapshot: it and its deleted volume stay until the controller deletes it.
    assert.deepEqual(deletionSteps('tank', leftovers, 'tank/r2_00000', 42), [
      ['destroy', 'tank/r2_00000@copy-for-r12_00000.deleted-7'], ['destroy', 'tank/r5_00000.deleted-7'], ['destroy', 'tank/r2_00000'],
    ])
  })
})

describe(`ZFS / ZFS_THIN providers (${ON_ZFS_2_1})`, () => {
  test(`ZFS create: exact command sequence (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: ['zfs', 'create', '-V', '1048576k', 'tank/r5_00000']},
      {line: LIST_ONE('tank/r5_00000'), out: 'list-tank-r5_00000.stdout'},
    ])
    const p = zfsProvider({run, log}, fakeHost(['/dev/zvol/tank/r5_00000']))
    assert.deepEqual(await p.create(thick, {rsc: 'r5', vlmNr: 0, sizeKib: 1048576}),
      {rsc: 'r5', vlmNr: 0, devicePath: '/dev/zvol/tank/r5_00000', allocatedKib: 1048576, usableKib: 1048576})
    done()
  })

  test(`ZFS_THIN create: exact command sequence (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([
      {line: LIST_R('tank/thin'), out: 'list-r-tank-thin.stdout'},
      {line: ['zfs', 'create', '-s', '-V', '1048576k', 'tank/thin/r10_00000']},
      {line: LIST_ONE('tank/thin/r10_00000'), out: 'list-tank-thin-r10_00000.stdout'},
    ])
    const p = zfsThinProvider({run, log}, fakeHost(['/dev/zvol/tank/thin/r10_00000']))
    assert.deepEqual(await p.create(thin, {rsc: 'r10', vlmNr: 0, sizeKib: 1048576}),
      {rsc: 'r10', vlmNr: 0, devicePath: '/dev/zvol/tank/thin/r10_00000', allocatedKib: 56, usableKib: 1048576})
    done()
  })

  test(`ZFS create: ZfscreateOptions appended; size rounded up to their -b block size (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: ['zfs', 'create', '-V', '1000016k', '-b', '16k', '-o', 'compression=lz4', 'tank/r6_00000']},
      {line: LIST_ONE('tank/r6_00000'), out: 'list-tank-r6_00000.stdout'},
    ])
    const pool = {...thick, props: {...thick.props, 'StorDriver/ZfscreateOptions': '-b 16k -o compression=lz4'}}
    const v = await zfsProvider({run, log}, fakeHost(['/dev/zvol/tank/r6_00000'])).create(pool, {rsc: 'r6', vlmNr: 0, sizeKib: 1000001})
    assert.equal(v.usableKib, 1000016)
    done()
  })

  test(`create completes an existing zvol: no zfs create, only the wait for its device (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([{line: LIST_R('tank'), out: 'list-r-tank.stdout'}])
    const host = fakeHost([], {appearAfterSleeps: '/dev/zvol/tank/r1_00000', sleeps: 3})
    const v = await zfsProvider({run, log}, host).create(thick, {rsc: 'r1', vlmNr: 0, sizeKib: 1048576})
    assert.deepEqual(v, {rsc: 'r1', vlmNr: 0, devicePath: '/dev/zvol/tank/r1_00000', allocatedKib: 1048576, usableKib: 1048576})
    assert.deepEqual(host.slept, [50, 50, 50])
    done()
  })

  test(`create grows a smaller zvol to a multiple of its own volblocksize (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: ['zfs', 'set', 'volsize=3000016k', 'tank/r2_00000']},
    ])
    const v = await zfsProvider({run, log}, fakeHost(['/dev/zvol/tank/r2_00000'])).create(thick, {rsc: 'r2', vlmNr: 0, sizeKib: 3000001})
    assert.deepEqual([v.usableKib, v.allocatedKib], [3000016, 3000016])
    done()
  })

  test(`ZFS create from a snapshot: a reserved clone (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: ['zfs', 'clone', '-o', 'refreservation=auto', 'tank/r1_00000@snap2', 'tank/r7_00000']},
      {line: LIST_ONE('tank/r7_00000'), out: 'list-tank-r7_00000.stdout'},
    ])
    const v = await zfsProvider({run, log}, fakeHost(['/dev/zvol/tank/r7_00000'])).create(thick, {rsc: 'r7', vlmNr: 0, sizeKib: 1048576}, {rsc: 'r1', snap: 'snap2'})
    assert.equal(v.devicePath, '/dev/zvol/tank/r7_00000')
    done()
  })

  test(`create from a snapshot whose volume was deleted: cloned from under the marked name (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: ['zfs', 'clone', '-o', 'refreservation=auto', 'tank/r4_00000.deleted-1700000000000@snap1', 'tank/r8_00000']},
      {line: LIST_ONE('tank/r8_00000'), out: 'list-tank-r8_00000.stdout'},
    ])
    await zfsProvider({run, log}, fakeHost(['/dev/zvol/tank/r8_00000'])).create(thick, {rsc: 'r8', vlmNr: 0, sizeKib: 1048576}, {rsc: 'r4', snap: 'snap1'})
    done()
  })

  test(`ZFS_THIN create from a snapshot: a plain clone (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([
      {line: LIST_R('tank/thin'), out: 'list-r-tank-thin.stdout'},
      {line: ['zfs', 'clone', 'tank/thin/r9_00000@snap1', 'tank/thin/r11_00000']},
      {line: LIST_ONE('tank/thin/r11_00000'), out: 'list-tank-thin-r11_00000.stdout'},
    ])
    const v = await zfsThinProvider({run, log}, fakeHost(['/dev/zvol/tank/thin/r11_00000']))
      .create(thin, {rsc: 'r11', vlmNr: 0, sizeKib: 1048576}, {rsc: 'r9', snap: 'snap1'})
    assert.deepEqual([v.allocatedKib, v.usableKib], [56, 1048576])
    done()
  })

  test(`create from a live volume: a base snapshot marked for deletion, then its clone (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: ['zfs', 'snapshot', 'tank/r2_00000@copy-for-r12_00000.deleted-1700000100000']},
      {line: ['zfs', 'clone', '-o', 'refreservation=auto', 'tank/r2_00000@copy-for-r12_00000.deleted-1700000100000', 'tank/r12_00000']},
      {line: LIST_ONE('tank/r12_00000'), out: 'list-tank-r12_00000.stdout'},
    ])
    const v = await zfsProvider({run, log}, fakeHost(['/dev/zvol/tank/r12_00000'])).create(thick, {rsc: 'r12', vlmNr: 0, sizeKib: 2097152}, {rsc: 'r2'})
    assert.equal(v.usableKib, 2097152)
    done()
  })

  const missingSources: [string, {rsc: string, snap?: string}, RegExp][] = [
    ['snapshot', {rsc: 'r1', snap: 'nosuch'}, /snapshot 'nosuch' of r1\/0 is not in storage pool 'sp1' on this node/],
    ['marked (deleted) snapshot', {rsc: 'r1', snap: 'snap1.deleted-1'}, /snapshot 'snap1.deleted-1' of r1\/0 is not in storage pool/],
    ['live volume', {rsc: 'r99'}, /r99\/0 is not in storage pool 'sp1' on this node/],
  ]
  for (const [name, source, message] of missingSources) {
    test(`create from a missing ${name}: a clear error, nothing created (${ON_ZFS_2_1})`, async () => {
      const {run, done} = scripted([{line: LIST_R('tank'), out: 'list-r-tank.stdout'}])
      await assert.rejects(zfsProvider({run, log}, fakeHost()).create(thick, {rsc: 'r13', vlmNr: 0, sizeKib: 1024}, source), message)
      done()
    })
  }

  test(`create: the /dev/zvol link not appearing in time is an error (StorDriver/WaitTimeoutAfterCreate) (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([{line: LIST_R('tank'), out: 'list-r-tank.stdout'}])
    const host = fakeHost()
    const pool = {...thick, props: {...thick.props, 'StorDriver/WaitTimeoutAfterCreate': '200'}}
    await assert.rejects(zfsProvider({run, log}, host).create(pool, {rsc: 'r1', vlmNr: 0, sizeKib: 1048576}),
      /Device '\/dev\/zvol\/tank\/r1_00000' did not show up in 200 ms/)
    assert.deepEqual(host.slept, [50, 50, 50, 50])
    done()
  })

  test(`pool dataset missing: list, create and capacity say which property names it (${ON_ZFS_2_1})`, async () => {
    const pool: PoolSpec = {name: 'sp9', kind: 'ZFS', props: {'StorDriver/ZPool': 'tank2'}}
    const message = /ZFS dataset 'tank2' \(StorDriver\/ZPool of storage pool 'sp9'\) does not exist on this node/
    const {run, done} = scripted([
      {line: LIST_R('tank2'), err: 'dataset-missing-tank2.stderr'},
      {line: LIST_R('tank2'), err: 'dataset-missing-tank2.stderr'},
      {line: ['zfs', ...spaceArgs('tank2')], err: 'dataset-missing-tank2.stderr'},
    ])
    const p = zfsProvider({run, log}, fakeHost())
    await assert.rejects(p.list(pool), message)
    await assert.rejects(p.create(pool, {rsc: 'r1', vlmNr: 0, sizeKib: 1024}), message)
    await assert.rejects(p.capacity(pool), message)
    done()
  })

  test('pool property missing: a clear error before any command', async () => {
    const {run, done} = scripted([])
    await assert.rejects(zfsThinProvider({run, log}, fakeHost()).list({...thin, props: {'StorDriver/ZPool': 'tank'}}),
      /Storage pool 'sp2' \(ZFS_THIN\) has no StorDriver\/ZPoolThin/)
    done()
  })

  test(`list: Cairn's live zvols only; device only where its link exists; thick allocates its size, thin what it references (${ON_ZFS_2_1})`, async () => {
    const a = scripted([{line: LIST_R('tank'), out: 'list-r-tank.stdout'}])
    assert.deepEqual(await zfsProvider({run: a.run, log}, fakeHost(['/dev/zvol/tank/r1_00000', '/dev/zvol/tank/r3_00000'])).list(thick), [
      {rsc: 'r1', vlmNr: 0, devicePath: '/dev/zvol/tank/r1_00000', allocatedKib: 1048576, usableKib: 1048576},
      {rsc: 'r2', vlmNr: 0, devicePath: undefined, allocatedKib: 2097152, usableKib: 2097152},
      {rsc: 'r3', vlmNr: 0, devicePath: '/dev/zvol/tank/r3_00000', allocatedKib: 1048576, usableKib: 1048576},
    ])
    a.done()
    const b = scripted([{line: LIST_R('tank/thin'), out: 'list-r-tank-thin.stdout'}])
    assert.deepEqual(await zfsThinProvider({run: b.run, log}, fakeHost(['/dev/zvol/tank/thin/r9_00000'])).list(thin), [
      {rsc: 'r9', vlmNr: 0, devicePath: '/dev/zvol/tank/thin/r9_00000', allocatedKib: 56, usableKib: 1048576},
    ])
    b.done()
  })

  test(`capacity: ZFS without quota asks zpool for the total; ZFS_THIN's dataset quota is its total (${ON_ZFS_2_1})`, async () => {
    const a = scripted([
      {line: ['zfs', 'get', '-H', '-p', '-o', 'property,value', 'available,quota', 'tank'], out: 'get-space-tank.stdout'},
      {line: ['zpool', 'get', '-H', '-p', '-o', 'value', 'size', 'tank'], out: 'zpool-get-size-tank.stdout'},
    ])
    assert.deepEqual(await zfsProvider({run: a.run, log}, fakeHost()).capacity(thick), {freeKib: 3046628, totalKib: 9961472})
    a.done()
    const b = scripted([{line: ['zfs', 'get', '-H', '-p', '-o', 'property,value', 'available,quota', 'tank/thin'], out: 'get-space-tank-thin.stdout'}])
    assert.deepEqual(await zfsThinProvider({run: b.run, log}, fakeHost()).capacity(thin), {freeKib: 3046628, totalKib: 5242880})
    b.done()
  })

  const removals: [string, string, string[][]][] = [
    ['r2', 'list-r-tank.stdout', [['zfs', 'destroy', 'tank/r2_00000']]],
    ['r1', 'list-r-tank.stdout', [['zfs', 'rename', 'tank/r1_00000', 'tank/r1_00000.deleted-1700000100000']]],
    ['r3', 'list-r-tank-after-deletes.stdout', [['zfs', 'destroy', 'tank/r3_00000'],
      ['zfs', 'destroy', 'tank/r1_00000.deleted-1700000200000@snap1.deleted-1700000300000'], ['zfs', 'destroy', 'tank/r1_00000.deleted-1700000200000']]],
    ['r5', 'list-r-tank-empty.stdout', []],
  ]
  for (const [rsc, listing, commands] of removals) {
    test(`remove ${rsc} from ${listing}: exact command sequence (${ON_ZFS_2_1})`, async () => {
      const {run, done} = scripted([{line: LIST_R('tank'), out: listing}, ...commands.map((line) => ({line}))])
      await zfsProvider({run, log}, fakeHost()).remove(thick, {rsc, vlmNr: 0})
      done()
    })
  }

  test(`remove: a busy zvol fails with zfs's own reason (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([{line: LIST_R('tank'), out: 'list-r-tank.stdout'}, {line: ['zfs', 'destroy', 'tank/r2_00000'], err: 'destroy-busy-r2_00000.stderr'}])
    await assert.rejects(zfsProvider({run, log}, fakeHost()).remove(thick, {rsc: 'r2', vlmNr: 0}),
      /zfs destroy tank\/r2_00000 failed \(exit 1\): cannot destroy 'tank\/r2_00000': dataset is busy/)
    done()
  })

  test(`remove: a leftover that cannot be destroyed yet is logged, not fatal (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([
      {line: LIST_R('tank'), out: 'list-r-tank-leftover.stdout'},
      {line: ['zfs', 'destroy', 'tank/r2_00000@copy-for-r12_00000.deleted-1700000100000'], err: 'destroy-held-snapshot.stderr'},
      {line: ['zfs', 'destroy', 'tank/r3_00000']},
    ])
    const warnings: string[] = []
    const recording: Logger = {...log, warn: (msg, fields) => warnings.push(`${msg}: ${String(fields?.dataset)}`)}
    await zfsProvider({run, log: recording}, fakeHost()).remove(thick, {rsc: 'r3', vlmNr: 0})
    assert.deepEqual(warnings, ['A dataset marked for deletion could not be destroyed yet: tank/r2_00000@copy-for-r12_00000.deleted-1700000100000'])
    done()
  })

  test(`snapshots: list, create (with ZfsSnapshotOptions), create again is a no-op, remove (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: ['zfs', 'snapshot', '-o', 'org.example:tag=nightly', 'tank/r2_00000@snap3']},
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: ['zfs', 'rename', 'tank/r1_00000@snap1', 'tank/r1_00000@snap1.deleted-1700000100000']},
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: ['zfs', 'destroy', 'tank/r4_00000.deleted-1700000000000@snap1']},
      {line: ['zfs', 'destroy', 'tank/r4_00000.deleted-1700000000000']},
    ])
    const support = zfsProvider({run, log}, fakeHost()).snapshots
    assert.ok(support)
    const pool = {...thick, props: {...thick.props, 'StorDriver/ZfsSnapshotOptions': '-o org.example:tag=nightly'}}
    assert.deepEqual(await support.list(pool), [{rsc: 'r1', vlmNr: 0, snap: 'snap1'}, {rsc: 'r1', vlmNr: 0, snap: 'snap2'}, {rsc: 'r4', vlmNr: 0, snap: 'snap1'}])
    await support.create(pool, {rsc: 'r2', vlmNr: 0, snap: 'snap3'})
    await support.create(pool, {rsc: 'r1', vlmNr: 0, snap: 'snap1'})
    await support.remove(pool, {rsc: 'r1', vlmNr: 0, snap: 'snap1'})
    await support.remove(pool, {rsc: 'r4', vlmNr: 0, snap: 'snap1'})
    done()
  })

  test(`snapshots: rollback is zfs rollback of the snapshot (no -r), then the zvol as it is now (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
      {line: ['zfs', 'rollback', 'tank/r1_00000@snap2']},
      {line: LIST_ONE('tank/r1_00000'), out: 'list-tank-r1_00000.stdout'},
      {line: LIST_R('tank'), out: 'list-r-tank.stdout'},
    ])
    const support = zfsProvider({run, log}, fakeHost(['/dev/zvol/tank/r1_00000'])).snapshots
    const vol = await support?.rollback?.(thick, {rsc: 'r1', vlmNr: 0, snap: 'snap2'})
    assert.equal(vol?.devicePath, '/dev/zvol/tank/r1_00000')
    await assert.rejects(support?.rollback?.(thick, {rsc: 'r1', vlmNr: 0, snap: 'nope'}) ?? Promise.resolve(), /snapshot 'nope' of r1\/0 is not in storage pool 'sp1'/)
    done()
  })

  test(`snapshots: of a volume that is not there, a clear error (${ON_ZFS_2_1})`, async () => {
    const {run, done} = scripted([{line: LIST_R('tank/thin'), out: 'list-r-tank-thin.stdout'}])
    await assert.rejects(zfsThinProvider({run, log}, fakeHost()).snapshots?.create(thin, {rsc: 'r1', vlmNr: 0, snap: 's'}) ?? Promise.resolve(),
      /r1\/0 is not in storage pool 'sp2' on this node/)
    done()
  })
})

describe('probe', () => {
  test('reasons: missing tools, kernel module', async () => {
    const {run} = scripted([])
    const none = {hasCommand: async () => false, exists: async () => false, readText: async () => undefined}
    assert.deepEqual(await zfsProvider({run, log}, none).probe(), [
      "'zfs' not found (install zfsutils-linux)", "'zpool' not found (install zfsutils-linux)",
      'ZFS kernel module not loaded (/dev/zfs absent; install zfs-dkms and run modprobe zfs)',
    ])
    const ready = {hasCommand: async () => true, exists: async (p: string) => p === '/dev/zfs', readText: async () => undefined}
    assert.deepEqual(await zfsThinProvider({run, log}, ready).probe(), [])
  })

  test('on this machine (the real check): ZFS is reported missing', {skip: existsSync('/dev/zfs') ? 'this host has ZFS' : false}, async () => {
    const {run} = scripted([])
    for (const p of [zfsProvider({run, log}), zfsThinProvider({run, log})]) {
      const reasons = await p.probe()
      assert.ok(reasons.includes('ZFS kernel module not loaded (/dev/zfs absent; install zfs-dkms and run modprobe zfs)'), reasons.join('; '))
    }
  })
})
