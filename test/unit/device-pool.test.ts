// create-device-pool on the satellite against a fake Run that replays recorded outputs: lsblk of a
// storage server (test/fixtures/lsblk) and lvm2 2.03's answers to the exact commands
// (test/fixtures/device-pool, made by record.sh). This host has no device-mapper and no ZFS, so
// neither can run here: the tests pin the command sequences, the roll-backs and the refusals.
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {ExecError, type Run} from '../../src/satellite/exec.ts'
import {argumentRefusals, createDevicePool, devicePoolPlan, physicalStorageRoutes, readRequest, type DevicePoolHost} from '../../src/satellite/device-pool.ts'
import {LSBLK_ARGS, parseLsblk} from '../../src/satellite/physical-devices.ts'
import {PROTOCOL_VERSION} from '../../src/protocol/messages.ts'
import {DEVICE_POOL_PATH, defaultPoolName, type DevicePoolRequest} from '../../src/protocol/physical-storage.ts'
import {readCreate, storPoolNameProp} from '../../src/controller/rest/physical-storage.ts'
import {ApiFailure} from '../../src/controller/model/api-failure.ts'
import {Rc} from '../../src/common/api-call-rc.ts'

const NO_DM = '(recorded lvm2 2.03 outputs; no device-mapper here)'
const NO_ZFS = '(no ZFS here: zpool is not run)'

interface Reply {stdout?: string, stderr?: string, exitCode?: number}
type Step = [cmd: string, args: string[], reply: Reply]

const text = (dir: string, name: string): string => readFileSync(new URL(`../fixtures/${dir}/${name}`, import.meta.url), 'utf8')
/** A recorded lvm2 answer: stdout and stderr as recorded, with the exit code record.sh printed. */
const rec = (name: string, exitCode = 0): Reply => {
  const file = (ext: string): string => (existsSync(new URL(`../fixtures/device-pool/${name}.${ext}`, import.meta.url)) ? text('device-pool', `${name}.${ext}`) : '')
  return {stdout: file('out'), stderr: file('err'), exitCode}
}
const quiet: Reply = {}
const lsblk: Step = ['lsblk', [...LSBLK_ARGS], {stdout: text('lsblk', 'storage-server-2.38.json')}]

/** Device paths resolve to themselves, except the by-id link of sdb; every tool is installed unless named. */
function host(missing: string[] = []): DevicePoolHost {
  const links: Record<string, string> = {'/dev/disk/by-id/wwn-0x5000c500b1a2b3c4': '/dev/sdb'}
  return {
    realpath: async (p) => links[p] ?? (parseLsblk(text('lsblk', 'storage-server-2.38.json')).some((d) => d.path === p) ? p : undefined),
    hasCommand: async (cmd) => !missing.includes(cmd),
  }
}

/** A Run that answers `steps` in order and records what ran; a failing step throws ExecError as the real one does. */
function script(steps: Step[]): {run: Run, calls: [string, string[]][], inputs: (string | undefined)[]} {
  const calls: [string, string[]][] = []
  const inputs: (string | undefined)[] = []
  const run: Run = async (cmd, args, opts) => {
    calls.push([cmd, [...args]])
    inputs.push(opts?.input)
    const reply = steps[calls.length - 1]?.[2]
    if (!reply) throw new Error(`unexpected command: ${cmd} ${args.join(' ')}`)
    const result = {stdout: reply.stdout ?? '', stderr: reply.stderr ?? '', exitCode: reply.exitCode ?? 0}
    if (result.exitCode !== 0) throw new ExecError(cmd, args, result)
    return result
  }
  return {run, calls, inputs}
}

async function replay(body: unknown, steps: Step[], h = host()): Promise<Awaited<ReturnType<typeof createDevicePool>>> {
  const s = script(steps)
  try {
    return await createDevicePool(s.run, h, body)
  } finally {
    assert.deepEqual(s.calls, steps.map(([cmd, args]) => [cmd, args]))
    // Every pool command gets an empty stdin, so that an LVM question is answered "no".
    assert.ok(s.inputs.slice(1).every((i) => i === ''), 'stdin of the pool commands is empty')
  }
}

