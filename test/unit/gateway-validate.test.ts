import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import type {IscsiResourceConfig} from '../../gateway/iscsi-target.ts'
import {iscsiDefaults, validateIscsiConfig} from '../../gateway/iscsi-target.ts'
import type {NfsResourceConfig, NfsVolumeConfig} from '../../gateway/nfs-export.ts'
import {nfsDefaults, validateNfsConfig} from '../../gateway/nfs-export.ts'
import type {NvmeOfResourceConfig} from '../../gateway/nvme-target.ts'
import {nvmeDefaults, validateNvmeConfig} from '../../gateway/nvme-target.ts'
import type {VolumeConfig} from '../../gateway/volume-config.ts'

const vol = (number: number, size_kib = 1024): VolumeConfig => ({number, size_kib, file_system_root_owner: {User: '', Group: ''}})
const IQN_FORMAT = 'expected format: iqn.YYYY-MM.DOTTED.DOMAIN.NAME:UNIQUE_RESOURCE_NAME (only lowercase characters, digits, and "-")'

describe('iSCSI defaults', () => {
  test('fill group, CHAP, initiators, implementation, portblock and put volume 0 first', () => {
    const c = iscsiDefaults({iqn: 'iqn.2019-08.com.linbit:x1', service_ips: ['10.0.0.1/24'], volumes: [vol(1)]})
    assert.deepEqual(c, {
      iqn: 'iqn.2019-08.com.linbit:x1', allowed_initiators: [], resource_group: 'DfltRscGrp',
      volumes: [{number: 0, size_kib: 65536, file_system: 'ext4', file_system_root_owner: {User: 'root', Group: 'root'}}, vol(1)],
      username: '', password: '', service_ips: ['10.0.0.1/24'], gross_size: false, implementation: '', portblock: true,
    })
  })
  test('keep what was given', () => {
    const c = iscsiDefaults({resource_group: 'rg', portblock: false, resource_timeout: 5e9, gross_size: true})
    assert.equal(c.resource_group, 'rg')
    assert.equal(c.portblock, false)
    assert.equal(c.resource_timeout, 5e9)
    assert.equal(c.gross_size, true)
  })
})

describe('validateIscsiConfig', () => {
  const good = (): IscsiResourceConfig => iscsiDefaults({iqn: 'iqn.2019-08.com.linbit:example', service_ips: ['192.168.122.181/24'], volumes: [vol(1)]})
  test('accepts a good config, Debian-style IQNs and every implementation', () => {
    assert.equal(validateIscsiConfig(good()), undefined)
    assert.equal(validateIscsiConfig({...good(), iqn: 'iqn.1993-08.org.debian:01:abcd1234'}), undefined)
    assert.equal(validateIscsiConfig({...good(), allowed_initiators: ['iqn.1993-08.org.debian:01:abcd1234', 'iqn.1991-05.com.microsoft:host.example.local']}), undefined)
    for (const implementation of ['', 'lio-t', 'lio', 'scst', 'iet', 'tgt']) assert.equal(validateIscsiConfig({...good(), implementation}), undefined)
    assert.equal(validateIscsiConfig({...good(), username: 'u', password: '123456789012'}), undefined)
  })
  const cases: [string, (c: IscsiResourceConfig) => IscsiResourceConfig, string][] = [
    ['uppercase IQN', (c) => ({...c, iqn: 'iqn.2019-08.com.linbit:Example'}), `'iqn.2019-08.com.linbit:Example' is not a valid IQN. ${IQN_FORMAT}`],
    ['IQN without unique part', (c) => ({...c, iqn: 'iqn.2019-08.com.linbit'}), `'iqn.2019-08.com.linbit' is not a valid IQN. ${IQN_FORMAT}`],
    ['underscore in unique part', (c) => ({...c, iqn: 'iqn.2019-08.com.linbit:my_lun'}), `'iqn.2019-08.com.linbit:my_lun' is not a valid IQN. ${IQN_FORMAT}`],
    ['digit first in unique part', (c) => ({...c, iqn: 'iqn.2019-08.com.linbit:1abc'}), `'iqn.2019-08.com.linbit:1abc' is not a valid IQN. ${IQN_FORMAT}`],
    ['one-character unique part', (c) => ({...c, iqn: 'iqn.2019-08.com.linbit:a'}), `'iqn.2019-08.com.linbit:a' is not a valid IQN. ${IQN_FORMAT}`],
    ['unique part too long for LINSTOR', (c) => ({...c, iqn: `iqn.2019-08.com.linbit:${'a'.repeat(49)}`}),
      `'iqn.2019-08.com.linbit:${'a'.repeat(49)}' is not a valid IQN: the unique part '${'a'.repeat(49)}' must be at most 48 characters long`],
    ['bad initiator', (c) => ({...c, allowed_initiators: ['host1']}), `'host1' is not a valid IQN. ${IQN_FORMAT}`],
    ['service IP without prefix', (c) => ({...c, service_ips: ['10.0.0.1']}), 'failed to parse service ip: invalid CIDR address: 10.0.0.1'],
    ['service IP prefix too long', (c) => ({...c, service_ips: ['10.0.0.1/33']}), 'failed to parse service ip: invalid CIDR address: 10.0.0.1/33'],
    ['missing IQN', (c) => ({...c, iqn: ''}), 'invalid config: iscsi wwn string to short (min. 2)'],
    ['no service IPs', (c) => ({...c, service_ips: []}), 'invalid config: missing service ips'],
    ['a user volume 0', (c) => ({...c, volumes: [...c.volumes, vol(0)]}), 'invalid config: volume numbers must start at 1'],
    ['a negative volume number', (c) => ({...c, volumes: [...c.volumes, vol(-1)]}), 'invalid config: volume numbers must start at 1'],
    ['zero size', (c) => ({...c, volumes: [...c.volumes, vol(2, 0)]}), 'invalid config: volume size must be positive'],
    ['fractional size', (c) => ({...c, volumes: [...c.volumes, vol(2, 1.5)]}), 'invalid config: volume size must be a whole number of KiB'],
    ['fractional number', (c) => ({...c, volumes: [...c.volumes, vol(1.5)]}), 'invalid config: volume numbers must be whole numbers'],
    ['duplicate volume', (c) => ({...c, volumes: [...c.volumes, vol(1)]}), 'invalid config: volume numbers must be unique'],
    ['same service IP twice', (c) => ({...c, service_ips: ['10.0.0.1/24', '10.0.0.1/16']}), 'invalid config: service ip 10.0.0.1 is given twice'],
    ['unknown implementation', (c) => ({...c, implementation: 'lio_t'}),
      'invalid config: unknown iscsi implementation "lio_t" (expected "lio-t", "lio", "scst", "iet", "tgt" or none for the agent\'s default)'],
    ['short CHAP password (the user guide\'s "bar")', (c) => ({...c, username: 'foo', password: 'bar'}),
      'invalid config: CHAP password must be 12 to 16 characters long, got 3'],
    ['CHAP password without user', (c) => ({...c, password: 's3cretpass12'}), 'invalid config: CHAP needs a username when a password is set'],
  ]
  for (const [name, mutate, message] of cases) test(name, () => assert.equal(validateIscsiConfig(mutate(good())), message))
})

