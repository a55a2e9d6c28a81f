import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import type {ResourceDefinition} from '../../src/api/wire.ts'
import {incusVolumeKib, parseIncusSize} from '../../drivers/incus/incus-size.ts'
import {parseGoDuration} from '../../src/common/go-duration.ts'
import {drbdProps} from '../../drivers/incus/drbd-props.ts'
import {incusPoolConfig, type IncusPool} from '../../drivers/incus/pool-config.ts'
import {incusVolume, type IncusVolumeInput} from '../../drivers/incus/volume-config.ts'
import {adoptedPoolConfig, incusResourceGroupCreate, incusResourceGroupProps, incusResourceGroupUpdate,
  rsDiscardGranularityPatch} from '../../drivers/incus/resource-group.ts'
import {incusResourceName, incusVolumeName, incusVolumePlan} from '../../drivers/incus/volume-spawn.ts'
import {incusVolumeRows} from '../../drivers/incus/volume-table.ts'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB
const UUID = '4df9c3e5-a1b0-4c7e-9f2d-6a8b1c3e5f70'

const pool = (config: Record<string, string> = {}, name?: string): IncusPool => {
  const {pool: p, errors} = incusPoolConfig(config, name)
  assert.deepEqual(errors, [])
  assert.ok(p)
  return p
}
const poolErrors = (config: Record<string, string>): string[] => incusPoolConfig(config).errors

describe('Incus sizes', () => {
  const good: [string, number][] = [
    ['10GiB', 10 * GiB], ['10GB', 10_000_000_000], ['512MiB', 512 * MiB], ['4096', 4096], ['100B', 100], ['1kB', 1000],
    ['2TiB', 2 * 1024 * GiB], ['7 bytes', 7], ['', 0],
  ]
  for (const [text, bytes] of good) test(`'${text}' is ${bytes} bytes`, () => assert.equal(parseIncusSize(text), bytes))
  for (const text of ['10G', '1.5GiB', '10gib', 'GiB', '-1GiB', '10 GiB', '10KB']) {
    test(`'${text}' is refused`, () => assert.throws(() => parseIncusSize(text),
      {message: `'${text}' is not an Incus size (a whole number with B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)`}))
  }

  const kib: [number, number][] = [
    [10 * GiB, 10485760], [10_000_000_000, 9765632], [1, 4096], [4 * MiB, 4096], [4 * MiB + 1, 4104], [500 * MiB, 512000],
  ]
  for (const [bytes, expected] of kib) test(`${bytes} bytes are spawned as ${expected} KiB`, () => assert.equal(incusVolumeKib(bytes), expected))
})

describe('Go durations', () => {
  const good: [string, number][] = [['5m', 300], ['1h30m', 5400], ['1.5h', 5400], ['90s', 90], ['300ms', 0.3], ['0', 0], ['-2m', -120],
    ['1h0m0s', 3600], ['2µs', 0.000002]]
  for (const [text, seconds] of good) test(`'${text}' is ${seconds}s`, () => assert.equal(parseGoDuration(text), seconds))
  const bad: [string, string][] = [['', 'time: invalid duration ""'], ['5', 'time: missing unit in duration "5"'],
    ['5d', 'time: unknown unit "d" in duration "5d"'], ['1m5', 'time: missing unit in duration "1m5"'], ['.s', 'time: invalid duration ".s"']]
  for (const [text, message] of bad) test(`'${text}' is refused`, () => assert.throws(() => parseGoDuration(text), {message}))
})

