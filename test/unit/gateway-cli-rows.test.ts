// What the gateway commands print: list rows (one per user volume, volume 0 hidden, upstream's
// "Started (node)"), the show text, and the credentials the JSON output leaves out.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {iscsiView, keyValueText, listHeaders, listRows, nfsAddress, nfsView, nvmeView, serviceState, showLines, volumeRows,
  withoutCredentials, withoutPassword} from '../../src/cli/gateway-rows.ts'
import {renderTable, type Row} from '../../src/cli/table.ts'
import type {IscsiResourceConfig} from '../../gateway/iscsi-target.ts'
import type {NfsResourceConfig} from '../../gateway/nfs-export.ts'
import type {NvmeOfResourceConfig} from '../../gateway/nvme-target.ts'
import type {ResourceStatus} from '../../gateway/status.ts'

const owner = {User: '', Group: ''}
const started: ResourceStatus = {state: 'Degraded', service: 'Started', primary: 'alpha', nodes: ['alpha', 'bravo'],
  volumes: [{number: 0, state: 'OK'}, {number: 1, state: 'OK'}, {number: 2, state: 'Degraded'}]}

const iscsi: IscsiResourceConfig = {
  iqn: 'iqn.2019-08.com.linbit:example', allowed_initiators: [], resource_group: 'DfltRscGrp', service_ips: ['192.168.122.181/24', '10.0.0.1/8'],
  volumes: [{number: 0, size_kib: 65536, file_system: 'ext4', file_system_root_owner: {User: 'root', Group: 'root'}},
    {number: 1, size_kib: 1048576, file_system_root_owner: owner}, {number: 2, size_kib: 1536 * 1024, file_system_root_owner: owner}],
  username: 'chapuser', password: 's3cretpass12', gross_size: false, implementation: '', status: started,
}

const nfs: NfsResourceConfig = {
  name: 'nfs1', service_ip: '192.168.211.122/24', allowed_ips: ['0.0.0.0/0'], resource_group: 'nfs_group', gross_size: false, implementation: 'kernel',
  volumes: [{number: 0, size_kib: 65536, file_system: 'ext4', file_system_root_owner: owner, export_path: ''},
    {number: 1, size_kib: 2097152, file_system: 'ext4', file_system_root_owner: owner, export_path: '/'},
    {number: 2, size_kib: 1048576, file_system: 'xfs', file_system_root_owner: owner, export_path: '/data'}],
}

const nvme: NvmeOfResourceConfig = {
  nqn: 'linbit:nvme:example', service_ip: 'fd00::5/64', resource_group: 'DfltRscGrp', gross_size: true, portblock: false,
  volumes: [{number: 0, size_kib: 65536, file_system_root_owner: owner}, {number: 1, size_kib: 1048576, file_system_root_owner: owner}],
}

const texts = (rows: Row[]): string[][] => rows.map((r) => r.map((c) => (typeof c === 'string' ? c : c.text)))

describe('list', () => {
  test('iSCSI: one row per LUN, volume 0 hidden, IPs joined, "Started (node)"', () => {
    assert.deepEqual(listHeaders({id: 'IQN', volume: 'LUN'}), ['IQN', 'Service IP', 'Service state', 'LUN', 'LINSTOR state'])
    assert.deepEqual(texts(listRows([iscsiView(iscsi)])), [
      ['iqn.2019-08.com.linbit:example', '192.168.122.181/24, 10.0.0.1/8', 'Started (alpha)', '1', 'OK'],
      ['iqn.2019-08.com.linbit:example', '192.168.122.181/24, 10.0.0.1/8', 'Started (alpha)', '2', 'Degraded'],
    ])
  })
  test('NFS: the export directories; without a status everything is Stopped and Unknown', () => {
    assert.deepEqual(texts(listRows([nfsView(nfs)])), [
      ['nfs1', '192.168.211.122/24', 'Stopped', '/srv/gateway-exports/nfs1', 'Unknown'],
      ['nfs1', '192.168.211.122/24', 'Stopped', '/srv/gateway-exports/nfs1/data', 'Unknown'],
    ])
  })
  test('a target without user volumes still gets a row; several targets follow each other', () => {
    const bare = {...nvme, volumes: nvme.volumes.slice(0, 1), status: {...started, service: 'Stopped' as const, primary: '', state: 'Bad' as const}}
    assert.deepEqual(texts(listRows([nvmeView(bare), nvmeView({...nvme, nqn: 'linbit:nvme:two'})])), [
      ['linbit:nvme:example', 'fd00::5/64', 'Stopped', '', 'Bad'],
      ['linbit:nvme:two', 'fd00::5/64', 'Stopped', '1', 'Unknown'],
    ])
  })
  test('service states: attached without a primary is still Stopped', () => {
    assert.deepEqual(serviceState(started), {text: 'Started (alpha)', colour: 'green'})
    assert.equal(serviceState({...started, service: 'Stopped'}).text, 'Stopped')
    assert.equal(serviceState(undefined).text, 'Stopped')
  })
})

describe('show', () => {
  test('iSCSI: settings, CHAP without the password, volumes with sizes', () => {
    const view = iscsiView(iscsi)
    const text = keyValueText(showLines('IQN', view))
    assert.equal(text, [
      'IQN:                iqn.2019-08.com.linbit:example',
      'Service IP:         192.168.122.181/24, 10.0.0.1/8',
      'Service state:      Started (alpha)',
      'LINSTOR state:      Degraded',
      'Nodes:              alpha, bravo',
      'Resource group:     DfltRscGrp',
      'Allowed initiators: all',
      'CHAP:               user chapuser, password set',
      'Implementation:     the agent\'s default',
      'Portblock:          yes',
      'Gross size:         no',
    ].join('\n'))
    assert.deepEqual(texts(volumeRows(view)), [['1', '1 GiB', 'OK'], ['2', '1.50 GiB', 'Degraded']])
  })
  test('NFS: one mount address per export, lined up', () => {
    const text = keyValueText(showLines('Resource', nfsView(nfs)))
    assert.match(text, /^Exports: {8}192\.168\.211\.122:\/srv\/gateway-exports\/nfs1 \(ext4\)\n {16}192\.168\.211\.122:\/srv\/gateway-exports\/nfs1\/data \(xfs\)$/m)
    assert.match(text, /^Nodes: +-$/m)
    assert.equal(nfsAddress('fd00::5/64'), '[fd00::5]')
  })
  test('NVMe-oF: portblock and gross size as set', () => {
    const text = keyValueText(showLines('NQN', nvmeView(nvme)))
    assert.match(text, /^Portblock: +no$/m)
    assert.match(text, /^Gross size: +yes$/m)
    const table = renderTable(['Namespace', {name: 'Size', right: true}, 'LINSTOR state'], volumeRows(nvmeView(nvme)), {utf8: false, colour: false})
    assert.match(table, /\| 1 +\| 1 GiB \| Unknown +\|/)
  })
})

test('JSON output: list blanks the CHAP credentials (as REST v2), show and the rest only the password', () => {
  assert.deepEqual([withoutCredentials(iscsi).username, withoutCredentials(iscsi).password], ['', ''])
  assert.deepEqual([withoutPassword(iscsi).username, withoutPassword(iscsi).password], ['chapuser', ''])
  assert.equal(iscsi.password, 's3cretpass12', 'the config itself is untouched')
  assert.equal(withoutCredentials(nfs), nfs)
  assert.equal(withoutPassword(nvme), nvme)
})
