// drbd-reactorctl's JSON status read back. The sample below is written from drbd-reactorctl's
// documented JSON shape (reference/gateway-reactor-drbd.md §2.3), not recorded: no drbd-reactor
// runs on this machine.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {parseReactorStatus, reactorSummary} from '../../gateway/reactor-status.ts'
import {listHeaders, listRows, showLines, type TargetView} from '../../src/cli/gateway-rows.ts'

const SAMPLE = JSON.stringify({
  promoter: [
    {drbd_resource: 'target1', path: '/etc/drbd-reactor.d/linstor-gateway-iscsi-target1.toml', enabled: true, primary_on: 'alpha',
      target: {name: 'drbd-services@target1.target', status: 'active', freezer: 'running'},
      dependencies: [{name: 'drbd-promote@target1.service', status: 'active'}, {name: 'ocf.rs@service_ip0_target1.service', status: 'active'}],
      status: 'active'},
    {drbd_resource: 'share1', path: '/etc/drbd-reactor.d/linstor-gateway-nfs-share1.toml', enabled: true, primary_on: '',
      target: {name: 'drbd-services@share1.target', status: 'inactive'},
      dependencies: [{name: 'ocf.rs@nfsserver_share1.service', status: 'failed'}]},
    {drbd_resource: 'nvme1', path: '/etc/drbd-reactor.d/linstor-gateway-nvmeof-nvme1.toml.disabled', enabled: false},
  ],
  prometheus: [], debugger: [], umh: [], agentx: [],
})

test('per resource: where it is primary, the services target, units that are not active', () => {
  const m = parseReactorStatus(SAMPLE)
  assert.deepEqual([...m.keys()], ['target1', 'share1', 'nvme1'])
  assert.equal(reactorSummary(m.get('target1')), 'active on alpha')
  assert.equal(reactorSummary(m.get('share1')), 'inactive (1 unit not active: ocf.rs@nfsserver_share1.service failed)')
  assert.equal(reactorSummary(m.get('nvme1')), 'disabled')
  assert.equal(reactorSummary(undefined), '')
  assert.equal(parseReactorStatus(`[${SAMPLE}, {"promoter": []}]`).size, 3, 'one object per snippet file is read too')
  assert.throws(() => parseReactorStatus('not json'))
})

test('list and show gain a drbd-reactor column and line only where drbd-reactor answered', () => {
  const view: TargetView = {id: 'iqn.2019-08.com.linbit:target1', serviceIps: ['10.0.0.1/24'], resourceGroup: 'DfltRscGrp',
    volumes: [{number: 1, size_kib: 1024, label: '1'}], details: []}
  const columns = {id: 'IQN', volume: 'LUN'}
  assert.deepEqual(listHeaders(columns), ['IQN', 'Service IP', 'Service state', 'LUN', 'LINSTOR state'])
  assert.deepEqual(listHeaders(columns, true), ['IQN', 'Service IP', 'Service state', 'drbd-reactor', 'LUN', 'LINSTOR state'])
  assert.equal(listRows([view], ['active on alpha'])[0]?.[3], 'active on alpha')
  assert.equal(listRows([view], [''])[0]?.[3], 'no promoter here')
  assert.equal(listRows([view])[0]?.length, 5)
  assert.deepEqual(showLines('IQN', view, 'active on alpha').find(([k]) => k === 'drbd-reactor'), ['drbd-reactor', 'active on alpha'])
  assert.equal(showLines('IQN', view).some(([k]) => k === 'drbd-reactor'), false)
})