describe('drbd.* and linstor.raw.* properties', () => {
  const cases: [string, Record<string, string>, 'minutes' | 'incus-seconds', ReturnType<typeof drbdProps>][] = [
    ['auto_diskful in LINSTOR minutes', {'drbd.auto_diskful': '5m'}, 'minutes',
      {override: {'DrbdOptions/auto-diskful': '5'}, delete: [], errors: []}],
    ['partial minutes are truncated, as Incus truncates seconds', {'drbd.auto_diskful': '90s'}, 'minutes',
      {override: {'DrbdOptions/auto-diskful': '1'}, delete: [], errors: []}],
    ['hours', {'drbd.auto_diskful': '1h'}, 'minutes', {override: {'DrbdOptions/auto-diskful': '60'}, delete: [], errors: []}],
    ['what Incus itself sends', {'drbd.auto_diskful': '5m'}, 'incus-seconds',
      {override: {'DrbdOptions/auto-diskful': '300'}, delete: [], errors: []}],
    ['below a minute', {'drbd.auto_diskful': '30s'}, 'minutes',
      {override: {}, delete: [], errors: ["drbd.auto_diskful: '30s' is shorter than one minute"]}],
    ['not a duration', {'drbd.auto_diskful': '5 minutes'}, 'minutes',
      {override: {}, delete: [], errors: ["drbd.auto_diskful: '5 minutes' is not a duration (time: unknown unit \" minutes\" in duration \"5 minutes\")"]}],
    ['quorum policy and tiebreaker', {'drbd.on_no_quorum': 'io-error', 'drbd.auto_add_quorum_tiebreaker': 'off'}, 'minutes',
      {override: {'DrbdOptions/Resource/on-no-quorum': 'io-error', 'DrbdOptions/auto-add-quorum-tiebreaker': 'false'}, delete: [], errors: []}],
    ['bad quorum policy and bad boolean', {'drbd.on_no_quorum': 'freeze', 'drbd.auto_add_quorum_tiebreaker': 'maybe'}, 'minutes',
      {override: {}, delete: [], errors: ["drbd.on_no_quorum: 'freeze' is not one of io-error, suspend-io",
        "drbd.auto_add_quorum_tiebreaker: 'maybe' is not a boolean (true or false)"]}],
    ['empty values remove the property', {'drbd.on_no_quorum': '', 'linstor.raw.DrbdOptions/Net/protocol': ''}, 'minutes',
      {override: {}, delete: ['DrbdOptions/Net/protocol', 'DrbdOptions/Resource/on-no-quorum'], errors: []}],
    ['raw keys pass through; other keys are not properties', {'linstor.raw.BCache/PoolName': 'bc', 'size': '10GiB'}, 'minutes',
      {override: {'BCache/PoolName': 'bc'}, delete: [], errors: []}],
    ['raw keys Incus refuses', {
      'linstor.raw.Aux/Incus/name': 'x', 'linstor.raw.DrbdOptions/auto-diskful': '5', 'linstor.raw.DrbdOptions/Resource/quorum': 'majority',
      'linstor.raw.': 'x'}, 'minutes', {override: {}, delete: [], errors: [
      'linstor.raw.Aux/Incus/name: Incus metadata cannot be set by hand',
      "linstor.raw.DrbdOptions/auto-diskful: set DRBD property 'DrbdOptions/auto-diskful' with the 'drbd.auto_diskful' key",
      "linstor.raw.DrbdOptions/Resource/quorum: DRBD property 'DrbdOptions/Resource/quorum' is managed by Incus and cannot be set by hand",
      'linstor.raw.: the LINSTOR property name is missing']}],
  ]
  for (const [name, config, unit, expected] of cases) test(name, () => assert.deepEqual(drbdProps(config, unit), expected))
})

