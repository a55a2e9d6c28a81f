// Which disks `physical-storage list` offers: lsblk's JSON parsed and filtered, against recordings
// in test/fixtures/lsblk (this host's real lsblk, and servers modelled on util-linux 2.38 and 2.32
// output: several disks, partitions, LVM PVs, md RAID, ZFS, a mounted root, loop, zram, DRBD), the
// real lsblk of this host, and the controller's grouping of the results.
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {createLogger} from '../../src/common/log.ts'
import {createRun, ExecError, type Run} from '../../src/satellite/exec.ts'
import {LSBLK_ARGS, listBlockDevices, parseLsblk, unusedDisks, whyNotUsable, type BlockDevice} from '../../src/satellite/physical-devices.ts'
import {physicalDevices} from '../../src/satellite/device-pool.ts'
import {groupPhysicalStorage, physicalStorageNodeView} from '../../src/controller/rest/physical-storage.ts'
import {PROTOCOL_VERSION} from '../../src/protocol/messages.ts'
import type {PhysicalDevice} from '../../src/protocol/physical-storage.ts'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/lsblk/${name}`, import.meta.url), 'utf8')
const devices = (name: string): BlockDevice[] => parseLsblk(fixture(name))
const reasons = (list: BlockDevice[]): Record<string, string | undefined> => Object.fromEntries(list.map((d) => [d.path, whyNotUsable(d)]))
const log = createLogger({level: 'error', format: 'text', write: () => undefined})

/** A whole, empty, writable 2 GiB disk: the rules' baseline, varied one field at a time. */
const disk = (over: Partial<BlockDevice> = {}): BlockDevice => ({
  path: '/dev/sdx', kname: '/dev/sdx', size: 2 * 1024 ** 3, rotational: true, readOnly: false, type: 'disk', model: '', serial: '', wwn: '',
  fstype: '', pttype: '', mountpoint: '', parent: '', major: 8, children: [], ...over,
})

describe('lsblk parsing and the unused-disk rules', () => {
  test('storage server (util-linux 2.38): only the empty whole disks sdb, sdc and nvme0n1 are offered', () => {
    assert.deepEqual(unusedDisks(devices('storage-server-2.38.json')), [
      {device: '/dev/nvme0n1', size: 1600321314816, rotational: false, model: 'Dell Express Flash PM1725b 1.6TB SFF', serial: 'S4YNNE0N800123',
        wwn: 'eui.36344630528001230025384500000001'},
      {device: '/dev/sdb', size: 4000787030016, rotational: true, model: 'ST4000NM0035-1V4107', serial: 'ZC1A2B3C', wwn: '0x5000c500b1a2b3c4'},
      {device: '/dev/sdc', size: 4000787030016, rotational: true, model: 'ST4000NM0035-1V4107', serial: 'ZC1A2B3D', wwn: '0x5000c500b1a2b3d5'},
    ])
  })

  test('storage server (util-linux 2.38): every other device is refused with its reason', () => {
    const r = reasons(devices('storage-server-2.38.json'))
    assert.deepEqual(r, {
      '/dev/loop0': 'it is not a whole disk (type loop)',
      '/dev/sda': 'it is in use by /dev/sda1, /dev/sda2, /dev/sda3 (partitions or holders)',
      '/dev/sda1': 'it is not a whole disk (type part)',
      '/dev/sda2': 'it is not a whole disk (type part)',
      '/dev/sda3': 'it is not a whole disk (type part)',
      '/dev/mapper/vg0-root': 'it is not a whole disk (type lvm)',
      '/dev/mapper/vg0-swap': 'it is not a whole disk (type lvm)',
      '/dev/sdb': undefined,
      '/dev/sdc': undefined,
      '/dev/sdd': 'it is in use by /dev/mapper/backup-lv0 (partitions or holders)',
      '/dev/mapper/backup-lv0': 'it is not a whole disk (type lvm)',
      '/dev/sde': 'it holds a LVM2_member signature',
      '/dev/sdf': 'it holds a gpt partition table',
      '/dev/sdg': 'it is read-only',
      '/dev/sr0': 'it is not a whole disk (type rom)',
      '/dev/zram0': 'it is a zram (compressed RAM) device',
      '/dev/drbd1000': 'it is a DRBD device',
      '/dev/nvme0n1': undefined,
      '/dev/nvme1n1': 'it is in use by /dev/nvme1n1p1, /dev/nvme1n1p9 (partitions or holders)',
      '/dev/nvme1n1p1': 'it is not a whole disk (type part)',
      '/dev/nvme1n1p9': 'it is not a whole disk (type part)',
    })
  })

  test('RHEL 8 server (util-linux 2.32 prints every value as a string): sdb and sde offered, md members and the dos-labelled disk not', () => {
    const list = devices('rhel8-2.32.json')
    assert.deepEqual(unusedDisks(list).map((d) => [d.device, d.size, d.rotational, d.model]), [
      ['/dev/sdb', 960197124096, false, 'INTEL SSDSC2KG96'],
      ['/dev/sde', 2000398934016, true, 'WDC WD2003FYYS-0'],
    ])
    const r = reasons(list)
    assert.equal(r['/dev/sdc'], 'it is in use by /dev/md0 (partitions or holders)')
    assert.equal(r['/dev/sdd'], 'it is in use by /dev/md0 (partitions or holders)')
    assert.equal(r['/dev/sdf'], 'it holds a dos partition table')
    assert.equal(r['/dev/md0'], 'it is not a whole disk (type raid1)')
    // The array appears under both members in lsblk's tree, once in the parsed list.
    assert.equal(list.filter((d) => d.path === '/dev/md0').length, 1)
  })

  test("this host's recorded lsblk (mounted /dev/vda, zram0, loop devices): no unused disk", () => {
    const list = devices('this-host-2.38.json')
    assert.deepEqual(unusedDisks(list), [])
    assert.equal(reasons(list)['/dev/vda'], 'it is mounted at /')
    assert.equal(reasons(list)['/dev/zram0'], 'it is a zram (compressed RAM) device')
  })

  test('flat output (lsblk -l): children are found by PKNAME', () => {
    const flat = JSON.stringify({blockdevices: [
      {name: '/dev/sdb', kname: '/dev/sdb', size: 4e12, rota: true, ro: false, type: 'disk', 'maj:min': '8:16'},
      {name: '/dev/sdb1', kname: '/dev/sdb1', size: 4e12, rota: true, ro: false, type: 'part', pkname: '/dev/sdb', 'maj:min': '8:17'},
    ]})
    assert.equal(whyNotUsable(parseLsblk(flat)[0] as BlockDevice), 'it is in use by /dev/sdb1 (partitions or holders)')
  })

  test('size: more than 1 GiB, as LINSTOR (exactly 1 GiB is refused)', () => {
    assert.equal(whyNotUsable(disk({size: 1024 ** 3})), 'it has 1073741824 bytes; more than 1 GiB (1073741824) is needed')
    assert.equal(whyNotUsable(disk({size: 1024 ** 3 + 512})), undefined)
  })

  test('swap, device-mapper and DRBD by major number are refused; model, serial and wwn are trimmed', () => {
    assert.equal(whyNotUsable(disk({mountpoint: '[SWAP]'})), 'it is in use as swap')
    assert.equal(whyNotUsable(disk({kname: '/dev/dm-3'})), 'it is a device-mapper device')
    assert.equal(whyNotUsable(disk({path: '/dev/drbd/by-res/r1/0', kname: '/dev/drbd1001', major: 147})), 'it is a DRBD device')
    const padded = JSON.stringify({blockdevices: [{name: '/dev/sdb', size: '2147483648', rota: '1', ro: '0', type: 'disk', model: 'QEMU HARDDISK   ', serial: ' QM00002 '}]})
    assert.deepEqual(unusedDisks(parseLsblk(padded)), [{device: '/dev/sdb', size: 2147483648, rotational: true, model: 'QEMU HARDDISK', serial: 'QM00002'}])
  })

  test('output that is not lsblk JSON is an error, not an empty list', () => {
    assert.throws(() => parseLsblk('{}'), {message: 'lsblk printed no "blockdevices" list'})
    assert.throws(() => parseLsblk('NAME="sda"'))
  })
})

describe('the satellite listing', () => {
  test(`runs lsblk ${LSBLK_ARGS.join(' ')} and answers with the protocol version`, async () => {
    const calls: string[][] = []
    const run: Run = async (cmd, args) => {
      calls.push([cmd, ...args])
      return {stdout: fixture('rhel8-2.32.json'), stderr: '', exitCode: 0}
    }
    const reply = await physicalDevices(run)
    assert.deepEqual(calls, [['lsblk', ...LSBLK_ARGS]])
    assert.equal(reply.protocol, PROTOCOL_VERSION)
    assert.deepEqual(reply.devices?.map((d) => d.device), ['/dev/sdb', '/dev/sde'])
  })

  test('a failing lsblk is told in the reply (HTTP 200 with protocol), not thrown', async () => {
    const run: Run = async (cmd, args) => {
      throw new ExecError(cmd, args, {stdout: '', stderr: 'lsblk: unknown column: PTTYPE', exitCode: 1})
    }
    const reply = await physicalDevices(run)
    assert.equal(reply.protocol, PROTOCOL_VERSION)
    assert.equal(reply.devices, undefined)
    assert.match(reply.error ?? '', /^The block devices could not be listed: lsblk .* failed \(exit 1\): lsblk: unknown column: PTTYPE$/)
  })

  test('the real lsblk of this host (only a mounted /dev/vda, zram0 and loop devices): no unused disk, the same answer every time', async () => {
    const run = createRun(log)
    const list = await listBlockDevices(run)
    const vda = list.find((d) => d.path === '/dev/vda')
    assert.ok(vda, 'lsblk lists /dev/vda')
    assert.equal(whyNotUsable(vda), 'it is mounted at /')
    assert.ok(list.every((d) => whyNotUsable(d) !== undefined), JSON.stringify(reasons(list)))
    assert.deepEqual(await physicalDevices(run), {protocol: PROTOCOL_VERSION, devices: []})
    assert.deepEqual(await physicalDevices(run), {protocol: PROTOCOL_VERSION, devices: []})
  })
})

describe('the controller view', () => {
  const dev = (device: string, gib: number, rotational: boolean): PhysicalDevice => ({device, size: gib * 1024 ** 3, rotational})

  test("grouped by (size, rotational) as LINSTOR's list: smallest first, SSDs before spinning disks of a size", () => {
    const alpha = [dev('/dev/sde', 512, false)]
    const charlie = [dev('/dev/sde', 512, false), dev('/dev/sdd', 640, true), dev('/dev/sdf', 512, true)]
    assert.deepEqual(groupPhysicalStorage([['charlie', charlie], ['alpha', alpha], ['bravo', alpha]]), [
      {size: 512 * 1024 ** 3, rotational: false, nodes: {
        alpha: [{device: '/dev/sde', model: undefined, serial: undefined, wwn: undefined}],
        bravo: [{device: '/dev/sde', model: undefined, serial: undefined, wwn: undefined}],
        charlie: [{device: '/dev/sde', model: undefined, serial: undefined, wwn: undefined}]}},
      {size: 512 * 1024 ** 3, rotational: true, nodes: {charlie: [{device: '/dev/sdf', model: undefined, serial: undefined, wwn: undefined}]}},
      {size: 640 * 1024 ** 3, rotational: true, nodes: {charlie: [{device: '/dev/sdd', model: undefined, serial: undefined, wwn: undefined}]}},
    ])
  })

  test('two recorded servers grouped: equal disks of one node share an entry', () => {
    const groups = groupPhysicalStorage([
      ['stor1', unusedDisks(devices('storage-server-2.38.json'))],
      ['stor2', unusedDisks(devices('rhel8-2.32.json'))],
    ])
    assert.deepEqual(groups.map((g) => [g.size, g.rotational, Object.entries(g.nodes ?? {}).map(([n, l]) => `${n}:${l.map((d) => d.device).join('+')}`)]), [
      [960197124096, false, ['stor2:/dev/sdb']],
      [1600321314816, false, ['stor1:/dev/nvme0n1']],
      [2000398934016, true, ['stor2:/dev/sde']],
      [4000787030016, true, ['stor1:/dev/sdb+/dev/sdc']],
    ])
  })

  test('one node: PhysicalStorageNode entries carry size and rotational per device', () => {
    assert.deepEqual(physicalStorageNodeView([{device: '/dev/sdb', size: 5, rotational: true, model: 'M', serial: 'S', wwn: 'W'}]),
      [{size: 5, rotational: true, device: '/dev/sdb', model: 'M', serial: 'S', wwn: 'W'}])
  })
})