const req = (over: Partial<DevicePoolRequest>): DevicePoolRequest =>
  ({protocol: PROTOCOL_VERSION, kind: 'LVM', devicePaths: ['/dev/sdb', '/dev/sdc'], poolName: 'fast', ...over})

describe('device pool plans (the exact commands)', () => {
  test('LVM: pvcreate per device, then vgcreate <pool> with all of them', () => {
    assert.deepEqual(devicePoolPlan(req({})).map((s) => [s.cmd, ...s.args]), [
      ['pvcreate', '/dev/sdb'], ['pvcreate', '/dev/sdc'], ['vgcreate', 'fast', '/dev/sdb', '/dev/sdc'],
    ])
  })

  test("LVM_THIN: LINSTOR's names, VG linstor_<pool> and thin pool <pool> over all of it", () => {
    assert.deepEqual(devicePoolPlan(req({kind: 'LVM_THIN'})).map((s) => [s.cmd, ...s.args]), [
      ['pvcreate', '/dev/sdb'], ['pvcreate', '/dev/sdc'], ['vgcreate', 'linstor_fast', '/dev/sdb', '/dev/sdc'],
      ['lvcreate', '-y', '--extents', '100%FREE', '--thinpool', 'fast', 'linstor_fast'],
    ])
  })

  test('ZFS and ZFS_THIN: one zpool create -m none <pool> <devices>, without -f', () => {
    for (const kind of ['ZFS', 'ZFS_THIN'] as const) {
      assert.deepEqual(devicePoolPlan(req({kind})).map((s) => [s.cmd, ...s.args]), [['zpool', 'create', '-m', 'none', 'fast', '/dev/sdb', '/dev/sdc']])
    }
  })

  test("the request's extra arguments go before the positional ones of their command", () => {
    assert.deepEqual(devicePoolPlan(req({kind: 'LVM_THIN', devicePaths: ['/dev/sdb'], pvCreateArgs: ['--dataalignment', '1m'],
      vgCreateArgs: ['-s', '32M'], lvCreateArgs: ['--chunksize', '256k'], zpoolCreateArgs: ['-o', 'ashift=12']})).map((s) => [s.cmd, ...s.args]), [
      ['pvcreate', '--dataalignment', '1m', '/dev/sdb'], ['vgcreate', '-s', '32M', 'linstor_fast', '/dev/sdb'],
      ['lvcreate', '--chunksize', '256k', '-y', '--extents', '100%FREE', '--thinpool', 'fast', 'linstor_fast'],
    ])
    assert.deepEqual(devicePoolPlan(req({kind: 'ZFS', devicePaths: ['/dev/nvme0n1'], zpoolCreateArgs: ['-o', 'ashift=12']}))[0]?.args,
      ['create', '-m', 'none', '-o', 'ashift=12', 'fast', '/dev/nvme0n1'])
  })

  test('each step knows how it is taken back', () => {
    assert.deepEqual(devicePoolPlan(req({kind: 'LVM_THIN'})).map((s) => [s.undo.cmd, ...s.undo.args]), [
      ['pvremove', '/dev/sdb'], ['pvremove', '/dev/sdc'], ['vgremove', 'linstor_fast'], ['lvremove', '-y', 'linstor_fast/fast'],
    ])
    assert.deepEqual(devicePoolPlan(req({kind: 'ZFS'})).map((s) => [s.undo.cmd, ...s.undo.args]), [['zpool', 'destroy', 'fast']])
  })
})