describe('pool configuration', () => {
  test('defaults', () => {
    assert.deepEqual(pool(), {resourceGroup: 'incus', placeCount: 2, storagePool: undefined, volumePrefix: 'incus-volume-',
      onNoQuorum: 'suspend-io', autoDiskful: undefined, autoAddQuorumTiebreaker: true, raw: {}, pristine: false, volumeDefaults: {}})
  })

  test('the resource group: source, then linstor.resource_group.name, then the pool name', () => {
    assert.equal(pool({}, 'tank').resourceGroup, 'tank')
    assert.equal(pool({'linstor.resource_group.name': 'rg1'}, 'tank').resourceGroup, 'rg1')
    assert.equal(pool({'source': 'rg2', 'linstor.resource_group.name': 'rg2'}, 'tank').resourceGroup, 'rg2')
  })

  test('every key', () => {
    assert.deepEqual(pool({
      'linstor.resource_group.name': 'fast', 'linstor.resource_group.place_count': '3', 'linstor.resource_group.storage_pool': 'nvme',
      'linstor.volume.prefix': 'fast-', 'drbd.on_no_quorum': 'io-error', 'drbd.auto_diskful': '10m',
      'drbd.auto_add_quorum_tiebreaker': 'false', 'linstor.raw.DrbdOptions/Net/protocol': 'C', 'volatile.pool.pristine': 'true',
      'volume.size': '20GiB', 'volume.block.filesystem': 'xfs', 'volume.linstor.remove_snapshots': 'true', 'user.owner': 'ops',
      'rsync.bwlimit': '100MiB', 'volatile.initial_source': '',
    }), {resourceGroup: 'fast', placeCount: 3, storagePool: 'nvme', volumePrefix: 'fast-', onNoQuorum: 'io-error', autoDiskful: '10m',
      autoAddQuorumTiebreaker: false, raw: {'DrbdOptions/Net/protocol': 'C'}, pristine: true,
      volumeDefaults: {'size': '20GiB', 'block.filesystem': 'xfs', 'linstor.remove_snapshots': 'true'}})
  })

  const errors: [string, Record<string, string>, string[]][] = [
    ['source and name differ', {'source': 'a1', 'linstor.resource_group.name': 'b1'},
      ["source and linstor.resource_group.name must not differ ('a1' and 'b1')"]],
    ['bad resource group name', {'linstor.resource_group.name': 'my pool'},
      ["linstor.resource_group.name: 'my pool' is not a resource group name (Cannot contain character ' ')"]],
    ['place count zero', {'linstor.resource_group.place_count': '0'},
      ["linstor.resource_group.place_count: '0' is not a positive whole number"]],
    ['place count not a number', {'linstor.resource_group.place_count': 'two'},
      ["linstor.resource_group.place_count: 'two' is not a positive whole number"]],
    ['bad storage pool name', {'linstor.resource_group.storage_pool': 'sp'},
      ["linstor.resource_group.storage_pool: 'sp' is not a storage pool name (Name length 2 is less than minimum length 3)"]],
    ['prefix too long for LINSTOR names', {'linstor.volume.prefix': 'incus-volumes-pool1-'},
      ["linstor.volume.prefix: 'incus-volumes-pool1-' is longer than 16 characters (resource names are the prefix plus 32 characters, at most 48)"]],
    ['prefix that cannot start a name', {'linstor.volume.prefix': '1vol.'},
      ["linstor.volume.prefix: '1vol.' cannot start a LINSTOR resource name (a letter or '_' first, then letters, digits, '_' or '-')"]],
    ['unknown keys, including volume keys the driver lacks', {'linstor.foo': '1', 'volume.zfs.blocksize': '8KiB', 'size': '1GiB'},
      ["unknown key 'linstor.foo'", "unknown key 'volume.zfs.blocksize'", "unknown key 'size'"]],
    ['bad booleans and sizes', {'rsync.compression': 'maybe', 'rsync.bwlimit': '10M'}, [
      "rsync.compression: 'maybe' is not a boolean (true or false)",
      "rsync.bwlimit: '10M' is not an Incus size (a whole number with B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)"]],
    ['volume defaults are checked too', {'volume.block.filesystem': 'zfs', 'volume.drbd.auto_diskful': '10s'}, [
      "volume.block.filesystem: 'zfs' is not one of ext4, btrfs, xfs",
      "volume.drbd.auto_diskful: '10s' is shorter than one minute"]],
    ['drbd keys and forbidden raw keys', {'drbd.on_no_quorum': 'panic', 'linstor.raw.DrbdOptions/Net/allow-two-primaries': 'no'}, [
      "drbd.on_no_quorum: 'panic' is not one of io-error, suspend-io",
      "linstor.raw.DrbdOptions/Net/allow-two-primaries: DRBD property 'DrbdOptions/Net/allow-two-primaries' is managed by Incus and cannot be set by hand"]],
  ]
  for (const [name, config, expected] of errors) test(`error: ${name}`, () => assert.deepEqual(poolErrors(config), expected))
})

