// The LVM and LVM_THIN providers against a fake Run that replays lvm2 2.03's recorded outputs
// (test/fixtures/lvm, made by record.sh) and records every command. This host has no
// device-mapper, so LVM itself cannot run here: the tests pin the exact command lines instead.
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {createLogger} from '../../src/common/log.ts'
import {ExecError, type Run} from '../../src/satellite/exec.ts'
import * as lvm from '../../src/satellite/providers/lvm-commands.ts'
import {type LvmHost, lvmProvider} from '../../src/satellite/providers/lvm.ts'
import {lvmThinProvider} from '../../src/satellite/providers/lvm-thin.ts'
import type {PoolSpec, SnapshotSupport, StorageProvider} from '../../src/satellite/providers/provider.ts'

const REC = '(against recorded lvm2 2.03 outputs; no device-mapper here)'
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/lvm/${name}`, import.meta.url), 'utf8')

interface Reply {stdout?: string, stderr?: string, exitCode?: number}
type Step = [cmd: string, args: string[], reply: Reply]

/** The recorded stdout of a report command. */
const out = (name: string): Reply => ({stdout: fixture(`${name}.json`)})
/** A recorded failure: its stderr, and its stdout where lvm2 printed one. */
const failed = (name: string, exitCode = 5): Reply => ({
  stdout: existsSync(new URL(`../fixtures/lvm/${name}.json`, import.meta.url)) ? fixture(`${name}.json`) : '',
  stderr: fixture(`${name}.err`), exitCode,
})
/** What lvm2 prints on success for commands whose output the providers do not read. */
const said = (line: string): Reply => ({stdout: `  ${line}\n`})
const quiet: Reply = {}

const LVS = ['--reportformat', 'json', '--units', 'k', '--nosuffix', '-o', 'lv_name,lv_attr,lv_size,pool_lv,data_percent']
const VGS = ['--reportformat', 'json', '--units', 'k', '--nosuffix', '-o', 'vg_name,vg_size,vg_free']
const listing: Step = ['lvs', [...LVS, 'drbdpool'], out('lvs-drbdpool')]

const thick: PoolSpec = {name: 'ssd', kind: 'LVM', props: {'StorDriver/LvmVg': 'drbdpool'}}
const thinPool: PoolSpec = {name: 'thin', kind: 'LVM_THIN', props: {'StorDriver/LvmVg': 'drbdpool', 'StorDriver/ThinPool': 'thinpool'}}

/** LVM_THIN's snapshot support (a test failure if it has none). */
function snaps(p: StorageProvider): SnapshotSupport {
  assert.ok(p.snapshots, `${p.kind} takes no snapshots`)
  return p.snapshots
}

const log = createLogger({level: 'error', format: 'text', write: () => undefined})
const fullHost: LvmHost = {hasCommand: async () => true, exists: async () => true, readFile: async () => ' 236 device-mapper\n 237 loop-control\n'}

/**
 * Runs `act` on a provider whose Run replays `steps` in order, then checks that exactly those
 * commands ran (a failing step ends the script: nothing may run after it).
 */
async function replay<T>(make: typeof lvmProvider, steps: Step[], act: (p: StorageProvider) => Promise<T>): Promise<T> {
  const calls: [string, string[]][] = []
  const run: Run = async (cmd, args) => {
    calls.push([cmd, [...args]])
    const reply = steps[calls.length - 1]?.[2]
    if (!reply) throw new Error(`unexpected command: ${cmd} ${args.join(' ')}`)
    const result = {stdout: reply.stdout ?? '', stderr: reply.stderr ?? '', exitCode: reply.exitCode ?? 0}
    if (result.exitCode !== 0) throw new ExecError(cmd, args, result)
    return result
  }
  try {
    return await act(make({run, log}, fullHost))
  } finally {
    assert.deepEqual(calls, steps.map(([cmd, args]) => [cmd, args]))
  }
}

describe('LVM provider (thick)', () => {
  test(`LVM capacity: vgs of the volume group ${REC}`, async () => {
    const cap = await replay(lvmProvider, [['vgs', [...VGS, 'drbdpool'], out('vgs-drbdpool')]], (p) => p.capacity(thick))
    assert.deepEqual(cap, {freeKib: 790528, totalKib: 2093056})
  })

  test(`LVM capacity: a missing volume group is named, with the property to fix ${REC}`, async () => {
    const pool = {...thick, props: {'StorDriver/LvmVg': 'nosuchvg'}}
    await assert.rejects(replay(lvmProvider, [['vgs', [...VGS, 'nosuchvg'], failed('vgs-nosuchvg')]], (p) => p.capacity(pool)),
      {message: "Volume group 'nosuchvg' (StorDriver/LvmVg of storage pool 'ssd') not found on this node"})
  })

  test(`LVM list: thick LVs named <rsc>_<nnnnn>; thin volumes, the thin pool and other LVs ignored ${REC}`, async () => {
    assert.deepEqual(await replay(lvmProvider, [listing], (p) => p.list(thick)), [
      {rsc: 'r1', vlmNr: 0, devicePath: '/dev/drbdpool/r1_00000', allocatedKib: 102400, usableKib: 102400},
      {rsc: 'r4', vlmNr: 0, devicePath: undefined, allocatedKib: 102400, usableKib: 102400},
    ])
  })

  test(`LVM create: exact command sequence ${REC}`, async () => {
    const vol = await replay(lvmProvider, [
      listing,
      ['lvcreate', ['--size', '102400k', '-n', 'r1_00001', '-y', '--wipesignatures', 'y', 'drbdpool'], said('Logical volume "r1_00001" created.')],
      ['lvs', [...LVS, 'drbdpool/r1_00001'], out('lvs-r1_00001')],
    ], (p) => p.create(thick, {rsc: 'r1', vlmNr: 1, sizeKib: 102400}))
    assert.deepEqual(vol, {rsc: 'r1', vlmNr: 1, devicePath: '/dev/drbdpool/r1_00001', allocatedKib: 102400, usableKib: 102400})
  })

  test(`LVM create: an active volume of the size asked for is left alone ${REC}`, async () => {
    const vol = await replay(lvmProvider, [listing], (p) => p.create(thick, {rsc: 'r1', vlmNr: 0, sizeKib: 102400}))
    assert.equal(vol.devicePath, '/dev/drbdpool/r1_00000')
  })

  test(`LVM create: a smaller volume is extended (lvextend: never shrinks) ${REC}`, async () => {
    const vol = await replay(lvmProvider, [
      listing,
      ['lvextend', ['--size', '204800k', 'drbdpool/r1_00000'], said('Logical volume drbdpool/r1_00000 successfully resized.')],
      ['lvs', [...LVS, 'drbdpool/r1_00000'], out('lvs-r1_00000-grown')],
    ], (p) => p.create(thick, {rsc: 'r1', vlmNr: 0, sizeKib: 204800}))
    assert.equal(vol.usableKib, 204800)
  })

  test(`LVM create: an inactive volume (half-made state) is activated ${REC}`, async () => {
    const vol = await replay(lvmProvider, [
      listing,
      ['lvchange', ['-ay', '-K', 'drbdpool/r4_00000'], quiet],
      ['lvs', [...LVS, 'drbdpool/r4_00000'], out('lvs-r4_00000-active')],
    ], (p) => p.create(thick, {rsc: 'r4', vlmNr: 0, sizeKib: 102400}))
    assert.equal(vol.devicePath, '/dev/drbdpool/r4_00000')
  })

  test(`LVM create: an lvcreate failure surfaces as ExecError with lvm2's words ${REC}`, async () => {
    await assert.rejects(replay(lvmProvider, [
      listing,
      ['lvcreate', ['--size', '10485760k', '-n', 'big_00000', '-y', '--wipesignatures', 'y', 'drbdpool'], failed('lvcreate-nospace')],
    ], (p) => p.create(thick, {rsc: 'big', vlmNr: 0, sizeKib: 10485760})), (e: unknown) => {
      assert.ok(e instanceof ExecError)
      assert.equal(e.result.exitCode, 5)
      assert.match(e.message, /^lvcreate --size 10485760k .* failed \(exit 5\): Volume group "drbdpool" has insufficient free space/)
      return true
    })
  })

  test(`LVM create: a missing volume group is named and nothing is created ${REC}`, async () => {
    const pool = {...thick, props: {'StorDriver/LvmVg': 'nosuchvg'}}
    await assert.rejects(replay(lvmProvider, [['lvs', [...LVS, 'nosuchvg'], failed('lvs-nosuchvg')]], (p) => p.create(pool, {rsc: 'r1', vlmNr: 0, sizeKib: 1024})),
      {message: "Volume group 'nosuchvg' (StorDriver/LvmVg of storage pool 'ssd') not found on this node"})
  })

  test(`LVM create from a snapshot or volume: refused clearly (copies need LVM_THIN) ${REC}`, async () => {
    await assert.rejects(replay(lvmProvider, [listing], (p) => p.create(thick, {rsc: 'c1', vlmNr: 0, sizeKib: 102400}, {rsc: 'r1'})),
      {message: "Storage pool 'ssd' (LVM) cannot fill a volume from r1/0: copies need an LVM_THIN pool in this Cairn version"})
  })

  test(`LVM remove: lvremove -f of a present volume; an absent one needs nothing ${REC}`, async () => {
    await replay(lvmProvider, [listing, ['lvremove', ['-f', 'drbdpool/r1_00000'], said('Logical volume "r1_00000" successfully removed.')]],
      (p) => p.remove(thick, {rsc: 'r1', vlmNr: 0}))
    await replay(lvmProvider, [listing], (p) => p.remove(thick, {rsc: 'gone', vlmNr: 0}))
  })

  test('LVM: without StorDriver/LvmVg every operation fails before running anything', async () => {
    const pool = {...thick, props: {}}
    const message = "Storage pool 'ssd' (LVM) has no StorDriver/LvmVg: set it to the volume group to use"
    await assert.rejects(replay(lvmProvider, [], (p) => p.capacity(pool)), {message})
    await assert.rejects(replay(lvmProvider, [], (p) => p.list(pool)), {message})
    await assert.rejects(replay(lvmProvider, [], (p) => p.create(pool, {rsc: 'r1', vlmNr: 0, sizeKib: 1024})), {message})
    await assert.rejects(replay(lvmProvider, [], (p) => p.remove(pool, {rsc: 'r1', vlmNr: 0})), {message})
  })

  test('LVM (thick) takes no snapshots', () => {
    assert.equal(lvmProvider({run: async () => ({stdout: '', stderr: '', exitCode: 0}), log}).snapshots, undefined)
  })
})

