import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {REMOTE_ACCESS_ANYWHERE, REMOTE_ACCESS_LOCAL_ONLY} from '../../drivers/nomad/csi-parameters.ts'
import {
  legacyParameters, provisionedProps, publishContextFor, readPublishContext, readVolumeContext, remoteAccessPolicyText, volumeContextFor,
} from '../../drivers/csi/volume-context.ts'

const NS = 'linstor.csi.linbit.com'

describe('volume context', () => {
  test('written with linstor-csi keys, read back', () => {
    const ctx = volumeContextFor({mountOpts: 'noatime,discard', postMountXfsOpts: 'extsize 2m', allowRemoteVolumeAccess: [...REMOTE_ACCESS_LOCAL_ONLY]})
    assert.deepEqual(ctx, {[`${NS}/uses-volume-context`]: 'true', [`${NS}/mount-options`]: 'noatime,discard',
      [`${NS}/post-mount-xfs-opts`]: 'extsize 2m', [`${NS}/remote-access-policy`]: 'false'})
    assert.deepEqual(readVolumeContext(ctx), {mountOptions: ['noatime', 'discard'], postMountXfsOpts: 'extsize 2m'})
    assert.deepEqual(readVolumeContext({[`${NS}/uses-volume-context`]: 'true'}), {mountOptions: [], postMountXfsOpts: ''})
    assert.equal(readVolumeContext({}), undefined, 'a context without the marker is not one')
  })

  test('remote access policy text', () => {
    assert.equal(remoteAccessPolicyText(REMOTE_ACCESS_ANYWHERE), 'true')
    assert.equal(remoteAccessPolicyText(REMOTE_ACCESS_LOCAL_ONLY), 'false')
    assert.equal(remoteAccessPolicyText([{fromSame: ['zone', 'rack']}, {fromSame: []}]), '- fromSame:\n    - zone\n    - rack\n- {}\n')
  })

  test('legacy parameters from Aux/csi-volume-annotations', () => {
    const props = {'Aux/csi-volume-annotations': JSON.stringify({name: 'pvc-1', parameters: {mountOpts: 'noatime', placementCount: '2', n: 3}})}
    assert.deepEqual(legacyParameters(props), {mountOpts: 'noatime', placementCount: '2'})
    assert.deepEqual(legacyParameters({'Aux/csi-volume-annotations': '{}'}), {})
    assert.equal(legacyParameters({'Aux/csi-volume-annotations': 'not json'}), undefined)
    assert.equal(legacyParameters({}), undefined)
  })
})

describe('publish context', () => {
  test('device and fs type; IO limits only when the volume has some', () => {
    const plain = publishContextFor({devicePath: '/dev/drbd1000', fsType: 'ext4'}, {'Aux/csi-provisioning-completed-by': 'linstor-csi/x'})
    assert.deepEqual(plain, {[`${NS}/uses-publish-context`]: 'true', [`${NS}/device-path`]: '/dev/drbd1000', [`${NS}/fs-type`]: 'ext4'})
    assert.deepEqual(readPublishContext(plain), {devicePath: '/dev/drbd1000', fsType: 'ext4'})
    const limited = publishContextFor({devicePath: '/dev/drbd1001', fsType: ''}, {'Aux/qos.linbit.com/rbps': '1048576'})
    assert.equal(limited['qos.linbit.com/device'], '/dev/drbd1001')
    assert.equal(limited['qos.linbit.com/rbps'], '1048576')
    assert.equal(readPublishContext({[`${NS}/device-path`]: '/dev/x'}), undefined)
  })

  test('provisioned properties', () => {
    assert.deepEqual(provisionedProps('cairn-1.0.0', {rbps: 100, wiops: undefined, riops: 0}), {'Aux/csi-provisioning-completed-by': 'linstor-csi/cairn-1.0.0',
      'Aux/qos.linbit.com/rbps': '100'})
    assert.deepEqual(provisionedProps('v', {}, {name: 'data', namespace: 'default'}), {'Aux/csi-provisioning-completed-by': 'linstor-csi/v',
      'Aux/csi.storage.k8s.io/pvc/name': 'data', 'Aux/csi.storage.k8s.io/pvc/namespace': 'default'})
  })
})