describe('resource group bodies', () => {
  test('create, then the properties', () => {
    const p = pool({'linstor.resource_group.storage_pool': 'nvme', 'drbd.auto_diskful': '1h', 'linstor.raw.DrbdOptions/Net/protocol': 'C'}, 'tank')
    assert.deepEqual(incusResourceGroupCreate(p),
      {name: 'tank', description: 'Resource group managed by Incus', select_filter: {place_count: 2, storage_pool: 'nvme'}})
    assert.deepEqual(incusResourceGroupProps(p), {override_props: {
      'DrbdOptions/Disk/rs-discard-granularity': '1048576', 'DrbdOptions/Net/protocol': 'C',
      'DrbdOptions/Resource/on-no-quorum': 'suspend-io', 'DrbdOptions/auto-add-quorum-tiebreaker': 'true',
      'DrbdOptions/auto-diskful': '60'}, select_filter: {}})
    assert.equal(incusResourceGroupProps(p, 'incus-seconds').override_props?.['DrbdOptions/auto-diskful'], '3600')
  })

  test('a raw rs-discard-granularity wins over the default', () => {
    const p = pool({'linstor.raw.DrbdOptions/Disk/rs-discard-granularity': '65536'})
    assert.equal(incusResourceGroupProps(p).override_props?.['DrbdOptions/Disk/rs-discard-granularity'], '65536')
    assert.deepEqual(incusResourceGroupCreate(p), {name: 'incus', description: 'Resource group managed by Incus', select_filter: {place_count: 2}})
  })

  const updates: [string, Record<string, string>, ReturnType<typeof incusResourceGroupUpdate>][] = [
    ['place count and pool', {'linstor.resource_group.place_count': '3', 'linstor.resource_group.storage_pool': 'ssd1'},
      {body: {select_filter: {place_count: 3, storage_pool: 'ssd1'}}, errors: []}],
    ['properties set and removed; rs-discard-granularity goes back to its default',
      {'drbd.on_no_quorum': 'io-error', 'drbd.auto_diskful': '', 'linstor.raw.DrbdOptions/Disk/rs-discard-granularity': ''},
      {body: {override_props: {'DrbdOptions/Disk/rs-discard-granularity': '1048576', 'DrbdOptions/Resource/on-no-quorum': 'io-error'},
        delete_props: ['DrbdOptions/auto-diskful'], select_filter: {}}, errors: []}],
    ['immutable keys', {'linstor.volume.prefix': 'x-', 'linstor.resource_group.name': 'other'},
      {errors: ['linstor.volume.prefix cannot be changed', 'linstor.resource_group.name cannot be changed']}],
    ['the storage pool cannot be unset', {'linstor.resource_group.storage_pool': ''},
      {errors: ['linstor.resource_group.storage_pool cannot be unset: the resource group keeps its storage pool']}],
    ['bad values', {'linstor.resource_group.place_count': '-1', 'drbd.auto_diskful': '2d'}, {errors: [
      "linstor.resource_group.place_count: '-1' is not a positive whole number",
      "drbd.auto_diskful: '2d' is not a duration (time: unknown unit \"d\" in duration \"2d\")"]}],
  ]
  for (const [name, changed, expected] of updates) test(`update: ${name}`, () => assert.deepEqual(incusResourceGroupUpdate(changed), expected))

  test('startup patch and adopting an existing group', () => {
    assert.deepEqual(rsDiscardGranularityPatch({name: 'incus', props: {}}),
      {override_props: {'DrbdOptions/Disk/rs-discard-granularity': '1048576'}, select_filter: {}})
    assert.equal(rsDiscardGranularityPatch({name: 'incus', props: {'DrbdOptions/Disk/rs-discard-granularity': '65536'}}), undefined)
    assert.deepEqual(adoptedPoolConfig({name: 'rg', select_filter: {place_count: 3, storage_pool: 'nvme'}}),
      {'linstor.resource_group.place_count': '3', 'linstor.resource_group.storage_pool': 'nvme'})
  })
})