describe('LVM_THIN provider', () => {
  test(`LVM_THIN capacity: the thin pool's size and data_percent from lvs ${REC}`, async () => {
    const cap = await replay(lvmThinProvider, [['lvs', [...LVS, 'drbdpool/thinpool'], out('lvs-thinpool')]], (p) => p.capacity(thinPool))
    assert.deepEqual(cap, {freeKib: 802684, totalKib: 1048576})
  })

  test(`LVM_THIN capacity: an inactive thin pool has no usage figure: clear message ${REC}`, async () => {
    await assert.rejects(replay(lvmThinProvider, [['lvs', [...LVS, 'drbdpool/thinpool'], out('lvs-thinpool-inactive')]], (p) => p.capacity(thinPool)),
      {message: "Thin pool 'drbdpool/thinpool' is not active, so its usage is unknown (lvchange -ay drbdpool/thinpool)"})
  })

  test(`LVM_THIN capacity and create: a missing thin pool is named, with the property to fix ${REC}`, async () => {
    const pool = {...thinPool, props: {...thinPool.props, 'StorDriver/ThinPool': 'nosuchpool'}}
    const message = "Thin pool 'drbdpool/nosuchpool' (StorDriver/ThinPool of storage pool 'thin') not found on this node"
    await assert.rejects(replay(lvmThinProvider, [['lvs', [...LVS, 'drbdpool/nosuchpool'], failed('lvs-nosuchpool')]], (p) => p.capacity(pool)), {message})
    await assert.rejects(replay(lvmThinProvider, [listing], (p) => p.create(pool, {rsc: 'r9', vlmNr: 0, sizeKib: 102400})), {message})
  })

  test(`LVM_THIN list: the thin pool's volumes; snapshots, thick LVs and LINSTOR-named snapshots are not volumes ${REC}`, async () => {
    assert.deepEqual(await replay(lvmThinProvider, [listing], (p) => p.list(thinPool)), [
      {rsc: 'r2', vlmNr: 0, devicePath: '/dev/drbdpool/r2_00000', allocatedKib: 25600, usableKib: 204800},
      // Inactive: no device, and no data_percent (counted as fully allocated, as LINSTOR does).
      {rsc: 'r2', vlmNr: 1, devicePath: undefined, allocatedKib: 102400, usableKib: 102400},
      {rsc: 'r3', vlmNr: 0, devicePath: '/dev/drbdpool/r3_00000', allocatedKib: 6389, usableKib: 204800},
    ])
  })

  test(`LVM_THIN snapshots list: LVs named <rsc>_<nnnnn>.<snap> in the thin pool ${REC}`, async () => {
    assert.deepEqual(await replay(lvmThinProvider, [listing], (p) => snaps(p).list(thinPool)), [{rsc: 'r2', vlmNr: 0, snap: 'snap1'}])
  })

  test(`LVM_THIN create: exact command sequence ${REC}`, async () => {
    const vol = await replay(lvmThinProvider, [
      listing,
      ['lvcreate', ['--virtualsize', '102400k', '--thinpool', 'drbdpool/thinpool', '-n', 'r9_00000', '-y', '--wipesignatures', 'y'],
        said('Logical volume "r9_00000" created.')],
      ['lvs', [...LVS, 'drbdpool/r9_00000'], out('lvs-r9_00000')],
    ], (p) => p.create(thinPool, {rsc: 'r9', vlmNr: 0, sizeKib: 102400}))
    assert.deepEqual(vol, {rsc: 'r9', vlmNr: 0, devicePath: '/dev/drbdpool/r9_00000', allocatedKib: 0, usableKib: 102400})
  })

  test(`LVM_THIN create from a snapshot: an activated thin snapshot of the snapshot ${REC}`, async () => {
    const vol = await replay(lvmThinProvider, [
      listing,
      ['lvcreate', ['--snapshot', '--setactivationskip', 'n', '--activate', 'y', '-n', 'r7_00000', 'drbdpool/r2_00000.snap1'],
        said('Logical volume "r7_00000" created.')],
      ['lvs', [...LVS, 'drbdpool/r7_00000'], out('lvs-r7_00000')],
    ], (p) => p.create(thinPool, {rsc: 'r7', vlmNr: 0, sizeKib: 204800}, {rsc: 'r2', snap: 'snap1'}))
    assert.deepEqual(vol, {rsc: 'r7', vlmNr: 0, devicePath: '/dev/drbdpool/r7_00000', allocatedKib: 25600, usableKib: 204800})
  })

  test(`LVM_THIN clone of a live volume: an activated thin snapshot of the source ${REC}`, async () => {
    const vol = await replay(lvmThinProvider, [
      listing,
      ['lvcreate', ['--snapshot', '--setactivationskip', 'n', '--activate', 'y', '-n', 'r8_00000', 'drbdpool/r2_00000'],
        said('Logical volume "r8_00000" created.')],
      ['lvs', [...LVS, 'drbdpool/r8_00000'], out('lvs-r8_00000')],
    ], (p) => p.create(thinPool, {rsc: 'r8', vlmNr: 0, sizeKib: 204800}, {rsc: 'r2'}))
    assert.equal(vol.devicePath, '/dev/drbdpool/r8_00000')
  })

  test(`LVM_THIN create from a snapshot that is not there: clear message, nothing created ${REC}`, async () => {
    await assert.rejects(replay(lvmThinProvider, [listing], (p) => p.create(thinPool, {rsc: 'r7', vlmNr: 0, sizeKib: 204800}, {rsc: 'r2', snap: 'nope'})),
      {message: "snapshot 'nope' of r2/0 is not in storage pool 'thin' on this node"})
    // LINSTOR's own `<rsc>_<nnnnn>_<snap>` LV is not taken for Cairn's snapshot of that name.
    await assert.rejects(replay(lvmThinProvider, [listing], (p) => p.create(thinPool, {rsc: 'r7', vlmNr: 0, sizeKib: 204800}, {rsc: 'r2', snap: 'snap0'})),
      {message: "snapshot 'snap0' of r2/0 is not in storage pool 'thin' on this node"})
  })

  test(`LVM_THIN create: a smaller volume is extended ${REC}`, async () => {
    const vol = await replay(lvmThinProvider, [
      listing,
      ['lvextend', ['--size', '409600k', 'drbdpool/r2_00000'], said('Logical volume drbdpool/r2_00000 successfully resized.')],
      ['lvs', [...LVS, 'drbdpool/r2_00000'], out('lvs-r2_00000-grown')],
    ], (p) => p.create(thinPool, {rsc: 'r2', vlmNr: 0, sizeKib: 409600}))
    assert.deepEqual([vol.usableKib, vol.allocatedKib], [409600, 25600])
  })

  test(`LVM_THIN create: an existing inactive volume is activated with lvchange -ay -K ${REC}`, async () => {
    const vol = await replay(lvmThinProvider, [
      listing,
      ['lvchange', ['-ay', '-K', 'drbdpool/r2_00001'], quiet],
      ['lvs', [...LVS, 'drbdpool/r2_00001'], out('lvs-r2_00001-active')],
    ], (p) => p.create(thinPool, {rsc: 'r2', vlmNr: 1, sizeKib: 102400}))
    assert.deepEqual([vol.devicePath, vol.allocatedKib], ['/dev/drbdpool/r2_00001', 40960])
  })

  test(`LVM_THIN create: lvcreate failing (no dm-thin target) surfaces as ExecError ${REC}`, async () => {
    await assert.rejects(replay(lvmThinProvider, [
      listing,
      ['lvcreate', ['--virtualsize', '102400k', '--thinpool', 'drbdpool/thinpool', '-n', 'r9_00000', '-y', '--wipesignatures', 'y'], failed('lvcreate-nothin', 3)],
    ], (p) => p.create(thinPool, {rsc: 'r9', vlmNr: 0, sizeKib: 102400})), (e: unknown) => {
      assert.ok(e instanceof ExecError)
      assert.match(e.result.stderr, /thin: Required device-mapper target\(s\) not detected in your kernel/)
      return true
    })
  })

  test(`LVM_THIN snapshot create: a thin snapshot, skipped at activation; idempotent ${REC}`, async () => {
    await replay(lvmThinProvider, [
      listing,
      ['lvcreate', ['--snapshot', '--setactivationskip', 'y', '-n', 'r2_00000.snap2', 'drbdpool/r2_00000'], said('Logical volume "r2_00000.snap2" created.')],
    ], (p) => snaps(p).create(thinPool, {rsc: 'r2', vlmNr: 0, snap: 'snap2'}))
    await replay(lvmThinProvider, [listing], (p) => snaps(p).create(thinPool, {rsc: 'r2', vlmNr: 0, snap: 'snap1'}))
  })

  test(`LVM_THIN snapshot create of a volume that is not there: clear message ${REC}`, async () => {
    await assert.rejects(replay(lvmThinProvider, [listing], (p) => snaps(p).create(thinPool, {rsc: 'r5', vlmNr: 0, snap: 's'})),
      {message: "r5/0 is not in storage pool 'thin' on this node"})
  })

  test(`LVM_THIN rollback: the volume set aside, remade from the snapshot, the old one dropped ${REC}`, async () => {
    const vol = await replay(lvmThinProvider, [
      listing,
      ['lvrename', ['drbdpool', 'r2_00000', 'r2_00000.rollback-old'], said('Renamed "r2_00000" to "r2_00000.rollback-old" in volume group "drbdpool"')],
      ['lvcreate', ['--snapshot', '--setactivationskip', 'n', '--activate', 'y', '-n', 'r2_00000', 'drbdpool/r2_00000.snap1'],
        said('Logical volume "r2_00000" created.')],
      ['lvremove', ['-f', 'drbdpool/r2_00000.rollback-old'], said('Logical volume "r2_00000.rollback-old" successfully removed.')],
      ['lvs', [...LVS, 'drbdpool/r2_00000'], out('lvs-r2_00000-grown')],
    ], (p) => snaps(p).rollback?.(thinPool, {rsc: 'r2', vlmNr: 0, snap: 'snap1'}) ?? Promise.reject(new Error('no rollback')))
    assert.equal(vol.devicePath, '/dev/drbdpool/r2_00000')
  })

  test(`LVM_THIN rollback to a snapshot that is not there: clear message, nothing touched ${REC}`, async () => {
    await assert.rejects(replay(lvmThinProvider, [listing], async (p) => { await snaps(p).rollback?.(thinPool, {rsc: 'r2', vlmNr: 0, snap: 'nope'}) }),
      /snapshot 'nope' of r2\/0 is not in storage pool 'thin'/)
  })

  test(`LVM_THIN snapshot remove: lvremove -f of a present snapshot; an absent one needs nothing ${REC}`, async () => {
    await replay(lvmThinProvider, [listing, ['lvremove', ['-f', 'drbdpool/r2_00000.snap1'], said('Logical volume "r2_00000.snap1" successfully removed.')]],
      (p) => snaps(p).remove(thinPool, {rsc: 'r2', vlmNr: 0, snap: 'snap1'}))
    await replay(lvmThinProvider, [listing], (p) => snaps(p).remove(thinPool, {rsc: 'r2', vlmNr: 0, snap: 'gone'}))
  })

  test(`LVM_THIN shipping reads a snapshot activated, and leaves it inactive again ${REC}`, async () => {
    await replay(lvmThinProvider, [
      listing,
      ['lvchange', ['-ay', '-K', 'drbdpool/r2_00000.snap1'], quiet],
      ['lvchange', ['-an', 'drbdpool/r2_00000.snap1'], quiet],
    ], async (p) => {
      const src = await (snaps(p).read?.(thinPool, {rsc: 'r2', vlmNr: 0, snap: 'snap1'}) ?? Promise.reject(new Error('no read')))
      assert.deepEqual([src.path, src.sizeBytes], ['/dev/drbdpool/r2_00000.snap1', 204800 * 1024])
      await src.release()
    })
    await assert.rejects(replay(lvmThinProvider, [listing], async (p) => { await snaps(p).read?.(thinPool, {rsc: 'r2', vlmNr: 0, snap: 'nope'}) }),
      /snapshot 'nope' of r2\/0 is not in storage pool 'thin'/)
  })

  test(`LVM_THIN receiving a full stream: a thin volume of the stream's size under a name nothing lists, renamed into a snapshot ${REC}`, async () => {
    await replay(lvmThinProvider, [
      listing,
      ['lvcreate', ['--virtualsize', '204800k', '--thinpool', 'drbdpool/thinpool', '-n', 'r2_00000-recv-snap9', '-y', '--wipesignatures', 'y'],
        said('Logical volume "r2_00000-recv-snap9" created.')],
      ['lvrename', ['drbdpool', 'r2_00000-recv-snap9', 'r2_00000.snap9'], said('Renamed "r2_00000-recv-snap9" to "r2_00000.snap9" in volume group "drbdpool"')],
      ['lvchange', ['-an', 'drbdpool/r2_00000.snap9'], quiet],
      ['lvchange', ['--setactivationskip', 'y', 'drbdpool/r2_00000.snap9'], said('Logical volume drbdpool/r2_00000.snap9 changed.')],
    ], async (p) => {
      const place = await (snaps(p).receive?.(thinPool, {rsc: 'r2', vlmNr: 0, snap: 'snap9'}) ?? Promise.reject(new Error('no receive')))
      assert.equal(place.path, '/dev/drbdpool/r2_00000-recv-snap9')
      await place.resize?.(204800 * 1024)
      await place.commit()
    })
    assert.equal(lvm.parseSnapshotLvName(lvm.receivingLvName({rsc: 'r2', vlmNr: 0, snap: 'snap9'})), undefined)
    assert.equal(lvm.parseLvVolumeName(lvm.receivingLvName({rsc: 'r2', vlmNr: 0, snap: 'snap9'})), undefined)
  })

  test(`LVM_THIN receiving an incremental stream: a writable thin snapshot of the base, grown to the stream's size; abort drops it ${REC}`, async () => {
    await replay(lvmThinProvider, [
      listing,
      ['lvcreate', ['--snapshot', '--setactivationskip', 'n', '--activate', 'y', '-n', 'r2_00000-recv-snap9', 'drbdpool/r2_00000.snap1'],
        said('Logical volume "r2_00000-recv-snap9" created.')],
      ['lvs', [...LVS, 'drbdpool/r2_00000-recv-snap9'], out('lvs-r2_00000-grown')],
      ['lvextend', ['--size', '512000k', 'drbdpool/r2_00000-recv-snap9'], said('Logical volume drbdpool/r2_00000-recv-snap9 successfully resized.')],
      ['lvremove', ['-f', 'drbdpool/r2_00000-recv-snap9'], said('Logical volume "r2_00000-recv-snap9" successfully removed.')],
    ], async (p) => {
      const place = await (snaps(p).receive?.(thinPool, {rsc: 'r2', vlmNr: 0, snap: 'snap9'}, 'snap1') ?? Promise.reject(new Error('no receive')))
      await place.resize?.(512000 * 1024)
      await place.abort()
    })
    await assert.rejects(replay(lvmThinProvider, [listing], async (p) => { await snaps(p).receive?.(thinPool, {rsc: 'r2', vlmNr: 0, snap: 's'}, 'nobase') }),
      /base snapshot 'nobase' of r2\/0 is not in storage pool 'thin'/)
  })

  test(`LVM_THIN remove: lvremove -f of the thin volume ${REC}`, async () => {
    await replay(lvmThinProvider, [listing, ['lvremove', ['-f', 'drbdpool/r3_00000'], said('Logical volume "r3_00000" successfully removed.')]],
      (p) => p.remove(thinPool, {rsc: 'r3', vlmNr: 0}))
  })

  test('LVM_THIN: without StorDriver/ThinPool every operation fails before running anything', async () => {
    const pool = {...thinPool, props: {'StorDriver/LvmVg': 'drbdpool'}}
    const message = "Storage pool 'thin' (LVM_THIN) has no StorDriver/ThinPool: set it to the thin pool LV to use"
    await assert.rejects(replay(lvmThinProvider, [], (p) => p.capacity(pool)), {message})
    await assert.rejects(replay(lvmThinProvider, [], (p) => p.list(pool)), {message})
    await assert.rejects(replay(lvmThinProvider, [], (p) => snaps(p).list(pool)), {message})
  })
})