describe('creating a device pool', () => {
  test(`LVM on sdb and sdc: PVs, then the VG ${NO_DM}`, async () => {
    const reply = await replay(req({poolName: 'linstor_fast'}), [
      lsblk,
      ['pvcreate', ['/dev/sdb'], rec('pvcreate-sdb')],
      ['pvcreate', ['/dev/sdc'], rec('pvcreate-sdc')],
      ['vgcreate', ['linstor_fast', '/dev/sdb', '/dev/sdc'], rec('vgcreate-linstor_fast')],
    ])
    assert.deepEqual(reply, {protocol: PROTOCOL_VERSION, messages: [
      "PV for device '/dev/sdb' created.", "PV for device '/dev/sdc' created.", "VG for devices [/dev/sdb, /dev/sdc] with name 'linstor_fast' created.",
    ]})
  })

  test(`LVM_THIN: the thin pool lvcreate fails (as it does without device-mapper): VG and PVs are removed again ${NO_DM}`, async () => {
    const reply = await replay(req({kind: 'LVM_THIN'}), [
      lsblk,
      ['pvcreate', ['/dev/sdb'], rec('pvcreate-sdb')],
      ['pvcreate', ['/dev/sdc'], rec('pvcreate-sdc')],
      ['vgcreate', ['linstor_fast', '/dev/sdb', '/dev/sdc'], rec('vgcreate-linstor_fast')],
      ['lvcreate', ['-y', '--extents', '100%FREE', '--thinpool', 'fast', 'linstor_fast'], rec('lvcreate-thinpool-nodm', 3)],
      ['vgremove', ['linstor_fast'], rec('vgremove-linstor_fast')],
      ['pvremove', ['/dev/sdc'], rec('pvremove-sdc')],
      ['pvremove', ['/dev/sdb'], rec('pvremove-sdb')],
    ])
    assert.equal(reply.errorKind, 'failed')
    assert.equal(reply.error, 'lvcreate -y --extents 100%FREE --thinpool fast linstor_fast failed (exit 3): ' +
      'thin-pool: Required device-mapper target(s) not detected in your kernel.\n  Run `lvcreate --help\' for more information.')
    assert.equal(reply.details, [
      "PV for device '/dev/sdb' created. (before the failure)", "PV for device '/dev/sdc' created. (before the failure)",
      "VG for devices [/dev/sdb, /dev/sdc] with name 'linstor_fast' created. (before the failure)",
      'Rolled back: vgremove linstor_fast', 'Rolled back: pvremove /dev/sdc', 'Rolled back: pvremove /dev/sdb',
    ].join('\n'))
  })

  test(`LVM_THIN succeeds: the thin pool is the last step (its output is not read) ${NO_DM}`, async () => {
    const reply = await replay(req({kind: 'LVM_THIN', devicePaths: ['/dev/disk/by-id/wwn-0x5000c500b1a2b3c4']}), [
      lsblk,
      ['pvcreate', ['/dev/disk/by-id/wwn-0x5000c500b1a2b3c4'], rec('pvcreate-sdb')],
      ['vgcreate', ['linstor_fast', '/dev/disk/by-id/wwn-0x5000c500b1a2b3c4'], rec('vgcreate-linstor_fast')],
      ['lvcreate', ['-y', '--extents', '100%FREE', '--thinpool', 'fast', 'linstor_fast'], quiet],
    ])
    assert.deepEqual(reply.messages?.at(-1), "Thin-pool 'fast' in LVM-pool 'linstor_fast' created.")
  })

  test(`an existing VG of that name: vgcreate refuses, the new PVs are removed ${NO_DM}`, async () => {
    const reply = await replay(req({poolName: 'data'}), [
      lsblk,
      ['pvcreate', ['/dev/sdb'], rec('pvcreate-sdb')],
      ['pvcreate', ['/dev/sdc'], rec('pvcreate-sdc')],
      ['vgcreate', ['data', '/dev/sdb', '/dev/sdc'], rec('vgcreate-data-exists', 5)],
      ['pvremove', ['/dev/sdc'], rec('pvremove-sdc')],
      ['pvremove', ['/dev/sdb'], rec('pvremove-sdb')],
    ])
    assert.equal(reply.error, 'vgcreate data /dev/sdb /dev/sdc failed (exit 5): A volume group called data already exists.')
    assert.match(reply.details ?? '', /Rolled back: pvremove \/dev\/sdc\nRolled back: pvremove \/dev\/sdb$/)
  })

  test(`a signature the listing missed: pvcreate asks, reads "no" from the empty stdin and stops; nothing to roll back ${NO_DM}`, async () => {
    const reply = await replay(req({devicePaths: ['/dev/sdb']}), [lsblk, ['pvcreate', ['/dev/sdb'], rec('pvcreate-ext4', 5)]])
    assert.equal(reply.errorKind, 'failed')
    assert.match(reply.error ?? '', /^pvcreate \/dev\/sdb failed \(exit 5\): WARNING: ext4 signature detected on \/dev\/sdb at offset 1080\. Wipe it\? \[y\/n\]: \[n\]/)
    assert.equal(reply.details, 'Nothing had been created.')
  })

  test(`a failed roll-back step is reported, and the others still run ${NO_DM}`, async () => {
    const reply = await replay(req({poolName: 'data'}), [
      lsblk,
      ['pvcreate', ['/dev/sdb'], rec('pvcreate-sdb')],
      ['pvcreate', ['/dev/sdc'], rec('pvcreate-sdc')],
      ['vgcreate', ['data', '/dev/sdb', '/dev/sdc'], rec('vgcreate-data-exists', 5)],
      ['pvremove', ['/dev/sdc'], {stderr: '  stand-in failure\n', exitCode: 5}],
      ['pvremove', ['/dev/sdb'], rec('pvremove-sdb')],
    ])
    assert.match(reply.details ?? '', /Could not roll back \(pvremove \/dev\/sdc\): pvremove \/dev\/sdc failed \(exit 5\): stand-in failure\nRolled back: pvremove \/dev\/sdb$/)
  })

  for (const kind of ['ZFS', 'ZFS_THIN'] as const) {
    test(`${kind} on nvme0n1: zpool create -m none ${NO_ZFS}`, async () => {
      const reply = await replay(req({kind, devicePaths: ['/dev/nvme0n1'], poolName: 'tank'}), [
        lsblk, ['zpool', ['create', '-m', 'none', 'tank', '/dev/nvme0n1'], quiet],
      ])
      assert.deepEqual(reply, {protocol: PROTOCOL_VERSION, messages: ["ZPool 'tank' on device(s) [/dev/nvme0n1] created."]})
    })
  }

  test(`ZFS: a failing zpool create is passed on; a single step leaves nothing to roll back ${NO_ZFS}`, async () => {
    const reply = await replay(req({kind: 'ZFS', devicePaths: ['/dev/nvme0n1'], poolName: 'tank'}), [
      lsblk, ['zpool', ['create', '-m', 'none', 'tank', '/dev/nvme0n1'], {stderr: 'stand-in zpool failure\n', exitCode: 1}],
    ])
    assert.equal(reply.error, 'zpool create -m none tank /dev/nvme0n1 failed (exit 1): stand-in zpool failure')
    assert.equal(reply.details, 'Nothing had been created.')
  })
})

