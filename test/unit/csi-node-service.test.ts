// The node service's decisions against an in-memory mounter: format only blank devices, grow an
// ext filesystem before mounting it, treat "already mounted as asked" as success and anything
// else at the same path as a conflict.
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {createLogger} from '../../src/common/log.ts'
import type {Volume} from '../../src/api/wire.ts'
import type {CallContext, GrpcError} from '../../drivers/csi/grpc-server.ts'
import {GrpcStatus} from '../../drivers/csi/grpc-server.ts'
import type {LinstorRest} from '../../drivers/csi/linstor-rest.ts'
import type {MountEntry} from '../../drivers/csi/mount-commands.ts'
import type {Mounter} from '../../drivers/csi/mounter.ts'
import {nodeHandlers} from '../../drivers/csi/node-service.ts'

interface Device {blank: boolean, bytes: number, fsBytes?: number}

function fakeMounter(devices: Record<string, Device>): {mounter: Mounter, calls: string[], mounts: Map<string, MountEntry[]>} {
  const calls: string[] = []
  const mounts = new Map<string, MountEntry[]>()
  const files = new Map<string, 'directory' | 'file'>()
  const add = (target: string, source: string, fstype: string, options: readonly string[]): void =>
    void mounts.set(target, [...(mounts.get(target) ?? []), {target, source, fstype, options: [...options]}])
  const mounter: Mounter = {
    mountsAt: async (p) => mounts.get(p) ?? [],
    mount: async (device, target, fsType, options) => {
      calls.push(`mount ${fsType} ${options.join(',')} ${device} ${target}`)
      add(target, device, fsType, options)
    },
    bind: async (source, target, readonly) => {
      calls.push(`bind ${source} ${target}${readonly ? ' ro' : ''}`)
      const from = mounts.get(source)?.[0]
      add(target, from?.source ?? source, from?.fstype ?? 'devtmpfs', [readonly ? 'ro' : 'rw'])
    },
    unmount: async (target) => {
      calls.push(`umount ${target}`)
      mounts.set(target, (mounts.get(target) ?? []).slice(0, -1))
      if (mounts.get(target)?.length === 0) mounts.delete(target)
    },
    isBlank: async (device) => devices[device]?.blank ?? false,
    format: async (fsType, device, params) => {
      calls.push(`mkfs ${fsType} ${device} '${params}'`)
      const d = devices[device] as Device
      d.blank = false
      d.fsBytes = d.bytes
    },
    fsck: async (device) => void calls.push(`fsck ${device}`),
    fsckForced: async (device) => void calls.push(`fsck -f ${device}`),
    extFilesystemBytes: async (device) => devices[device]?.fsBytes,
    grow: async (fsType, device, path) => {
      calls.push(`grow ${fsType} ${device} ${path}`)
      const d = devices[device]
      if (d) d.fsBytes = d.bytes
    },
    run: async (cmd, args) => void calls.push([cmd, ...args].join(' ')),
    deviceBytes: async (p) => devices[p]?.bytes ?? devices[mounts.get(p)?.[0]?.source ?? '']?.bytes ?? 0,
    statfs: async () => ({bsize: 4096, blocks: 100, bfree: 50, bavail: 40, files: 10, ffree: 5}),
    kind: async (p) => (devices[p] || mounts.get(p)?.[0]?.fstype === 'devtmpfs' ? 'block' : files.get(p)),
    ensureDirectory: async (p) => void files.set(p, 'directory'),
    ensureFile: async (p) => void files.set(p, 'file'),
    remove: async (p) => {
      calls.push(`rm ${p}`)
      files.delete(p)
    },
  }
  return {mounter, calls, mounts}
}

const fakeRest = (volumes: Record<string, Volume> = {}): LinstorRest => ({
  volume: async (_rd: string, node: string) => volumes[node],
  volumeDefinition: async () => ({volume_number: 0, size_kib: 1, props: {'FileSystem/MkfsParams': '-E nodiscard'}}),
  resourceDefinition: async () => ({name: 'pvc-1', props: {'Aux/csi-volume-annotations': JSON.stringify({parameters: {mountOpts: 'noatime'}})}}),
}) as unknown as LinstorRest

const quiet = createLogger({level: 'error', format: 'text', write: () => {}})
const call: CallContext = {method: '', metadata: {}, signal: new AbortController().signal}
const mountCap = {mount: {fsType: 'ext4', mountFlags: ['discard'], volumeMountGroup: ''}, accessMode: {mode: 1}}
const publishContext = {'linstor.csi.linbit.com/uses-publish-context': 'true', 'linstor.csi.linbit.com/device-path': '/dev/loop7',
  'linstor.csi.linbit.com/fs-type': 'ext4'}
