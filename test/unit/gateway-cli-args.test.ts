// The gateway commands' arguments → create requests: sizes, export paths, allowed IPs, CHAP and
// the common flags, the next LUN for add-volume, and --resource-timeout.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {addVolumeRequest, defaultAllowedIps, iscsiCreateInput, nextVolumeNumber, nfsCreateInput, nfsExportPaths, nvmeCreateInput,
  resourceTimeoutMs, resourceTimeoutNs, volumeNumber, volumesFromSizes} from '../../src/cli/gateway-args.ts'
import {iscsiKind, nfsKind, nvmeKind} from '../../gateway/target-kinds.ts'

const owner = {User: '', Group: ''}

describe('sizes', () => {
  test('binary and decimal units, numbered from 1', () => {
    assert.deepEqual(volumesFromSizes(['1G', '500MB', '2GiB', '4096']), [
      {number: 1, size_kib: 1024 * 1024}, {number: 2, size_kib: 488281}, {number: 3, size_kib: 2 * 1024 * 1024}, {number: 4, size_kib: 4}])
  })
  test('a bad size names the argument and the reason', () => {
    assert.throws(() => volumesFromSizes(['1G', '12Q']), /^Error: invalid volume size '12Q': unit "Q" is not valid$/)
    assert.throws(() => volumesFromSizes(['x']), /invalid volume size 'x': could not convert "x" to size/)
  })
})

describe('iSCSI create', () => {
  test('comma lists for IPs and initiators, CHAP, flags', () => {
    const input = iscsiCreateInput({iqn: 'iqn.2019-08.com.linbit:example', serviceIps: '10.0.0.50/24,10.0.1.50/24', sizes: ['1G']},
      {'username': 'chapuser', 'password': 's3cretpass12', 'allowed-initiators': ['iqn.2024-01.com.example:h1,iqn.2024-01.com.example:h2'],
        'implementation': 'scst', 'resource-group': 'iscsi_group', 'gross': true, 'portblock': false, 'resource-timeout': '45s'})
    assert.deepEqual(input, {
      iqn: 'iqn.2019-08.com.linbit:example', service_ips: ['10.0.0.50/24', '10.0.1.50/24'], volumes: [{number: 1, size_kib: 1048576}],
      username: 'chapuser', password: 's3cretpass12', allowed_initiators: ['iqn.2024-01.com.example:h1', 'iqn.2024-01.com.example:h2'],
      implementation: 'scst', resource_group: 'iscsi_group', gross_size: true, portblock: false, resource_timeout: 45e9,
    })
    const config = iscsiKind.defaults(input as never)
    assert.equal(iscsiKind.validate(config), undefined)
    assert.deepEqual(config.volumes.map((v) => v.number), [0, 1])
  })
  test('defaults: no CHAP, all initiators, portblock on, the service\'s timeout', () => {
    const input = iscsiCreateInput({iqn: 'iqn.2019-08.com.linbit:example', serviceIps: '10.0.0.50/24', sizes: []}, {})
    assert.deepEqual(input, {iqn: 'iqn.2019-08.com.linbit:example', service_ips: ['10.0.0.50/24'], volumes: [], username: '', password: '',
      allowed_initiators: [], implementation: '', gross_size: false, portblock: true})
  })
  test('what the service refuses is found by its validation', () => {
    const problem = (iqn: string, ips: string, f = {}): string | undefined =>
      iscsiKind.validate(iscsiKind.defaults(iscsiCreateInput({iqn, serviceIps: ips, sizes: ['1G']}, f) as never))
    assert.match(problem('iqn.bad', '10.0.0.1/24') ?? '', /'iqn\.bad' is not a valid IQN/)
    assert.match(problem('iqn.2019-08.com.linbit:x1', '10.0.0.1') ?? '', /failed to parse service ip: invalid CIDR address: 10\.0\.0\.1/)
    assert.match(problem('iqn.2019-08.com.linbit:x1', '10.0.0.1/24', {username: 'u', password: 'short'}) ?? '', /CHAP password must be 12 to 16/)
  })
})

