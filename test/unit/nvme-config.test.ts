// The controller's side of the NVMe layer: which layer stacks with NVME it takes (LINSTOR's
// child-layer rules), what the target and the initiators of a definition are told (subsystem
// volumes, transport, port, the target's address), and how their volumes show in the REST views.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {Rc} from '../../src/common/api-call-rc.ts'
import type {NodeRuntime} from '../../src/controller/link/satellite-link.ts'
import {desiredStateFor} from '../../src/controller/model/desired-state.ts'
import type {NetIfRec} from '../../src/controller/model/node.ts'
import {createRscDfn, createVlmDfn} from '../../src/controller/model/resource-definition.ts'
import {createResources, markRscDeleted} from '../../src/controller/model/resource.ts'
import {readLayerStack} from '../../src/controller/model/select-filter.ts'
import {emptyState, type ClusterState} from '../../src/controller/model/state.ts'
import {resourceWithVolumesView} from '../../src/controller/views/resource-view.ts'
import {PROTOCOL_VERSION, type SatelliteReport} from '../../src/protocol/messages.ts'
import {apply, counterIds, failsWith} from '../support/model.ts'

describe('layer stacks with NVME', () => {
  test('NVME on STORAGE or on LUKS is taken; each layer must sit on one LINSTOR allows below it', () => {
    assert.deepEqual(readLayerStack(['NVME', 'STORAGE']), ['NVME', 'STORAGE'])
    assert.deepEqual(readLayerStack(['NVME', 'LUKS', 'STORAGE']), ['NVME', 'LUKS', 'STORAGE'])
    failsWith(() => readLayerStack(['LUKS', 'NVME', 'STORAGE']), Rc.FAIL_INVLD_LAYER_STACK, /NVME cannot be below LUKS/)
    failsWith(() => readLayerStack(['NVME', 'DRBD', 'STORAGE']), Rc.FAIL_INVLD_LAYER_STACK, /DRBD cannot be below NVME/)
    assert.deepEqual(readLayerStack(['DRBD', 'LUKS', 'STORAGE']), ['DRBD', 'LUKS', 'STORAGE'])
  })

  test('DRBD over NVMe, which LINSTOR allows, is refused with the reason: Cairn does not run it yet', () => {
    failsWith(() => readLayerStack(['DRBD', 'NVME', 'STORAGE']), Rc.FAIL_INVLD_LAYER_STACK, /does not run DRBD on top of NVMe-oF yet/)
  })
})

/**
 * alpha (10.0.0.1, and 10.99.0.1 on interface "data") holds the data of `nvmedata` (two volumes);
 * beta (10.0.0.2) is its NVMe initiator.
 */
function nvmeCluster(rdProps: Record<string, string> = {}): ClusterState {
  const state = emptyState()
  const ids = counterIds()
  const netIf = (name: string, address: string): NetIfRec => ({name, address, port: 3366, encryption: 'PLAIN', uuid: `if-${address}`})
  apply(state, [
    {t: 'nodes', k: 'ALPHA', v: {name: 'alpha', type: 'SATELLITE', props: {}, flags: [], netIfs: [netIf('default', '10.0.0.1'), netIf('data', '10.99.0.1')], uuid: 'a'}},
    {t: 'nodes', k: 'BETA', v: {name: 'beta', type: 'SATELLITE', props: {}, flags: [], netIfs: [netIf('default', '10.0.0.2')], uuid: 'b'}},
    {t: 'storPools', k: 'ALPHA/DFLTSTORPOOL', v: {node: 'alpha', name: 'DfltStorPool', kind: 'LVM', props: {}, uuid: 'p'}},
    {t: 'storPools', k: 'BETA/DFLTDISKLESSSTORPOOL', v: {node: 'beta', name: 'DfltDisklessStorPool', kind: 'DISKLESS', props: {}, uuid: 'q'}},
    {t: 'rscGrps', k: 'DFLTRSCGRP', v: {name: 'DfltRscGrp', props: {}, selectFilter: {}, uuid: 'g'}},
  ])
  const rd = createRscDfn(state, {resource_definition: {name: 'nvmedata', props: rdProps, layer_data: [{type: 'NVME'}, {type: 'STORAGE'}]}}, ids)
  apply(state, rd.changes)
  for (const size of [1024, 2048]) apply(state, createVlmDfn(state, state.rscDfns.NVMEDATA as never, {volume_definition: {size_kib: size}}, ids).changes)
  apply(state, createResources(state, state.rscDfns.NVMEDATA as never, [{node: 'alpha', diskless: false}, {node: 'beta', diskless: true}], ids).changes)
  return state
}

