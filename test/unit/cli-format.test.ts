// The CLI's pure helpers: linstor's size display, size parsing, select filter text, property
// columns, volume states, the describe tree, multi-line and right-aligned table cells.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import type {Volume} from '../../src/api/wire.ts'
import {csv, listOf} from '../../src/cli/args.ts'
import {connectionPropsText} from '../../src/cli/connections.ts'
import {nodeTrees, renderTree} from '../../src/cli/commands/node/describe.ts'
import {selectFilterText} from '../../src/cli/commands/resource-group/list.ts'
import {replicationCell, resourceState, volumeState} from '../../src/cli/commands/resource/list.ts'
import {driverProps} from '../../src/cli/commands/storage-pool/create.ts'
import {parseVolumeSizeKib, pyList, sizeKib, timestamp, withPropColumns} from '../../src/cli/format.ts'
import {parsePlaceCount, xReplicas} from '../../src/cli/placement.ts'
import {propChange} from '../../src/cli/props.ts'
import {renderTable} from '../../src/cli/table.ts'

describe('sizes', () => {
  const shown: [number | bigint, string][] = [
    [0, '0 KiB'], [1023, '1023 KiB'], [1024, '1 MiB'], [1536, '1.50 MiB'], [1048576, '1 GiB'], [1024 ** 3 * 5, '5 TiB'],
    [81_998_000, '78.20 GiB'], [1024n ** 4n, '1 PiB'],
  ]
  for (const [kib, text] of shown) test(`${kib} KiB shows as ${text}`, () => assert.equal(sizeKib(kib), text))
  test('unknown size is empty', () => assert.equal(sizeKib(undefined), ''))

  const parsed: [string, number][] = [
    ['1', 1048576], ['10G', 10485760], ['512MiB', 524288], ['100GB', 97656250], ['1.5T', 1610612736], ['4096K', 4096], ['1000B', 1],
    ['20M', 20480],
  ]
  for (const [text, kib] of parsed) test(`'${text}' is ${kib} KiB (bare numbers are GiB, rounded up to KiB)`, () => assert.equal(parseVolumeSizeKib(text), kib))
  for (const bad of ['12 parsecs', '', 'G', '0', '-1G']) {
    test(`'${bad}' is refused with a message`, () => assert.throws(() => parseVolumeSizeKib(bad), /size/))
  }
})

describe('arguments and flags', () => {
  test('csv splits commas and repeats, undefined stays undefined', () => {
    assert.deepEqual(csv(['a,b', ' c ']), ['a', 'b', 'c'])
    assert.equal(csv(undefined), undefined)
  })
  test('listOf normalises oclif variadic values', () => {
    assert.deepEqual(listOf(undefined), [])
    assert.deepEqual(listOf('a'), ['a'])
    assert.deepEqual(listOf(['a', 'b']), ['a', 'b'])
  })
  test('place counts: N, +N, max', () => {
    assert.deepEqual(parsePlaceCount('3'), {place_count: 3})
    assert.deepEqual(parsePlaceCount('+1'), {additional_place_count: 1})
    assert.deepEqual(parsePlaceCount('max'), {place_count: -1, additional_place_count: 0})
    assert.throws(() => parsePlaceCount('two'), /not a replica count/)
  })
  test('x-replicas-on-different pairs get the Aux/ namespace', () => {
    assert.deepEqual(xReplicas(['site', '2', 'Aux/rack', '1']), {'Aux/site': 2, 'Aux/rack': 1})
    assert.throws(() => xReplicas(['site']), /pairs/)
    assert.equal(xReplicas(undefined), undefined)
  })
  test('a property change: a value sets, no value removes', () => {
    assert.deepEqual(propChange('k', 'v'), {override_props: {k: 'v'}})
    assert.deepEqual(propChange('k', ''), {delete_props: ['k']})
    assert.deepEqual(propChange('k', undefined), {delete_props: ['k']})
  })
  test('storage pool kinds name their backing storage in their own StorDriver/* keys', () => {
    assert.deepEqual(driverProps('LVM', 'vg0'), {'StorDriver/LvmVg': 'vg0'})
    assert.deepEqual(driverProps('LVM_THIN', 'vg0/thin'), {'StorDriver/LvmVg': 'vg0', 'StorDriver/ThinPool': 'thin'})
    assert.deepEqual(driverProps('ZFS', 'tank'), {'StorDriver/ZPool': 'tank'})
    assert.deepEqual(driverProps('ZFS_THIN', 'tank'), {'StorDriver/ZPoolThin': 'tank'})
    assert.deepEqual(driverProps('FILE', '/d'), {'StorDriver/FileDir': '/d'})
    assert.deepEqual(driverProps('FILE_THIN', '/d'), {'StorDriver/FileDir': '/d'})
    assert.deepEqual(driverProps('DISKLESS', ''), {})
    assert.throws(() => driverProps('LVM_THIN', 'vg0'), /VG\/LV/)
  })
})

