import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import type {QueryAllSizeInfoResponse} from '../../src/api/wire.ts'
import {parseStorageCfg} from '../../drivers/proxmox/storage-cfg.ts'
import {drbdStorages, type DrbdStorage} from '../../drivers/proxmox/drbd-storage.ts'
import {REFRESH_SIZE_INFO, pveStatus, pveStatuses, sizeInfoRequest, type PveStorageStatus} from '../../drivers/proxmox/pve-status.ts'
import {allocImageSpawn, proxmoxResourceGroups} from '../../drivers/proxmox/resource-group.ts'

const CFG = readFileSync(new URL('../fixtures/proxmox/storage.cfg', import.meta.url), 'utf8')
const storages = drbdStorages(parseStorageCfg(CFG))
const storage = (text: string): DrbdStorage => {
  const [s] = drbdStorages(parseStorageCfg(`drbd: s1\n\t${text}\n`))
  assert.ok(s)
  return s
}

const space = (capacity?: number | bigint, available?: number | bigint): QueryAllSizeInfoResponse['result'] =>
  ({rg: {space_info: {max_vlm_size_in_kib: 0, ...(capacity !== undefined ? {capacity_in_kib: capacity} : {}),
    ...(available !== undefined ? {available_size_in_kib: available} : {})}}})

describe('pveStatus', () => {
  const cases: [string, QueryAllSizeInfoResponse, string, PveStorageStatus][] = [
    ['KiB in, bytes out', {result: space(1048576, 262144)}, 'rg',
      {active: true, totalBytes: 1073741824, availBytes: 268435456, usedBytes: 805306368, requery: false}],
    ['int64 values arrive as bigint', {result: space(10n, 4n)}, 'rg',
      {active: true, totalBytes: 10240, availBytes: 4096, usedBytes: 6144, requery: false}],
    ['thin pools reporting more available than total never give negative use', {result: space(100, 150)}, 'rg',
      {active: true, totalBytes: 102400, availBytes: 153600, usedBytes: 0, requery: false}],
    ['capacity 0 (LINSTOR starting): numbers as they are, and ask again', {result: space(0, 0)}, 'rg',
      {active: true, totalBytes: 0, availBytes: 0, usedBytes: 0, requery: true}],
    ['missing available size counts as 0', {result: space(100)}, 'rg',
      {active: true, totalBytes: 102400, availBytes: 0, usedBytes: 102400, requery: false}],
    ['unknown resource group: inactive', {result: space(100, 50)}, 'other', {active: false}],
    ['the lookup is case-sensitive, like the Perl hash', {result: space(100, 50)}, 'RG', {active: false}],
    ['no capacity: inactive', {result: space(undefined, 50)}, 'rg', {active: false}],
    ['no result at all', {}, 'rg', {active: false}],
    ['not fooled by object prototype names', {result: {}}, 'constructor', {active: false}],
  ]
  for (const [name, response, rg, expected] of cases) test(name, () => assert.deepEqual(pveStatus(rg, response), expected))

  test('per storage of the fixture', () => {
    const response: QueryAllSizeInfoResponse = {result: {defaultpool: {space_info: {max_vlm_size_in_kib: 0, capacity_in_kib: 2048,
      available_size_in_kib: 1024}}}}
    assert.deepEqual([...pveStatuses(storages, response)], [
      ['drbdstorage', {active: true, totalBytes: 2097152, availBytes: 1048576, usedBytes: 1048576, requery: false}],
      ['fastdrbd', {active: false}],
    ])
    const [noGroup] = drbdStorages(parseStorageCfg('drbd: s1\n\tcontent images\n'))
    assert.ok(noGroup)
    assert.deepEqual([...pveStatuses([noGroup], response)], [['s1', {active: false}]])
  })

  test('request bodies: statuscache as the plugin uses it, then -1 to refresh', () => {
    assert.deepEqual(storages.map(sizeInfoRequest), [{ignore_cache_older_than_sec: 60}, {ignore_cache_older_than_sec: 120}])
    assert.deepEqual(sizeInfoRequest(storage('resourcegroup rg\n\tstatuscache 0')), {ignore_cache_older_than_sec: 60})
    assert.deepEqual(REFRESH_SIZE_INFO, {ignore_cache_older_than_sec: -1})
  })
})

describe('resource groups for the drbd stanzas', () => {
  test('one group per stanza of the fixture, default place count 2', () => {
    assert.deepEqual(proxmoxResourceGroups(storages), [
      {name: 'defaultpool', storeIds: ['drbdstorage'],
        create: {name: 'defaultpool', description: 'Proxmox storage drbdstorage (linstor-proxmox)', select_filter: {place_count: 2}},
        modify: {}, volumeGroup: {}},
      {name: 'ssd', storeIds: ['fastdrbd'],
        create: {name: 'ssd', description: 'Proxmox storage fastdrbd (linstor-proxmox)', select_filter: {place_count: 2}},
        modify: {}, volumeGroup: {}},
    ])
  })

  test('stanzas sharing a group (names compare case-insensitively) make one plan; explicit placement goes everywhere', () => {
    const cfg = 'drbd: a1\n\tresourcegroup Pool\n\ndrbd: b1\n\tresourcegroup pool\n\ndrbd: c1\n\tcontent images\n'
    assert.deepEqual(proxmoxResourceGroups(drbdStorages(parseStorageCfg(cfg)), {placeCount: 3, storagePool: 'nvme'}), [
      {name: 'Pool', storeIds: ['a1', 'b1'],
        create: {name: 'Pool', description: 'Proxmox storage a1, b1 (linstor-proxmox)', select_filter: {place_count: 3, storage_pool: 'nvme'}},
        modify: {select_filter: {place_count: 3, storage_pool: 'nvme'}},
        volumeGroup: {}},
    ])
  })
})

describe('allocImageSpawn', () => {
  const cases: [string, string, number, object][] = [
    ['defaults: preferlocal, no exact size, dual primary', 'resourcegroup rg', 10485760,
      {resource_definition_name: 'pm-12cf742a', definitions_only: true, volume_sizes: [10485760],
        resource_definition_props: {'DrbdOptions/ExactSize': 'False', 'DrbdOptions/Net/allow-two-primaries': 'yes'}}],
    ['everything turned the other way', 'resourcegroup rg\n\tpreferlocal no\n\texactsize yes\n\tallowtwoprimaries no', 4096,
      {resource_definition_name: 'pm-12cf742a', definitions_only: false, volume_sizes: [4096],
        resource_definition_props: {'DrbdOptions/ExactSize': 'True', 'DrbdOptions/Net/allow-two-primaries': 'no'}}],
    ['tiny disks become 3 MiB', 'resourcegroup rg', 528,
      {resource_definition_name: 'pm-12cf742a', definitions_only: true, volume_sizes: [3072],
        resource_definition_props: {'DrbdOptions/ExactSize': 'False', 'DrbdOptions/Net/allow-two-primaries': 'yes'}}],
  ]
  for (const [name, cfg, kib, expected] of cases) {
    test(name, () => assert.deepEqual(allocImageSpawn(storage(cfg), 'pm-12cf742a', kib), expected))
  }
})