describe('NFS defaults', () => {
  test('fill kernel, both catch-alls, ext4 owned by nobody and rooted export paths', () => {
    const c = nfsDefaults({name: 'nfs1', service_ip: '10.0.0.1/24', volumes: [{number: 1, size_kib: 1024, export_path: 'data/../x/'}]})
    assert.equal(c.implementation, 'kernel')
    assert.deepEqual(c.allowed_ips, ['::/0', '0.0.0.0/0'])
    assert.deepEqual(c.volumes, [
      {number: 0, size_kib: 65536, file_system: 'ext4', file_system_root_owner: {User: 'root', Group: 'root'}, export_path: ''},
      {number: 1, size_kib: 1024, file_system: 'ext4', file_system_root_owner: {User: 'nobody', Group: 'nobody'}, export_path: '/x'},
    ])
  })
  test('ganesha gets one catch-all of the service IP family', () => {
    assert.deepEqual(nfsDefaults({name: 'n1', service_ip: '10.0.0.1/24', implementation: 'ganesha'}).allowed_ips, ['0.0.0.0/0'])
    assert.deepEqual(nfsDefaults({name: 'n1', service_ip: 'fd00::1/64', implementation: 'ganesha'}).allowed_ips, ['::/0'])
  })
  test('export paths cannot leave the export directory', () => {
    assert.equal(nfsDefaults({volumes: [{number: 1, size_kib: 1, export_path: '../../etc'}]}).volumes[1]?.export_path, '/etc')
  })
})