describe('table text', () => {
  test('select filters print as linstor prints them, one field a line', () => {
    assert.equal(selectFilterText({place_count: 2, storage_pool_list: ['a', 'b'], layer_stack: ['DRBD', 'STORAGE'], diskless_on_remaining: false,
      replicas_on_different: ['Aux/site'], x_replicas_on_different_map: {'Aux/rack': 1}}),
    "PlaceCount: 2\nStoragePool(s): a, b\nDisklessOnRemaining: False\nReplicasOnDifferent: ['Aux/site']\nXReplicasOnDifferent: {'Aux/rack': 1}\nLayerStack: ['DRBD', 'STORAGE']")
    assert.equal(selectFilterText({}), '')
    assert.equal(pyList([1, 'x']), "[1, 'x']")
  })
  test('--show-props adds columns, Key=Title names them', () => {
    const {headers, rows} = withPropColumns(['Name'], [['a'], ['b']], [{'Aux/x': '1'}, undefined], ['Aux/x=X', 'Other'])
    assert.deepEqual(headers, ['Name', 'X', 'Other'])
    assert.deepEqual(rows, [['a', '1', ''], ['b', '', '']])
  })
  test('connection properties are shortened like linstor does', () => {
    assert.equal(connectionPropsText({'DrbdOptions/Net/protocol': 'C'}), 'protocol=C')
    assert.equal(connectionPropsText({a: 'x'.repeat(40)}), `a=${'x'.repeat(28)}...`)
  })
  test('timestamps are UTC, to the second', () => assert.equal(timestamp(Date.UTC(2024, 0, 2, 3, 4, 5)), '2024-01-02 03:04:05'))
  test('multi-line cells and right-aligned columns', () => {
    assert.equal(renderTable(['A', {name: 'Size', right: true}], [['x\ny', '1 KiB'], ['z', '10 MiB']], {utf8: false, colour: false}), [
      '+------------+',
      '| A |   Size |',
      '|============|',
      '| x |  1 KiB |',
      '| y |        |',
      '|------------|',
      '| z | 10 MiB |',
      '+------------+',
    ].join('\n'))
  })
})

describe('states', () => {
  const storage = (disk?: string): Volume => ({layer_data_list: [{type: 'STORAGE'}], state: disk ? {disk_state: disk} : undefined})
  const drbd = (disk: string): Volume => ({layer_data_list: [{type: 'DRBD'}], state: {disk_state: disk}})
  test('volumes without DRBD: Created, Failed, or Unknown before the satellite reported', () => {
    assert.deepEqual(volumeState(storage('Created')), {text: 'Created', colour: 'green'})
    assert.deepEqual(volumeState(storage('Failed')), {text: 'Failed', colour: 'red'})
    assert.deepEqual(volumeState(storage()), {text: 'Unknown', colour: 'yellow'})
  })
  test('DRBD disk states', () => {
    assert.deepEqual(volumeState(drbd('UpToDate')), {text: 'UpToDate', colour: 'green'})
    assert.deepEqual(volumeState(drbd('Inconsistent')), {text: 'Inconsistent', colour: 'red'})
    assert.deepEqual(volumeState(drbd('Diskless')), {text: 'Diskless', colour: 'red'})
    assert.deepEqual(volumeState(drbd('Diskless'), ['DISKLESS']), {text: 'Diskless', colour: 'green'})
    assert.deepEqual(volumeState(drbd('Diskless'), ['DISKLESS', 'TIE_BREAKER']), {text: 'TieBreaker', colour: 'none'})
    assert.deepEqual(volumeState(drbd('DUnknown')), {text: 'Unknown', colour: 'yellow'})
    assert.deepEqual(volumeState(drbd('Outdated')), {text: 'Outdated', colour: 'yellow'})
  })
  test('resources: deleting, unknown before a report, failed connections turn the state red', () => {
    assert.equal(resourceState({flags: ['DELETE']}).state.text, 'DELETING')
    assert.deepEqual(resourceState({volumes: [storage('Created')]}), {state: {text: 'Unknown', colour: 'yellow'}, conns: {text: ''}})
    assert.deepEqual(resourceState({state: {in_use: false}, volumes: [storage('Created')]}),
      {state: {text: 'Created', colour: 'green'}, conns: {text: 'Ok'}})
    const r = resourceState({state: {in_use: false}, volumes: [drbd('UpToDate')],
      layer_object: {type: 'DRBD', drbd: {connections: {n2: {connected: false, message: 'Connecting'}, n3: {connected: true}}}}})
    assert.deepEqual(r, {state: {text: 'UpToDate', colour: 'red'}, conns: {text: 'Connecting(n2)', colour: 'red'}})
  })
  test('replication states', () => {
    assert.deepEqual(replicationCell({state: {replication_states: {a: {replication_state: 'Established'}, b: {replication_state: 'Established'}}}}),
      {text: 'Established(2)', colour: 'green'})
    assert.deepEqual(replicationCell({state: {replication_states: {a: {replication_state: 'SyncTarget', done_percentage: 12.345}}}}),
      {text: 'a: SyncTarget(12.35%)', colour: 'yellow'})
    assert.deepEqual(replicationCell({}), {text: ''})
  })
})

test('node describe: node, pools, resources by pool, volumes; diskless volumes under "diskless resource"', () => {
  const trees = nodeTrees([{name: 'n1', type: 'SATELLITE'}],
    [{storage_pool_name: 'DfltDisklessStorPool', node_name: 'n1', provider_kind: 'DISKLESS'}, {storage_pool_name: 'p', node_name: 'n1', provider_kind: 'FILE'}],
    [{name: 'r', node_name: 'n1', volumes: [{volume_number: 0, storage_pool_name: 'p', allocated_size_kib: 2048}]},
      {name: 'd', node_name: 'n1', volumes: [{volume_number: 0, storage_pool_name: 'DfltDisklessStorPool'}]}])
  assert.deepEqual(renderTree(trees[0] as Parameters<typeof renderTree>[0], false), [
    'n1 (node)',
    '   |',
    '   |---DfltDisklessStorPool (storage pool)',
    '   |',
    '   |---p (storage pool)',
    '   |   |',
    '   |   +---r (resource)',
    '   |       |',
    '   |       +---volume0 (, size: 2 MiB)',
    '   |',
    '   +---diskless resource (resources may reside on other nodes)',
    '       |',
    '       +---d (resource)',
    '           |',
    '           +---volume0 (, size: 0 KiB)',
  ])
})