describe('probe', () => {
  const host = (over: Partial<LvmHost>): LvmHost => ({...fullHost, ...over})
  const probe = (make: typeof lvmProvider, h: LvmHost): Promise<string[]> => make({run: async () => assert.fail('probe runs no command'), log}, h).probe()

  test('tools present and device-mapper loaded: no reasons, for both kinds', async () => {
    assert.deepEqual(await probe(lvmProvider, fullHost), [])
    assert.deepEqual(await probe(lvmThinProvider, fullHost), [])
  })

  test('missing tools are named', async () => {
    assert.deepEqual(await probe(lvmProvider, host({hasCommand: async (c) => !['lvm', 'lvcreate'].includes(c)})), ["'lvm', 'lvcreate' not found (install lvm2)"])
  })

  test('device-mapper: control node absent, or driver not registered in /proc/misc', async () => {
    assert.deepEqual(await probe(lvmThinProvider, host({exists: async () => false})),
      ['device-mapper kernel support missing (/dev/mapper/control absent): LVM cannot work on this host'])
    assert.deepEqual(await probe(lvmProvider, host({readFile: async () => ' 237 loop-control\n'})),
      ["device-mapper kernel support missing ('device-mapper' not in /proc/misc, try modprobe dm_mod): LVM cannot work on this host"])
  })

  // The real check, on this machine: it has no device-mapper (so LVM cannot run here at all).
  // /proc/misc decides whether a host has it: a dead /dev/mapper/control node can outlive it.
  const dmHere = /^\s*\d+\s+device-mapper$/m.test(readFileSync('/proc/misc', 'utf8'))
  test('probe() on this host reports device-mapper missing (real check; it is absent here)', {skip: dmHere && 'this host has device-mapper'}, async () => {
    for (const make of [lvmProvider, lvmThinProvider]) {
      const reasons = await make({run: async () => assert.fail('probe runs no command'), log}).probe()
      assert.ok(reasons.some((r) => /^device-mapper kernel support missing \(.*'device-mapper' not in \/proc\/misc.*\): LVM cannot work on this host$/.test(r)),
        reasons.join('\n'))
      if (!existsSync('/dev/mapper/control')) assert.ok(reasons.some((r) => r.includes('/dev/mapper/control absent')), reasons.join('\n'))
    }
  })
})