const volumeContext = {'linstor.csi.linbit.com/uses-volume-context': 'true', 'linstor.csi.linbit.com/mount-options': 'noatime'}
const MiB = 1024 * 1024

function node(devices: Record<string, Device>, volumes?: Record<string, Volume>) {
  const m = fakeMounter(devices)
  const h = nodeHandlers({rest: fakeRest(volumes), node: 'n1', mounter: m.mounter, log: quiet, propertyNamespace: 'Aux', labelByStoragePool: true})
  const stage = (extra: Record<string, unknown> = {}): Promise<unknown> => h['/csi.v1.Node/NodeStageVolume']?.({volumeId: 'pvc-1', publishContext,
    stagingTargetPath: '/stage', volumeCapability: mountCap, secrets: {}, volumeContext, ...extra}, call) as Promise<unknown>
  const publish = (extra: Record<string, unknown> = {}): Promise<unknown> => h['/csi.v1.Node/NodePublishVolume']?.({volumeId: 'pvc-1', publishContext,
    stagingTargetPath: '/stage', targetPath: '/pod', volumeCapability: mountCap, readonly: false, secrets: {}, volumeContext, ...extra}, call) as Promise<unknown>
  return {...m, h, stage, publish}
}

const rejectsWith = (code: number, pattern?: RegExp) => (e: GrpcError): boolean => e.code === code && (!pattern || pattern.test(e.message))