describe('validateNfsConfig', () => {
  const user = (c: NfsResourceConfig): NfsVolumeConfig => c.volumes[1] as NfsVolumeConfig
  const good = (): NfsResourceConfig => nfsDefaults({name: 'nfs1', service_ip: '192.168.211.122/24', volumes: [
    {number: 1, size_kib: 1024, export_path: '/a', file_system_root_owner: {User: 'nobody', Group: 'nobody'}},
  ]})
  test('accepts a good config', () => {
    assert.equal(validateNfsConfig(good()), undefined)
    assert.equal(validateNfsConfig({...good(), implementation: 'ganesha'}), undefined)
  })
  const cases: [string, (c: NfsResourceConfig) => NfsResourceConfig, string][] = [
    ['service IP not a CIDR', (c) => ({...c, service_ip: '192.168.211.122'}), 'failed to parse service ip: invalid CIDR address: 192.168.211.122'],
    ['allowed IP not a CIDR', (c) => ({...c, allowed_ips: ['10.0.0.0']}), 'failed to parse service ip: invalid CIDR address: 10.0.0.0'],
    ['short name', (c) => ({...c, name: 'n'}), 'invalid config: nfs resource name to short (min. 2)'],
    ['missing service IP', (c) => ({...c, service_ip: ''}), 'invalid config: missing service ip'],
    ['unknown implementation', (c) => ({...c, implementation: 'x'}), 'invalid config: unknown nfs implementation "x" (expected "kernel" or "ganesha")'],
    ['negative volume', (c) => ({...c, volumes: [...c.volumes, {...user(c), number: -1, export_path: '/b'}]}), 'invalid config: volume numbers must start at 1'],
    ['zero size', (c) => ({...c, volumes: [...c.volumes, {...user(c), number: 2, size_kib: 0, export_path: '/b'}]}), 'invalid config: volume size must be positive'],
    ['duplicate volume', (c) => ({...c, volumes: [...c.volumes, {...user(c), export_path: '/b'}]}), 'invalid config: volume numbers must be unique'],
    ['duplicate export path', (c) => ({...c, volumes: [...c.volumes, {...user(c), number: 2}]}), 'invalid config: nfs export paths must be unique'],
    ['underscore in the name', (c) => ({...c, name: 'nfs_1'}), "invalid config: nfs resource name 'nfs_1' must not contain '_' (only letters, digits and \"-\")"],
    ['name with a digit first', (c) => ({...c, name: '1nfs'}), "invalid config: nfs resource name '1nfs' must start with a letter"],
    ['no volume to export', (c) => ({...c, volumes: c.volumes.slice(0, 1)}), 'invalid config: an nfs export needs at least one volume'],
    ['export path with a semicolon', (c) => ({...c, volumes: [c.volumes[0] as NfsVolumeConfig, {...user(c), export_path: '/a;b'}]}),
      'invalid config: nfs export path "/a;b" may only contain letters, digits and ._/+@%=:-'],
    ['unknown file system', (c) => ({...c, volumes: [c.volumes[0] as NfsVolumeConfig, {...user(c), file_system: 'btrfs'}]}),
      'invalid config: unknown file system "btrfs" for volume 1 (expected "ext4" or "xfs")'],
    ['no allowed IPs', (c) => ({...c, allowed_ips: []}), 'invalid config: allowed ips must not be empty'],
  ]
  for (const [name, mutate, message] of cases) test(name, () => assert.equal(validateNfsConfig(mutate(good())), message))
})

describe('validateNvmeConfig', () => {
  const good = (): NvmeOfResourceConfig => nvmeDefaults({nqn: 'linbit:nvme:example', service_ip: '192.168.122.190/24', volumes: [vol(1)]})
  test('accepts the 3-part and the spec form', () => {
    assert.equal(validateNvmeConfig(good()), undefined)
    assert.equal(validateNvmeConfig({...good(), nqn: 'nqn.2024-01.com.example:storage:vol0'}), undefined)
    assert.equal(validateNvmeConfig({...good(), service_ip: 'fd00::10/64'}), undefined)
  })
  const malformed = (s: string): string => `NQN '${s}' malformed, expected <vendor>:nvme:<subsystem>`
  const cases: [string, (c: NvmeOfResourceConfig) => NvmeOfResourceConfig, string][] = [
    ['two parts', (c) => ({...c, nqn: 'linbit:example'}), malformed('linbit:example')],
    ['middle part not nvme', (c) => ({...c, nqn: 'linbit:nvmf:example'}), malformed('linbit:nvmf:example')],
    ['bad spec form', (c) => ({...c, nqn: 'nqn.2014-08.org:x1'}), `${malformed('nqn.2014-08.org:x1')} or nqn.YYYY-MM.<domain>:<subsystem>`],
    ['subsystem with a digit first', (c) => ({...c, nqn: 'nqn.2014-08.org.nvmexpress:uuid:1b4e28ba'}),
      "NQN 'nqn.2014-08.org.nvmexpress:uuid:1b4e28ba' malformed: the subsystem '1b4e28ba' must start with a letter"],
    ['subsystem with an underscore', (c) => ({...c, nqn: 'linbit:nvme:my_vol'}), "NQN 'linbit:nvme:my_vol' malformed: the subsystem 'my_vol' must not contain '_' (only letters, digits and \"-\")"],
    ['service IP not a CIDR', (c) => ({...c, service_ip: 'fd00::1'}), 'failed to parse service ip: invalid CIDR address: fd00::1'],
    ['missing NQN', (c) => ({...c, nqn: ''}), 'invalid config: nvme subsystem string to short (min. 2)'],
    ['missing service IP', (c) => ({...c, service_ip: ''}), 'invalid config: missing service ip'],
    ['user volume 0', (c) => ({...c, volumes: [...c.volumes, vol(0)]}), 'invalid config: volume numbers must start at 1'],
    ['zero size', (c) => ({...c, volumes: [...c.volumes, vol(2, 0)]}), 'invalid config: volume size must be positive'],
    ['duplicate volume', (c) => ({...c, volumes: [...c.volumes, vol(1)]}), 'invalid config: volume numbers must be unique'],
  ]
  for (const [name, mutate, message] of cases) test(name, () => assert.equal(validateNvmeConfig(mutate(good())), message))
})