describe('desired state: the NVMe target and its initiators', () => {
  test('the diskful resource is the target, with its volumes; the initiator gets the target\'s address and no volumes of its own', () => {
    const state = nvmeCluster({'NVMe/TRType': 'TCP'})
    assert.deepEqual(state.rscs['NVMEDATA/BETA']?.flags, ['DISKLESS', 'NVME_INITIATOR'])
    const alpha = desiredStateFor(state, 'alpha')
    assert.deepEqual(alpha.volumes.map((v) => [v.vlmNr, v.sizeKib, v.present]), [[0, 1024, true], [1, 2048, true]])
    assert.deepEqual(alpha.nvme, [{rsc: 'nvmedata', role: 'target', present: true, transport: 'tcp', trsvcid: '4420', address: '10.0.0.1', volumes: [0, 1]}])
    const beta = desiredStateFor(state, 'beta')
    assert.deepEqual(beta.volumes, [])
    assert.deepEqual(beta.nvme, [{rsc: 'nvmedata', role: 'initiator', present: true, transport: 'tcp', trsvcid: '4420', address: '10.0.0.1', volumes: [0, 1]}])
  })

  test('LINSTOR\'s defaults (RDMA, 4420) unless NVMe/TRType and NVMe/Port say otherwise; NVMe/PrefNic picks the target\'s interface', () => {
    const state = nvmeCluster()
    assert.deepEqual(desiredStateFor(state, 'beta').nvme?.map((n) => [n.transport, n.trsvcid, n.address]), [['rdma', '4420', '10.0.0.1']])
    apply(state, [{t: 'rscGrps', k: 'DFLTRSCGRP', v: {name: 'DfltRscGrp', props: {'NVMe/Port': '4421', 'NVMe/TRType': 'tcp'}, selectFilter: {}, uuid: 'g'}},
      {t: 'nodes', k: 'ALPHA', v: {...state.nodes.ALPHA, props: {'NVMe/PrefNic': 'data'}}}] as never)
    for (const node of ['alpha', 'beta']) {
      assert.deepEqual(desiredStateFor(state, node).nvme?.map((n) => [n.role, n.transport, n.trsvcid, n.address]),
        [[node === 'alpha' ? 'target' : 'initiator', 'tcp', '4421', '10.99.0.1']])
    }
  })

  test('a target being deleted is no longer wanted, and its initiator has nothing to connect to', () => {
    const state = nvmeCluster()
    apply(state, markRscDeleted(state, 'nvmedata', 'alpha') ?? [])
    assert.equal(desiredStateFor(state, 'alpha').nvme?.[0]?.present, false)
    const beta = desiredStateFor(state, 'beta').nvme?.[0]
    assert.equal(beta?.present, true)
    assert.equal(beta?.address, undefined)
  })

  test('nodes without NVMe resources get no nvme list', () => {
    const state = nvmeCluster()
    apply(state, [{t: 'rscs', k: 'NVMEDATA/BETA'}] as never)
    assert.equal('nvme' in desiredStateFor(state, 'beta'), false)
  })
})

describe('REST views of NVMe volumes', () => {
  const runtime = (report: Partial<SatelliteReport>): NodeRuntime => ({status: 'ONLINE', report: {
    protocol: PROTOCOL_VERSION, version: 't', instance: 'i', generation: 1, uname: 'n', providers: {supported: [], unsupported: {}},
    layers: {supported: [], unsupported: {}}, pools: {}, volumes: [], snapshots: [], drbd: [], errors: [], ...report}})

  test('the initiator\'s volumes are the connected namespaces; the target\'s, the devices it exports', () => {
    const state = nvmeCluster()
    const beta = resourceWithVolumesView(state, state.rscs['NVMEDATA/BETA'] as never, runtime({nvme: [{rsc: 'nvmedata', role: 'initiator', state: 'Created',
      volumes: [{vlmNr: 0, devicePath: '/dev/nvme0n1'}, {vlmNr: 1, devicePath: '/dev/nvme0n2'}]}]}))
    assert.deepEqual(beta.volumes?.map((v) => [v.device_path, v.state?.disk_state, v.layer_data_list?.map((l) => l.type).join(',')]),
      [['/dev/nvme0n1', 'Created', 'NVME,STORAGE'], ['/dev/nvme0n2', 'Created', 'NVME,STORAGE']])
    assert.equal(beta.layer_object?.type, 'NVME')
    assert.deepEqual(beta.layer_object?.nvme?.nvme_volumes?.map((v) => v.device_path), ['/dev/nvme0n1', '/dev/nvme0n2'])
    assert.deepEqual(beta.layer_object?.children?.map((c) => c.type), ['STORAGE'])

    const alpha = resourceWithVolumesView(state, state.rscs['NVMEDATA/ALPHA'] as never, runtime({
      volumes: [0, 1].map((vlmNr) => ({rsc: 'nvmedata', vlmNr, pool: 'DfltStorPool', state: 'Created' as const, devicePath: `/dev/vg/nvmedata_0000${vlmNr}`, allocatedKib: 4096})),
      nvme: [{rsc: 'nvmedata', role: 'target', state: 'Created', volumes: [0, 1].map((vlmNr) => ({vlmNr, devicePath: `/dev/vg/nvmedata_0000${vlmNr}`,
        backingDevice: `/dev/vg/nvmedata_0000${vlmNr}`}))}]}))
    assert.deepEqual(alpha.volumes?.map((v) => v.device_path), ['/dev/vg/nvmedata_00000', '/dev/vg/nvmedata_00001'])
    assert.deepEqual(alpha.layer_object?.nvme?.nvme_volumes?.[0], {volume_number: 0, device_path: '/dev/vg/nvmedata_00000',
      backing_device: '/dev/vg/nvmedata_00000', allocated_size_kib: 4096, usable_size_kib: undefined, disk_state: 'Created'})
  })

  test('a failed NVMe layer fails the volume and carries its error', () => {
    const state = nvmeCluster()
    const beta = resourceWithVolumesView(state, state.rscs['NVMEDATA/BETA'] as never, runtime({nvme: [{rsc: 'nvmedata', role: 'initiator', state: 'Failed',
      error: "NVMe-oF initiator LS-NVMe_nvmedata cannot run on this node: 'nvme' not found", volumes: [{vlmNr: 0}, {vlmNr: 1}]}]}))
    assert.equal(beta.volumes?.[0]?.state?.disk_state, 'Failed')
    assert.match(beta.volumes?.[0]?.reports?.[0]?.message ?? '', /'nvme' not found/)
  })
})