describe('NFS create', () => {
  test('one path for several volumes becomes <path>/volN; matching counts stay; others are refused', () => {
    assert.deepEqual(nfsExportPaths([], 1), ['/'])
    assert.deepEqual(nfsExportPaths([], 2), ['/vol1', '/vol2'])
    assert.deepEqual(nfsExportPaths(['/data'], 3), ['/data/vol1', '/data/vol2', '/data/vol3'])
    assert.deepEqual(nfsExportPaths(['a', 'b'], 2), ['a', 'b'])
    assert.throws(() => nfsExportPaths(['/a', '/b', '/c'], 2),
      /^Error: specified 2 volumes but 3 export paths\. Need exactly one export path per volume$/)
  })
  test('allowed IPs default to the service IP\'s family', () => {
    assert.deepEqual(defaultAllowedIps('192.168.211.122/24'), ['0.0.0.0/0'])
    assert.deepEqual(defaultAllowedIps('fd00::5/64'), ['::/0'])
    assert.throws(() => defaultAllowedIps('192.168.211.122'), /invalid CIDR address/)
  })
  test('paths, file system, implementation and allowed IPs', () => {
    const input = nfsCreateInput({name: 'share2', serviceIp: '192.168.211.123/24', sizes: ['2G', '1G']},
      {'export-path': ['/exp'], 'allowed-ips': ['10.20.0.0/16,10.30.0.0/16'], 'filesystem': 'xfs', 'implementation': 'ganesha'})
    assert.deepEqual(input, {
      name: 'share2', service_ip: '192.168.211.123/24', allowed_ips: ['10.20.0.0/16', '10.30.0.0/16'],
      volumes: [{number: 1, size_kib: 2097152, export_path: '/exp/vol1', file_system: 'xfs'}, {number: 2, size_kib: 1048576, export_path: '/exp/vol2', file_system: 'xfs'}],
      implementation: 'ganesha', gross_size: false, portblock: true,
    })
    const config = nfsKind.defaults(nfsCreateInput({name: 'nfs1', serviceIp: '192.168.211.122/24', sizes: ['2G']}, {}) as never)
    assert.equal(nfsKind.validate(config), undefined)
    assert.deepEqual([config.allowed_ips, config.implementation, config.volumes[1]?.file_system, config.volumes[1]?.export_path],
      [['0.0.0.0/0'], 'kernel', 'ext4', '/'])
  })
})

test('NVMe-oF create', () => {
  const input = nvmeCreateInput({nqn: 'linbit:nvme:example', serviceIp: '192.168.122.190/24', sizes: ['1G']}, {'resource-timeout': '0'})
  assert.deepEqual(input, {nqn: 'linbit:nvme:example', service_ip: '192.168.122.190/24', volumes: [{number: 1, size_kib: 1048576}],
    gross_size: false, portblock: true, resource_timeout: 0})
  assert.equal(nvmeKind.validate(nvmeKind.defaults(input as never)), undefined)
})

describe('add-volume and volume numbers', () => {
  const volumes = [{number: 0, size_kib: 65536, file_system_root_owner: owner}, {number: 1, size_kib: 1, file_system_root_owner: owner},
    {number: 4, size_kib: 1, file_system_root_owner: owner}]
  test('the next number is one above the highest user volume', () => {
    assert.equal(nextVolumeNumber(volumes), 5)
    assert.equal(nextVolumeNumber(volumes.slice(0, 1)), 1)
    assert.equal(nextVolumeNumber([]), 1)
  })
  test('one value is the size, two are number and size', () => {
    assert.deepEqual(addVolumeRequest('1G', undefined, volumes), {number: 5, size_kib: 1048576, file_system_root_owner: owner})
    assert.deepEqual(addVolumeRequest('2', '1M', volumes), {number: 2, size_kib: 1024, file_system_root_owner: owner})
    assert.throws(() => addVolumeRequest('0', '1M', volumes), /volume 0 is the cluster-private volume/)
    assert.throws(() => addVolumeRequest('x', '1M', volumes), /invalid volume number 'x'/)
    assert.throws(() => addVolumeRequest('3', '1Q', volumes), /invalid volume size '1Q'/)
  })
  test('volume numbers are whole numbers', () => {
    assert.equal(volumeNumber('12'), 12)
    for (const bad of ['-1', '1.5', '', '1e3']) assert.throws(() => volumeNumber(bad), /invalid volume number/)
  })
})

describe('--resource-timeout', () => {
  test('Go durations in milliseconds; 0 means no wait', () => {
    const cases: [string, number][] = [['0', 0], ['30s', 30_000], ['2m', 120_000], ['1h30m', 5_400_000], ['1.5s', 1500], ['500ms', 500]]
    for (const [text, ms] of cases) assert.equal(resourceTimeoutMs(text), ms, text)
  })
  test('malformed and negative durations are refused', () => {
    assert.throws(() => resourceTimeoutMs('5x'), /^Error: invalid --resource-timeout: time: unknown unit "x" in duration "5x"$/)
    assert.throws(() => resourceTimeoutMs('30'), /invalid --resource-timeout: time: missing unit/)
    assert.throws(() => resourceTimeoutMs('-1s'), /invalid --resource-timeout: -1s is negative/)
  })
  test('the config carries nanoseconds, as Go\'s time.Duration', () => {
    assert.equal(resourceTimeoutNs('30s'), 30e9)
    assert.equal(resourceTimeoutNs('0'), 0)
    assert.equal(resourceTimeoutNs(undefined), undefined)
  })
})