describe('node service', () => {
  test('a blank device is formatted with the VD\'s mkfs parameters, then mounted; staging again changes nothing', async () => {
    const n = node({'/dev/loop7': {blank: true, bytes: 32 * MiB}})
    await n.stage()
    await n.stage()
    assert.deepEqual(n.calls, ["mkfs ext4 /dev/loop7 '-E nodiscard'", 'mount ext4 _netdev,noatime,discard,rw /dev/loop7 /stage'])
  })

  test('an existing filesystem is checked, grown while unmounted if the device grew, then mounted', async () => {
    const n = node({'/dev/loop7': {blank: false, bytes: 64 * MiB, fsBytes: 32 * MiB}})
    await n.stage()
    assert.deepEqual(n.calls, ['fsck /dev/loop7', 'fsck -f /dev/loop7', 'grow ext4 /dev/loop7 ', 'mount ext4 _netdev,noatime,discard,rw /dev/loop7 /stage'])
    const same = node({'/dev/loop7': {blank: false, bytes: 64 * MiB, fsBytes: 64 * MiB}})
    await same.stage()
    assert.deepEqual(same.calls, ['fsck /dev/loop7', 'mount ext4 _netdev,noatime,discard,rw /dev/loop7 /stage'])
  })

  test('read-only access: no fsck, no growth, ro and norecovery; a blank device cannot be used read-only', async () => {
    const n = node({'/dev/loop7': {blank: false, bytes: 64 * MiB, fsBytes: 32 * MiB}})
    await n.stage({volumeCapability: {...mountCap, accessMode: {mode: 3}}})
    assert.deepEqual(n.calls, ['mount ext4 _netdev,noatime,discard,ro,norecovery /dev/loop7 /stage'])
    const blank = node({'/dev/loop7': {blank: true, bytes: MiB}})
    await assert.rejects(blank.stage({volumeCapability: {...mountCap, accessMode: {mode: 2}}}), rejectsWith(GrpcStatus.FAILED_PRECONDITION, /no filesystem/))
  })

  test('without a volume context the legacy RD annotations give the mount options; without a publish context LINSTOR gives the device', async () => {
    const n = node({'/dev/loop9': {blank: false, bytes: MiB, fsBytes: MiB}}, {n1: {device_path: '/dev/loop9'}})
    await n.stage({publishContext: {}, volumeContext: {}})
    assert.deepEqual(n.calls.at(-1), 'mount ext4 _netdev,noatime,discard,rw /dev/loop9 /stage')
    const detached = node({})
    await assert.rejects(detached.stage({publishContext: {}}), rejectsWith(GrpcStatus.NOT_FOUND, /not attached/))
  })

  test('a staging path holding another device is a conflict; a device that is missing is a precondition', async () => {
    const n = node({'/dev/loop7': {blank: false, bytes: MiB, fsBytes: MiB}})
    n.mounts.set('/stage', [{target: '/stage', source: '/dev/loop3', fstype: 'ext4', options: ['rw']}])
    await assert.rejects(n.stage(), rejectsWith(GrpcStatus.ALREADY_EXISTS, /loop3/))
    const missing = node({})
    await assert.rejects(missing.stage(), rejectsWith(GrpcStatus.FAILED_PRECONDITION, /not a block device/))
  })

  test('publish bind-mounts the staged filesystem; again is fine, with other access a conflict; unstaged is a precondition', async () => {
    const n = node({'/dev/loop7': {blank: false, bytes: MiB, fsBytes: MiB}})
    await assert.rejects(n.publish(), rejectsWith(GrpcStatus.FAILED_PRECONDITION, /not staged/))
    await n.stage()
    await n.publish()
    await n.publish()
    await assert.rejects(n.publish({readonly: true}), rejectsWith(GrpcStatus.ALREADY_EXISTS, /read-write/))
    assert.deepEqual(n.calls.filter((c) => c.startsWith('bind')), ['bind /stage /pod'])
    await n.h['/csi.v1.Node/NodeUnpublishVolume']?.({volumeId: 'pvc-1', targetPath: '/pod'}, call)
    assert.deepEqual(n.calls.slice(-2), ['umount /pod', 'rm /pod'])
    await n.h['/csi.v1.Node/NodeUnstageVolume']?.({volumeId: 'pvc-1', stagingTargetPath: '/stage'}, call)
    assert.equal(n.mounts.size, 0)
  })

  test('block volumes: nothing staged, the device bound read-only when asked', async () => {
    const n = node({'/dev/loop7': {blank: true, bytes: 8 * MiB}})
    const blockCap = {block: {}, accessMode: {mode: 1}}
    await n.stage({volumeCapability: blockCap})
    await n.publish({volumeCapability: blockCap, readonly: true, stagingTargetPath: ''})
    assert.deepEqual(n.calls, ['bind /dev/loop7 /pod ro'])
    const stats = await n.h['/csi.v1.Node/NodeGetVolumeStats']?.({volumeId: 'pvc-1', volumePath: '/pod', stagingTargetPath: ''}, call)
    assert.deepEqual(stats, {usage: [{total: 8 * MiB, unit: 1}]})
    const grown = await n.h['/csi.v1.Node/NodeExpandVolume']?.({volumeId: 'pvc-1', volumePath: '/pod', stagingTargetPath: '', secrets: {},
      volumeCapability: blockCap}, call)
    assert.deepEqual(grown, {capacityBytes: 8 * MiB})
  })

  test('stats and expansion of a mounted filesystem; missing paths are NOT_FOUND', async () => {
    const n = node({'/dev/loop7': {blank: false, bytes: 64 * MiB, fsBytes: 64 * MiB}})
    await n.stage()
    await n.publish()
    const stats = await n.h['/csi.v1.Node/NodeGetVolumeStats']?.({volumeId: 'pvc-1', volumePath: '/pod', stagingTargetPath: ''}, call)
    assert.deepEqual(stats, {usage: [{total: 409600, used: 204800, available: 163840, unit: 1}, {total: 10, used: 5, available: 5, unit: 2}]})
    const grown = await n.h['/csi.v1.Node/NodeExpandVolume']?.({volumeId: 'pvc-1', volumePath: '/pod', stagingTargetPath: '/stage', secrets: {}}, call)
    assert.deepEqual(grown, {capacityBytes: 64 * MiB})
    assert.equal(n.calls.at(-1), 'grow ext4 /dev/loop7 /pod')
    await assert.rejects(n.h['/csi.v1.Node/NodeGetVolumeStats']?.({volumeId: 'pvc-1', volumePath: '/nowhere', stagingTargetPath: ''}, call) as Promise<unknown>,
      rejectsWith(GrpcStatus.NOT_FOUND))
    await assert.rejects(n.h['/csi.v1.Node/NodeExpandVolume']?.({volumeId: 'pvc-1', volumePath: '/nowhere', stagingTargetPath: '', secrets: {}}, call) as Promise<unknown>,
      rejectsWith(GrpcStatus.NOT_FOUND))
  })

  test('missing fields are INVALID_ARGUMENT', async () => {
    const n = node({})
    await assert.rejects(n.stage({volumeId: ''}), rejectsWith(GrpcStatus.INVALID_ARGUMENT, /volume_id/))
    await assert.rejects(n.stage({stagingTargetPath: ''}), rejectsWith(GrpcStatus.INVALID_ARGUMENT, /staging_target_path/))
    await assert.rejects(n.stage({volumeCapability: undefined}), rejectsWith(GrpcStatus.INVALID_ARGUMENT, /volume_capability/))
    await assert.rejects(n.publish({targetPath: ''}), rejectsWith(GrpcStatus.INVALID_ARGUMENT, /target_path/))
  })
})