describe('volumes', () => {
  const volume = (p: IncusPool, input: IncusVolumeInput): ReturnType<typeof incusVolume> => incusVolume(p, input)

  test('a container gets 10GiB and ext4 mounted with discard', () => {
    assert.deepEqual(volume(pool(), {type: 'containers', contentType: 'filesystem'}), {volume: {type: 'containers', contentType: 'filesystem',
      sizeBytes: 10 * GiB, stateSizeBytes: undefined, filesystem: {type: 'ext4', mountOptions: 'discard', createOptions: undefined},
      removeSnapshots: false}, errors: []})
  })

  test('pool defaults apply; the volume wins over them', () => {
    const p = pool({'volume.size': '20GiB', 'volume.block.filesystem': 'xfs', 'volume.linstor.remove_snapshots': 'yes'})
    assert.deepEqual(volume(p, {type: 'custom', contentType: 'filesystem', config: {'block.mount_options': 'noatime', 'size': '5GB'}}).volume,
      {type: 'custom', contentType: 'filesystem', sizeBytes: 5_000_000_000, stateSizeBytes: undefined,
        filesystem: {type: 'xfs', mountOptions: 'noatime', createOptions: undefined}, removeSnapshots: true})
  })

  test('a VM disk has a filesystem volume beside it', () => {
    assert.deepEqual(volume(pool(), {type: 'virtual-machines', contentType: 'block', config: {'size': '20GiB', 'size.state': '1GiB'}}).volume,
      {type: 'virtual-machines', contentType: 'block', sizeBytes: 20 * GiB, stateSizeBytes: GiB,
        filesystem: {type: 'ext4', mountOptions: 'discard', createOptions: undefined}, removeSnapshots: false})
    assert.equal(volume(pool(), {type: 'virtual-machines', contentType: 'block'}).volume?.stateSizeBytes, 500 * MiB)
  })

  test('a custom block volume has no filesystem; size "0" means the default', () => {
    const v = volume(pool(), {type: 'custom', contentType: 'block', config: {'size': '0', 'security.shared': 'true'}}).volume
    assert.equal(v?.filesystem, undefined)
    assert.equal(v?.sizeBytes, 10 * GiB)
  })

  const errors: [string, IncusVolumeInput, string[]][] = [
    ['filesystem keys on a block volume', {type: 'custom', contentType: 'block', config: {'block.filesystem': 'ext4'}},
      ['block.filesystem: only applies to volumes with content type filesystem']],
    ['custom-only keys on an instance', {type: 'containers', contentType: 'filesystem', config: {'initial.uid': '1000'}},
      ['initial.uid: only applies to custom volumes with content type filesystem']],
    ['security.shared on a filesystem volume', {type: 'custom', contentType: 'filesystem', config: {'security.shared': 'true'}},
      ['security.shared: only applies to custom block volumes']],
    ['bad values and unknown keys', {type: 'custom', contentType: 'filesystem',
      config: {'size': '10G', 'block.filesystem': 'zfs', 'zfs.blocksize': '8KiB', 'drbd.auto_diskful': '59s'}}, [
      "size: '10G' is not an Incus size (a whole number with B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)",
      "block.filesystem: 'zfs' is not one of ext4, btrfs, xfs",
      "unknown key 'zfs.blocksize'",
      "drbd.auto_diskful: '59s' is shorter than one minute"]],
    ['unknown types', {type: 'buckets' as never, contentType: 'tape' as never}, ["unknown volume type 'buckets'", "unknown content type 'tape'"]],
  ]
  for (const [name, input, expected] of errors) test(`error: ${name}`, () => assert.deepEqual(volume(pool(), input), {errors: expected}))
})