describe('refusals (nothing but lsblk runs)', () => {
  const refusedWith = async (body: unknown, pattern: RegExp, steps: Step[] = [lsblk], h = host()): Promise<void> => {
    const reply = await replay(body, steps, h)
    assert.equal(reply.protocol, PROTOCOL_VERSION)
    assert.equal(reply.errorKind, 'refused')
    assert.match(reply.error ?? '', pattern)
  }

  test('disks in use, by partitions, LVs, signatures, a mount or read-only, each named with its reason', async () => {
    await refusedWith(req({devicePaths: ['/dev/sda', '/dev/sdd', '/dev/sde', '/dev/sdf', '/dev/sdg', '/dev/sda2']}), new RegExp([
      "^Refused: Device '/dev/sda' is not an unused disk: it is in use by /dev/sda1, /dev/sda2, /dev/sda3 \\(partitions or holders\\)",
      "Device '/dev/sdd' is not an unused disk: it is in use by /dev/mapper/backup-lv0 \\(partitions or holders\\)",
      "Device '/dev/sde' is not an unused disk: it holds a LVM2_member signature",
      "Device '/dev/sdf' is not an unused disk: it holds a gpt partition table",
      "Device '/dev/sdg' is not an unused disk: it is read-only",
      "Device '/dev/sda2' is not an unused disk: it is not a whole disk \\(type part\\)$"].join('; ')))
  })

  test('one bad device refuses the whole request, even next to good ones', async () => {
    await refusedWith(req({devicePaths: ['/dev/sdb', '/dev/zram0']}), /^Refused: Device '\/dev\/zram0' is not an unused disk: it is a zram \(compressed RAM\) device$/)
  })

  test('a missing device, and the same disk twice (through a by-id link)', async () => {
    await refusedWith(req({devicePaths: ['/dev/sdz']}), /^Refused: Device '\/dev\/sdz' does not exist on this node$/)
    await refusedWith(req({devicePaths: ['/dev/sdb', '/dev/disk/by-id/wwn-0x5000c500b1a2b3c4']}),
      /^Refused: Device '\/dev\/disk\/by-id\/wwn-0x5000c500b1a2b3c4' \(\/dev\/sdb\) is given twice \(also as '\/dev\/sdb'\)$/)
  })

  test('extra arguments may not name devices: paths, or bare names zpool would take', async () => {
    await refusedWith(req({pvCreateArgs: ['/dev/sda']}), /^Refused: Argument '\/dev\/sda' in pvCreateArgs names a device or path/)
    await refusedWith(req({kind: 'ZFS', devicePaths: ['/dev/nvme0n1'], zpoolCreateArgs: ['sda']}), /^Refused: Argument 'sda' in zpoolCreateArgs names a device or path/)
    const devices = parseLsblk(text('lsblk', 'storage-server-2.38.json'))
    assert.deepEqual(argumentRefusals(req({vgCreateArgs: ['-s', '32M'], zpoolCreateArgs: ['-o', 'ashift=12', '-O', 'compression=lz4']}), devices), [])
  })

  test('missing tools are named with their package, after the devices are found usable', async () => {
    await refusedWith(req({kind: 'ZFS', devicePaths: ['/dev/nvme0n1']}), /^Refused: 'zpool' \(install zfsutils-linux\) not found on this node$/, [lsblk], host(['zpool']))
    await refusedWith(req({}), /^Refused: 'pvcreate' \(install lvm2\), 'vgcreate' \(install lvm2\) not found on this node$/, [lsblk], host(['pvcreate', 'vgcreate']))
  })

  test('a malformed request is refused before anything runs', async () => {
    for (const [body, pattern] of [
      [{...req({}), kind: 'FILE_THIN'}, /provider kind 'FILE_THIN' cannot be made into a device pool/],
      [req({devicePaths: []}), /no device paths given/],
      [req({devicePaths: ['sdb']}), /'sdb' is not an absolute path under \/dev\//],
      [req({devicePaths: ['/dev/../etc/passwd']}), /'\/dev\/..\/etc\/passwd' is not an absolute path under \/dev\//],
      [req({poolName: '-rf'}), /pool name '-rf' is not valid: Cannot begin with character '-'/],
      [{...req({}), zpoolCreateArgs: 'ashift=12'}, /zpoolCreateArgs must be a list of strings/],
      [null, /the request is not a JSON object/],
    ] as const) {
      await refusedWith(body, pattern, [])
    }
  })

  test('readRequest accepts a well-formed request as it is', () => {
    assert.deepEqual(readRequest(req({kind: 'ZFS_THIN'})), {req: req({kind: 'ZFS_THIN'})})
  })
})

describe('the satellite endpoint', () => {
  test('device pool creations run one at a time: the second sees the disks only after the first is done', async () => {
    const order: string[] = []
    const run: Run = async (cmd, args) => {
      order.push(`${cmd} ${args.at(-1)}`)
      await new Promise((r) => setTimeout(r, 5))
      return {stdout: cmd === 'lsblk' ? text('lsblk', 'storage-server-2.38.json') : '', stderr: '', exitCode: 0}
    }
    const route = physicalStorageRoutes(run, host())[DEVICE_POOL_PATH]
    assert.ok(route)
    await Promise.all([
      route(req({kind: 'ZFS', devicePaths: ['/dev/sdb'], poolName: 'one'})),
      route(req({kind: 'ZFS', devicePaths: ['/dev/sdc'], poolName: 'two'})),
    ])
    assert.deepEqual(order, [`lsblk ${LSBLK_ARGS.at(-1)}`, 'zpool /dev/sdb', `lsblk ${LSBLK_ARGS.at(-1)}`, 'zpool /dev/sdc'])
  })
})

describe('the controller reading PhysicalStorageCreate', () => {
  const refusal = (body: unknown): {code: bigint, message: string} => {
    try {
      readCreate(body)
    } catch (e) {
      if (e instanceof ApiFailure) return {code: e.code, message: e.text.message}
      throw e
    }
    assert.fail('accepted')
  }

  test("the pool name defaults to LINSTOR's linstor_<first device>", () => {
    assert.equal(defaultPoolName(['/dev/disk/by-id/nvme-eui.1234', '/dev/sdc']), 'linstor_nvme-eui.1234')
    const spec = readCreate({provider_kind: 'lvm_thin', device_paths: ['/dev/sdb']})
    assert.deepEqual(spec, {request: {protocol: PROTOCOL_VERSION, kind: 'LVM_THIN', devicePaths: ['/dev/sdb'], poolName: 'linstor_sdb',
      pvCreateArgs: undefined, vgCreateArgs: undefined, lvCreateArgs: undefined, zpoolCreateArgs: undefined}})
  })

  test('with_storage_pool: StorDriver/StorPoolName names the VG, VG/thinpool or zpool; the client may add props', () => {
    assert.equal(storPoolNameProp('LVM', 'fast'), 'fast')
    assert.equal(storPoolNameProp('LVM_THIN', 'fast'), 'linstor_fast/fast')
    assert.equal(storPoolNameProp('ZFS', 'tank'), 'tank')
    assert.equal(storPoolNameProp('ZFS_THIN', 'tank'), 'tank')
    const spec = readCreate({provider_kind: 'LVM_THIN', device_paths: ['/dev/sdb'], pool_name: 'fast',
      with_storage_pool: {name: 'ssd', props: {'Aux/tier': 'gold'}}})
    assert.deepEqual(spec.storPool, {storage_pool_name: 'ssd', provider_kind: 'LVM_THIN',
      props: {'StorDriver/StorPoolName': 'linstor_fast/fast', 'Aux/tier': 'gold'}, shared_space: undefined, external_locking: undefined})
  })

  test('bad input is refused with the code LINSTOR clients expect', () => {
    assert.deepEqual(refusal({device_paths: ['/dev/sdb']}), {code: Rc.FAIL_INVLD_PROVIDER, message: "'provider_kind' is required."})
    assert.deepEqual(refusal({provider_kind: 'FILE', device_paths: ['/dev/sdb']}), {code: Rc.FAIL_INVLD_PROVIDER, message: 'A device pool cannot be of provider kind FILE.'})
    assert.equal(refusal({provider_kind: 'NOPE', device_paths: ['/dev/sdb']}).code, Rc.FAIL_INVLD_PROVIDER)
    assert.deepEqual(refusal({provider_kind: 'LVM', device_paths: []}), {code: Rc.FAIL_INVLD_REQUEST, message: "'device_paths' is empty."})
    assert.deepEqual(refusal({provider_kind: 'LVM', device_paths: ['sdb']}), {code: Rc.FAIL_INVLD_REQUEST, message: "'sdb' in 'device_paths' is not an absolute path under /dev/."})
    assert.equal(refusal({provider_kind: 'LVM', device_paths: ['/dev/sdb'], pool_name: '9x'}).code, Rc.FAIL_INVLD_STOR_POOL_NAME)
    assert.equal(refusal({provider_kind: 'LVM', device_paths: ['/dev/disk/by-path/pci-0000:00:1f.2-ata-1']}).message,
      "Invalid pool name 'linstor_pci-0000:00:1f.2-ata-1' (derived from the first device): Cannot contain character ':'")
    assert.equal(refusal({provider_kind: 'LVM', device_paths: ['/dev/sdb'], vdo_enable: true}).message, 'VDO is not supported by Cairn.')
    assert.equal(refusal({provider_kind: 'LVM', device_paths: ['/dev/sdb'], sed: true}).code, Rc.FAIL_INVLD_REQUEST)
    assert.equal(refusal({provider_kind: 'LVM', device_paths: ['/dev/sdb'], raid_level: 'RAID5'}).code, Rc.FAIL_INVLD_REQUEST)
    assert.equal(refusal({provider_kind: 'LVM', device_paths: ['/dev/sdb'], with_storage_pool: {name: 'x', bogus: 1}}).code, Rc.API_CALL_PARSE_ERROR)
  })
})