describe('lvm-commands', () => {
  test('snapshot LV names: <rsc>_<nnnnn>.<snap>, read back unambiguously', () => {
    const ref = {rsc: 'a', vlmNr: 1, snap: 'b_00000'}
    assert.equal(lvm.snapshotLvName(ref), 'a_00001.b_00000')
    assert.deepEqual(lvm.parseSnapshotLvName('a_00001.b_00000'), ref)
    // LINSTOR's '_' form would make this volume 1 of "a" or volume 0 of "a_00001_b": it is a volume.
    assert.deepEqual(lvm.parseLvVolumeName('a_00001_b_00000'), {rsc: 'a_00001_b', vlmNr: 0})
    assert.equal(lvm.parseSnapshotLvName('a_00001_b_00000'), undefined)
    assert.equal(lvm.parseLvVolumeName('a_00001.b_00000'), undefined)
  })

  const notOurs = ['thinpool', 'r1_0000', 'r1_00000.', '.snap', 'r1_00000.a.b', 'r1_00000.a+b', 'r+1_00000', 'r1_00000_snap0']
  for (const name of notOurs) {
    test(`'${name}' is neither a volume nor a snapshot`, () => {
      assert.equal(lvm.parseSnapshotLvName(name), undefined)
      if (name !== 'r1_00000_snap0') assert.equal(lvm.parseLvVolumeName(name), undefined)
    })
  }

  const targets: [string, PoolSpec, lvm.LvmTarget | RegExp][] = [
    ['LVM: the volume group', {name: 'p', kind: 'LVM', props: {'StorDriver/LvmVg': 'vg0', 'StorDriver/ThinPool': 'x'}}, {vg: 'vg0'}],
    ['LVM_THIN: volume group and thin pool', {name: 'p', kind: 'LVM_THIN', props: {'StorDriver/LvmVg': 'vg0', 'StorDriver/ThinPool': 'tp'}}, {vg: 'vg0', thinPool: 'tp'}],
    ['LVM_THIN: LINSTOR\'s "vg/pool" in ThinPool', {name: 'p', kind: 'LVM_THIN', props: {'StorDriver/ThinPool': 'vg0/tp'}}, {vg: 'vg0', thinPool: 'tp'}],
    ['LVM_THIN: "vg/pool" naming another VG', {name: 'p', kind: 'LVM_THIN', props: {'StorDriver/LvmVg': 'vg1', 'StorDriver/ThinPool': 'vg0/tp'}}, /is not in volume group 'vg1'/],
    ['LVM_THIN: no volume group', {name: 'p', kind: 'LVM_THIN', props: {'StorDriver/ThinPool': 'tp'}}, /has no StorDriver\/LvmVg/],
    ['LVM: empty volume group', {name: 'p', kind: 'LVM', props: {'StorDriver/LvmVg': ''}}, /has no StorDriver\/LvmVg/],
    ['LVM_THIN: "vg/pool/x"', {name: 'p', kind: 'LVM_THIN', props: {'StorDriver/ThinPool': 'vg0/tp/x'}}, /ThinPool 'tp\/x' is not a valid LVM name/],
    ['LVM_THIN: "vg/" (no pool)', {name: 'p', kind: 'LVM_THIN', props: {'StorDriver/ThinPool': 'vg0/'}}, /has no StorDriver\/ThinPool/],
    ['LVM: a name lvm would read as an option', {name: 'p', kind: 'LVM', props: {'StorDriver/LvmVg': '--config=x'}},
      /StorDriver\/LvmVg '--config=x' is not a valid LVM name/],
    ['LVM_THIN: a thin pool name with a space', {name: 'p', kind: 'LVM_THIN', props: {'StorDriver/LvmVg': 'vg0', 'StorDriver/ThinPool': 'a b'}},
      /StorDriver\/ThinPool 'a b' is not a valid LVM name/],
  ]
  for (const [name, pool, want] of targets) {
    test(`lvmTarget: ${name}`, () => {
      const thin = pool.kind === 'LVM_THIN'
      if (want instanceof RegExp) assert.throws(() => lvm.lvmTarget(pool, thin), want)
      else assert.deepEqual(lvm.lvmTarget(pool, thin), want)
    })
  }

  test('parseLvs/parseVgs refuse output they cannot read', () => {
    assert.throws(() => lvm.parseLvs('{"report": [{"lv": [{"lv_name": "x", "lv_size": "12,5"}]}]}'), /lv_size '12,5', not a number/)
    assert.throws(() => lvm.parseLvs('{"report": [{"lv": [{"lv_name": "x", "lv_size": ""}]}]}'), /not a number/)
    assert.throws(() => lvm.parseVgs('{}'), /vgs printed no report/)
    assert.throws(() => lvm.parseLvs('  {\n      "report": ['), SyntaxError)
    assert.deepEqual(lvm.parseLvs(fixture('lvs-nosuchvg.json')), [])
  })

  test('deviceMapperProblem: both facts reported when both are missing; an unreadable /proc/misc proves nothing', () => {
    assert.equal(lvm.deviceMapperProblem(false, ''),
      "device-mapper kernel support missing (/dev/mapper/control absent; 'device-mapper' not in /proc/misc, try modprobe dm_mod): LVM cannot work on this host")
    assert.equal(lvm.deviceMapperProblem(true, undefined), undefined)
    assert.equal(lvm.deviceMapperProblem(true, '236 device-mapper'), undefined)
  })
})