describe('volume plan', () => {
  test('names', () => {
    assert.equal(incusResourceName('incus-volume-', UUID), 'incus-volume-4df9c3e5a1b04c7e9f2d6a8b1c3e5f70')
    assert.throws(() => incusResourceName('incus-volume-', 'not-a-uuid'), {message: "'not-a-uuid' is not a UUID"})
    assert.equal(incusVolumeName('custom', 'data'), 'default_data')
    assert.equal(incusVolumeName('custom', 'data', 'staging'), 'staging_data')
    assert.equal(incusVolumeName('containers', 'web01'), 'web01')
    assert.equal(incusVolumeName('virtual-machines', 'db01', 'staging'), 'staging_db01')
    assert.equal(incusVolumeName('images', 'abc123', 'staging'), 'abc123')
  })

  test('a container', () => {
    const p = pool()
    const v = incusVolume(p, {type: 'containers', contentType: 'filesystem', config: {'size': '10GiB'}}).volume
    assert.ok(v)
    assert.deepEqual(incusVolumePlan(p, {name: 'web01', volume: v, uuid: UUID}), {
      resourceName: 'incus-volume-4df9c3e5a1b04c7e9f2d6a8b1c3e5f70',
      spawn: {resource_definition_name: 'incus-volume-4df9c3e5a1b04c7e9f2d6a8b1c3e5f70', volume_sizes: [10485760],
        definitions_only: true, select_filter: {}},
      properties: {override_props: {'Aux/Incus/name': 'incus-volume-web01', 'Aux/Incus/type': 'containers',
        'Aux/Incus/content-type': 'filesystem', 'DrbdOptions/Net/allow-two-primaries': 'yes'}},
      exactSize: {override_props: {'DrbdOptions/ExactSize': 'true'}},
      autoplace: {select_filter: {}},
      filesystem: {type: 'ext4', mountOptions: 'discard', createOptions: undefined},
    })
  })

  test('a VM spawns two volumes; volume drbd keys and raw keys go on the resource definition', () => {
    const p = pool({'linstor.volume.prefix': 'vm-'})
    const config = {'size': '20GB', 'drbd.auto_diskful': '2m', 'drbd.on_no_quorum': '', 'linstor.raw.DrbdOptions/Net/protocol': 'A'}
    const v = incusVolume(p, {type: 'virtual-machines', contentType: 'block', config}).volume
    assert.ok(v)
    const plan = incusVolumePlan(p, {name: incusVolumeName('virtual-machines', 'db01', 'staging'), volume: v, config, uuid: UUID})
    assert.deepEqual(plan.spawn.volume_sizes, [19531256, 512000])
    assert.deepEqual(plan.properties, {override_props: {'Aux/Incus/name': 'vm-staging_db01', 'Aux/Incus/type': 'virtual-machines',
      'Aux/Incus/content-type': 'block', 'DrbdOptions/Net/allow-two-primaries': 'yes', 'DrbdOptions/auto-diskful': '2',
      'DrbdOptions/Net/protocol': 'A'}})
    assert.equal(plan.resourceName, 'vm-4df9c3e5a1b04c7e9f2d6a8b1c3e5f70')
  })
})

describe('cairn incus volumes', () => {
  const definitions = JSON.parse(readFileSync(new URL('../fixtures/incus/resource-definitions.json', import.meta.url), 'utf8')) as ResourceDefinition[]

  test('every Incus-tagged definition, prefixes read off the resource names', () => {
    assert.deepEqual(incusVolumeRows(definitions).map((r) => [r.pool, r.resourceGroup, r.type, r.project, r.volume, r.resource, r.sizesKib]), [
      [undefined, 'incus', 'containers', 'default', 'web01', 'incus-volume-4df9c3e5a1b04c7e9f2d6a8b1c3e5f70', [10485760]],
      [undefined, 'incus', 'custom', 'default', 'shared_data', 'incus-volume-c0ffee00c0ffee00c0ffee00c0ffee00', [52428800]],
      [undefined, 'incus', 'images', undefined, '6e8c1b0d5f3a2e4c7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e',
        'incus-volume-1234567890abcdef1234567890abcdef', [10485760]],
      [undefined, 'incus', 'virtual-machines', 'staging', 'db01', 'incus-volume-7a1c9e2b4d6f48a0b2c4e6f8a0b2c4d6', [20971520, 512000]],
      [undefined, 'nvme', 'custom', 'default', 'scratch', 'fast-ab12cd34ab12cd34ab12cd34ab12cd34', [1048576]],
    ])
  })

  test('with pools: their groups only, their prefixes, snapshots mapped', () => {
    const rows = incusVolumeRows(definitions, [{pool: 'default', resourceGroup: 'incus'}, {pool: 'fast', resourceGroup: 'nvme', volumePrefix: 'fast-'}])
    assert.deepEqual(rows.map((r) => [r.pool, r.type, r.project, r.volume, r.contentType]), [
      ['default', 'containers', 'default', 'web01', 'filesystem'],
      ['default', 'custom', 'default', 'shared_data', 'filesystem'],
      ['default', 'images', undefined, '6e8c1b0d5f3a2e4c7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e', 'filesystem'],
      ['default', 'virtual-machines', 'staging', 'db01', 'block'],
      ['fast', 'custom', 'default', 'scratch', 'block'],
    ])
    assert.deepEqual(rows[0]?.snapshots, [
      {incus: 'before-upgrade', linstor: 'incus-volume-9f8e7d6c5b4a39281706f5e4d3c2b1a0'},
      {incus: 'snap1', linstor: 'incus-volume-0b1c2d3e4f5061728394a5b6c7d8e9f0'},
    ])
    assert.deepEqual(incusVolumeRows(definitions, [{pool: 'other', resourceGroup: 'INCUS'}]), [])
  })
})
