import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {nodeExpansionRequired} from '../../drivers/csi/controller-service.ts'
import {AccessMode} from '../../drivers/csi/csi-schema.ts'
import {createConflict, csiVolumeOf, volumeCondition} from '../../drivers/csi/csi-volume.ts'

const MiB = 1024 * 1024

describe('CSI volumes in LINSTOR', () => {
  const rd = {name: 'pvc-1', resource_group_name: 'sc', props: {'Aux/csi-provisioning-completed-by': 'linstor-csi/v1.2.3', 'DrbdOptions/x': 'y'}}

  test('csiVolumeOf reads size, group, fs type and Aux props', () => {
    const vds = [{volume_number: 0, size_kib: 32 * 1024, props: {'FileSystem/Type': 'xfs'}}]
    assert.deepEqual(csiVolumeOf({resource: 'pvc-1', volumeNumber: 0}, rd, vds), {
      id: {resource: 'pvc-1', volumeNumber: 0}, sizeBytes: 32 * MiB, resourceGroup: 'sc', fsType: 'xfs',
      auxProps: {'Aux/csi-provisioning-completed-by': 'linstor-csi/v1.2.3'}, provisioned: true,
    })
  })

  test('fs type falls back to the RD; cloning or missing volumes do not exist', () => {
    const legacy = {...rd, props: {'FileSystem/Type': 'ext4'}}
    const v = csiVolumeOf({resource: 'pvc-1', volumeNumber: 0}, legacy, [{volume_number: 0, size_kib: 1024}])
    assert.equal(v?.fsType, 'ext4')
    assert.equal(v?.provisioned, false)
    assert.equal(csiVolumeOf({resource: 'pvc-1', volumeNumber: 0}, {...rd, flags: ['CLONING']}, [{volume_number: 0, size_kib: 1}]), undefined)
    assert.equal(csiVolumeOf({resource: 'pvc-1', volumeNumber: 1}, rd, [{volume_number: 0, size_kib: 1}]), undefined)
  })

  test('createConflict: compatible when inside the capacity range, same group and fs', () => {
    const existing = {id: {resource: 'pvc-1', volumeNumber: 0}, sizeBytes: 64 * MiB, resourceGroup: 'sc', fsType: 'ext4', auxProps: {}, provisioned: true}
    const cases: [Parameters<typeof createConflict>[1], RegExp | undefined][] = [
      [{requiredBytes: 64 * MiB, limitBytes: 0, resourceGroup: 'sc', fsType: 'ext4'}, undefined],
      [{requiredBytes: 10 * MiB, limitBytes: 64 * MiB, resourceGroup: 'sc', fsType: 'ext4'}, undefined],
      [{requiredBytes: 10 * MiB, limitBytes: 0, resourceGroup: 'sc', fsType: ''}, undefined],
      [{requiredBytes: 65 * MiB, limitBytes: 0, resourceGroup: 'sc', fsType: 'ext4'}, /size differs/],
      [{requiredBytes: MiB, limitBytes: 32 * MiB, resourceGroup: 'sc', fsType: 'ext4'}, /size differs/],
      [{requiredBytes: MiB, limitBytes: 0, resourceGroup: 'other', fsType: 'ext4'}, /resource group differs/],
      [{requiredBytes: MiB, limitBytes: 0, resourceGroup: 'sc', fsType: 'xfs'}, /fs type differs/],
    ]
    for (const [wanted, want] of cases) {
      const got = createConflict(existing, wanted)
      if (want) assert.match(got ?? '', want, JSON.stringify(wanted))
      else assert.equal(got, undefined, JSON.stringify(wanted))
    }
  })

  test('volumeCondition', () => {
    assert.deepEqual(volumeCondition([{node_name: 'n1', state: {in_use: false}, layer_object: {type: 'STORAGE'}}]), {abnormal: false, message: 'Volume healthy'})
    assert.deepEqual(volumeCondition([
      {node_name: 'n1', state: {}},
      {node_name: 'n2'},
      {node_name: 'n3', state: {}, layer_object: {type: 'DRBD', drbd: {promotion_score: 0}}},
      {node_name: 'n4', state: {}, layer_object: {type: 'DRBD', drbd: {promotion_score: 10100}}},
    ]), {abnormal: true, message: 'Resource with issues on node(s): n2,n3'})
  })

  test('nodeExpansionRequired: filesystems on one node', () => {
    const fs = {fsType: 'ext4'}
    assert.equal(nodeExpansionRequired({mount: {fsType: 'ext4', mountFlags: [], volumeMountGroup: ''}, accessMode: {mode: AccessMode.SINGLE_NODE_WRITER}}, fs), true)
    assert.equal(nodeExpansionRequired({block: {}, accessMode: {mode: AccessMode.SINGLE_NODE_WRITER}}, fs), false)
    assert.equal(nodeExpansionRequired({mount: {fsType: '', mountFlags: [], volumeMountGroup: ''}, accessMode: {mode: AccessMode.MULTI_NODE_MULTI_WRITER}}, fs), false)
    assert.equal(nodeExpansionRequired(undefined, fs), true)
    assert.equal(nodeExpansionRequired(undefined, {fsType: ''}), false)
  })
})
