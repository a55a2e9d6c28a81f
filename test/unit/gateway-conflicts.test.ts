import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {gatewayPromoter} from '../../gateway/gateway-file.ts'
import {iscsiDefaults, iscsiPromoter} from '../../gateway/iscsi-target.ts'
import {kernelNfsConflict, nfsDefaults, nfsPromoter} from '../../gateway/nfs-export.ts'
import {freeNvmetPortId, nvmeDefaults, nvmePromoter, nvmetPortIdOf} from '../../gateway/nvme-target.ts'
import {heartbeat} from '../../gateway/ocf-agent.ts'
import {configServiceIps, serviceIpConflicts} from '../../gateway/service-ip-conflicts.ts'

const facts = {resourceUuid: '6c3e1f0a-8d2b-4f5e-9a7c-1b2d3e4f5a6b', volumes: [0, 1].map((number) => ({number, uuid: `0f1e2d3c-4b5a-4968-8776-00000000000${number}`}))}
const vol = {number: 1, size_kib: 1024, file_system_root_owner: {User: '', Group: ''}}
const iscsi = iscsiDefaults({iqn: 'iqn.2019-08.com.linbit:lun1', service_ips: ['10.0.0.1/24', 'fd00::1/64'], volumes: [vol]})
const nfs = nfsDefaults({name: 'share1', service_ip: '10.0.0.2/24', volumes: [{...vol, export_path: '/'}]})
const nvme = nvmeDefaults({nqn: 'linbit:nvme:vol0', service_ip: '10.0.0.3/24', volumes: [vol]})
const existing = [iscsiPromoter(iscsi, facts), nfsPromoter(nfs, facts), nvmePromoter(nvme, {...facts, portId: 1})]

describe('service IP conflicts', () => {
  test('the names and IPs of every kind', () => {
    assert.deepEqual(configServiceIps(iscsi), {resource: 'lun1', ips: ['10.0.0.1/24', 'fd00::1/64']})
    assert.deepEqual(configServiceIps(nfs), {resource: 'share1', ips: ['10.0.0.2/24']})
    assert.deepEqual(configServiceIps(nvme), {resource: 'vol0', ips: ['10.0.0.3/24']})
  })
  test('a free IP has no conflict', () => {
    assert.deepEqual(serviceIpConflicts(existing, nvmeDefaults({nqn: 'linbit:nvme:vol9', service_ip: '10.0.0.9/24'})), [])
  })
  test('a used IP is reported with the config that uses it, whatever the prefix', () => {
    assert.deepEqual(serviceIpConflicts(existing, nvmeDefaults({nqn: 'linbit:nvme:vol9', service_ip: '10.0.0.2/16'})),
      ['IP address 10.0.0.2 already in use by config share1'])
    assert.deepEqual(serviceIpConflicts(existing, iscsiDefaults({iqn: 'iqn.2019-08.com.linbit:lun9', service_ips: ['10.0.0.3/24', 'FD00:0::1/64']})),
      ['IP address fd00::1 already in use by config lun1', 'IP address 10.0.0.3 already in use by config vol0'])
  })
  test('the target of the same name is not a conflict (re-creating is compared instead)', () => {
    assert.deepEqual(serviceIpConflicts(existing, nvme), [])
  })
  test('a malformed IP in an existing file is reported', () => {
    const broken = gatewayPromoter('bad', 'Requires', [heartbeat('IPaddr2', 'service_ip', {ip: '10.0.0', cidr_netmask: '24'})])
    assert.deepEqual(serviceIpConflicts([broken], nvme), ['malformed IP address 10.0.0 in agent service_ip of config bad'])
  })
})

describe('one kernel NFS export per cluster', () => {
  const path = '/etc/drbd-reactor.d/linstor-gateway-nfs-share1.toml'
  test('a second kernel export is refused', () => {
    assert.equal(kernelNfsConflict([{path, promoter: existing[1]!}], nfsDefaults({name: 'share2', service_ip: '10.0.0.5/24'})),
      `a kernel NFS config already exists in ${path}. Only one kernel NFS resource is allowed; use --implementation=ganesha to create multiple NFS resources`)
  })
  test('ganesha exports, the same name and other kinds are fine', () => {
    assert.equal(kernelNfsConflict([{path, promoter: existing[1]!}], nfsDefaults({name: 'share2', service_ip: '10.0.0.5/24', implementation: 'ganesha'})), undefined)
    assert.equal(kernelNfsConflict([{path, promoter: existing[1]!}], nfs), undefined)
    assert.equal(kernelNfsConflict([{path, promoter: existing[0]!}, {path, promoter: existing[2]!}], nfsDefaults({name: 'share2'})), undefined)
  })
})

describe('nvmet port ids', () => {
  test('the port id of a config; upstream files without one use 0', () => {
    assert.equal(nvmetPortIdOf(existing[2]!), 1)
    const upstream = gatewayPromoter('old', 'Requires', [heartbeat('nvmet-port', 'port', {addr: '10.0.0.7', nqns: 'a:nvme:old', type: 'tcp'})])
    assert.equal(nvmetPortIdOf(upstream), 0)
  })
  test('the lowest free id from 1 up', () => {
    assert.equal(freeNvmetPortId([]), 1)
    assert.equal(freeNvmetPortId([existing[2]!]), 2)
    const at = (portId: number) => nvmePromoter(nvme, {...facts, portId})
    assert.equal(freeNvmetPortId([at(1), at(2), at(4)]), 3)
  })
})
