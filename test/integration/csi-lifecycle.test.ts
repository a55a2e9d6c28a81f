// The CSI plugin (`cairn csi`) as a CO drives it: a real gRPC client (@grpc/grpc-js, messages
// serialised by protobufjs from the csi.proto field numbers, independent of Cairn's own codec)
// against the plugin process, which talks to a loopback cluster (controller + 3 satellites with
// FILE_THIN pools). Volumes are real: the ext4 filesystem is mounted, written, grown, snapshotted,
// restored and cloned. This host has no DRBD, so the resource group is storage-only and volumes
// are published on a node that holds a replica.
import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import grpc from '@grpc/grpc-js'
import pjson from '../../package.json' with {type: 'json'}
import {api, cleanup, freePort, startDaemon, tempDir, waitFor, type Daemon} from '../support/cluster.ts'
import {startLoopbackCluster, type LoopbackCluster} from '../support/loopback-cluster.ts'
import {csiType} from '../support/csi-proto.ts'

const exec = promisify(execFile)
const MiB = 1024 * 1024
const RG = 'csi-lifecycle'
const PARAMS = {resourceGroup: RG, placementCount: '2', storagePool: 'thin', layerList: 'storage'}
const NODE = 'node1'

// --- csi.proto v1.9, the messages used here (field numbers and types as in the spec) ----------

const type = csiType

type Obj = Record<string, unknown>
interface Reply {error: grpc.ServiceError | null, value: Obj | undefined}

/** One unary call; 64-bit numbers come back as strings, so that they are exact whatever their size. */
function call(client: grpc.Client, method: string, requestType: string, value: Obj, responseType = 'Empty'): Promise<Reply> {
  const req = type(requestType)
  const serialize = (v: Obj): Buffer => {
    const problem = req.verify(v)
    if (problem) throw new Error(`${requestType}: ${problem}`)
    return Buffer.from(req.encode(req.fromObject(v)).finish())
  }
  const deserialize = (b: Buffer): Obj => type(responseType).toObject(type(responseType).decode(b), {longs: String, defaults: true}) as Obj
  return new Promise((resolve) => {
    client.makeUnaryRequest(method, serialize, deserialize, value, new grpc.Metadata(), {deadline: Date.now() + 120_000},
      (error, v) => resolve({error, value: v}))
  })
}

const ok = (r: Reply): Obj => {
  assert.equal(r.error, null, r.error ? `${r.error.code} ${r.error.details}` : '')
  assert.ok(r.value)
  return r.value
}

/** Growing a mounted ext4 takes CAP_SYS_RESOURCE (bit 24), which some containers drop. */
async function canResizeOnline(): Promise<boolean> {
  const eff = /^CapEff:\s+([0-9a-f]+)$/m.exec(await readFile('/proc/self/status', 'utf8'))?.[1] ?? '0'
  return (BigInt(`0x${eff}`) & (1n << 24n)) !== 0n
}

const mountCap = (mode = 1): Obj => ({mount: {fsType: 'ext4', mountFlags: []}, accessMode: {mode}})

async function mountsAt(path: string): Promise<{target: string, source: string, fstype: string, options: string}[]> {
  try {
    const {stdout} = await exec('findmnt', ['--json', '--output', 'TARGET,SOURCE,FSTYPE,OPTIONS', '--mountpoint', path])
    return (JSON.parse(stdout) as {filesystems: {target: string, source: string, fstype: string, options: string}[]}).filesystems
  } catch {
    return []
  }
}

describe('CSI plugin lifecycle against a loopback cluster', {timeout: 600_000}, () => {
  let cluster: LoopbackCluster
  let dir: string
  let plugin: Daemon
  let client: grpc.Client
  const C = (m: string): string => `/csi.v1.Controller/${m}`
  const N = (m: string): string => `/csi.v1.Node/${m}`
  const I = (m: string): string => `/csi.v1.Identity/${m}`
  const paths = {
    staging: '', target: '', restoredStaging: '', restoredTarget: '', cloneStaging: '', cloneTarget: '', blockTarget: '',
  }
  let volumeId = ''
  let snapshotId = ''
  let devicePath = ''
  let publishContext: Record<string, string> = {}
  let firstTotal = 0

  before(async () => {
    cluster = await startLoopbackCluster({tmpPrefix: 'cairn-csi-'})
    dir = await tempDir('cairn-csi-plugin-')
    for (const k of Object.keys(paths) as (keyof typeof paths)[]) paths[k] = join(dir, k)
    const rg = await api(cluster.base, 'POST', '/v1/resource-groups', {name: RG, select_filter: {place_count: 2, storage_pool_list: ['thin'], layer_stack: ['STORAGE']}})
    assert.equal(rg.status, 201, rg.text)
    const sock = join(dir, 'csi.sock')
    plugin = startDaemon(['csi', '--endpoint', `unix://${sock}`, '--node', NODE, '--controllers', cluster.base.replace('http://', ''), '--log-level', 'debug'])
    await waitFor('csi socket', async () => ((await stat(sock).catch(() => undefined))?.isSocket() ? true : undefined), 30_000)
    client = new grpc.Client(`unix://${sock}`, grpc.credentials.createInsecure())
  })

  after(async () => {
    // Whatever a failed test left mounted must not outlive it (the loop devices could not be detached).
    for (const p of [paths.blockTarget, paths.cloneTarget, paths.cloneStaging, paths.restoredTarget, paths.restoredStaging, paths.target, paths.staging]) {
      for (let i = 0; p && i < 4 && (await mountsAt(p)).length > 0; i++) await exec('umount', [p]).catch(() => undefined)
    }
    client?.close()
    await plugin?.stop()
    if (process.env.CSI_TEST_LOG) process.stderr.write(plugin?.output() ?? '')
    await cluster?.stop()
    if (dir) await cleanup(dir)
  })

  test('identity: plugin info, capabilities and a probe that reaches the controller', async () => {
    const info = ok(await call(client, I('GetPluginInfo'), 'Empty', {}, 'GetPluginInfoResponse'))
    assert.equal(info.name, 'linstor.csi.linbit.com')
    assert.equal(info.vendorVersion, pjson.version)
    assert.deepEqual(ok(await call(client, I('Probe'), 'Empty', {}, 'ProbeResponse')).ready, {value: true})
    const caps = ok(await call(client, C('ControllerGetCapabilities'), 'Empty', {}, 'ControllerGetCapabilitiesResponse'))
    const types = (caps.capabilities as {rpc: {type: number}}[]).map((c) => c.rpc.type)
    for (const t of [1, 2, 3, 4, 5, 6, 7, 9]) assert.ok(types.includes(t), `controller capability ${t}`)
    const nodeCaps = ok(await call(client, N('NodeGetCapabilities'), 'Empty', {}, 'NodeGetCapabilitiesResponse'))
    assert.deepEqual((nodeCaps.capabilities as {rpc: {type: number}}[]).map((c) => c.rpc.type).sort(), [1, 2, 3])
  })

  test('NodeGetInfo: the LINSTOR node name and its topology', async () => {
    const info = ok(await call(client, N('NodeGetInfo'), 'Empty', {}, 'NodeGetInfoResponse'))
    assert.equal(info.nodeId, NODE)
    assert.equal(info.maxVolumesPerNode, '1048576')
    const segments = (info.accessibleTopology as {segments: Record<string, string>}).segments
    assert.equal(segments['linbit.com/hostname'], NODE)
    assert.equal(segments['linbit.com/sp-thin'], 'true')
  })

  test('CreateVolume places two replicas, one on the requisite node, and is idempotent', async () => {
    const request = {
      name: 'pvc-csi-one', capacityRange: {requiredBytes: 32 * MiB}, volumeCapabilities: [mountCap()], parameters: PARAMS,
      accessibilityRequirements: {requisite: [{segments: {'linbit.com/hostname': NODE}}], preferred: [{segments: {'linbit.com/hostname': NODE}}]},
    }
    const created = ok(await call(client, C('CreateVolume'), 'CreateVolumeRequest', request, 'CreateVolumeResponse')).volume as Obj
    volumeId = created.volumeId as string
    assert.equal(volumeId, 'pvc-csi-one')
    assert.equal(created.capacityBytes, String(32 * MiB))
    assert.equal((created.volumeContext as Record<string, string>)['linstor.csi.linbit.com/uses-volume-context'], 'true')
    // Storage-only volumes are reachable only where a replica is (linstor-csi's local-only default).
    const topo = (created.accessibleTopology as {segments: Record<string, string>}[]).map((t) => t.segments['linbit.com/hostname']).sort()
    assert.equal(topo.length, 2)
    assert.ok(topo.includes(NODE), JSON.stringify(topo))

    const rd = (await api(cluster.base, 'GET', `/v1/resource-definitions/${volumeId}`)).body as {resource_group_name: string, props: Record<string, string>}
    assert.equal(rd.resource_group_name, RG)
    assert.match(rd.props['Aux/csi-provisioning-completed-by'] ?? '', /^linstor-csi\//)
    const vd = (await api(cluster.base, 'GET', `/v1/resource-definitions/${volumeId}/volume-definitions/0`)).body as {size_kib: number, props: Record<string, string>}
    assert.equal(vd.size_kib, 32 * 1024)
    assert.equal(vd.props['FileSystem/Type'], 'ext4')
    const rscs = (await api(cluster.base, 'GET', `/v1/resource-definitions/${volumeId}/resources`)).body as {node_name: string}[]
    assert.deepEqual(rscs.map((r) => r.node_name).sort(), topo)

    // The same request again answers the same volume; an incompatible size is ALREADY_EXISTS.
    const again = ok(await call(client, C('CreateVolume'), 'CreateVolumeRequest', request, 'CreateVolumeResponse')).volume as Obj
    assert.equal(again.volumeId, volumeId)
    assert.equal(again.capacityBytes, String(32 * MiB))
    const bigger = await call(client, C('CreateVolume'), 'CreateVolumeRequest', {...request, capacityRange: {requiredBytes: 64 * MiB}}, 'CreateVolumeResponse')
    assert.equal(bigger.error?.code, grpc.status.ALREADY_EXISTS, bigger.error?.details)
  })

  test('ValidateVolumeCapabilities, ListVolumes and GetCapacity', async () => {
    const valid = ok(await call(client, C('ValidateVolumeCapabilities'), 'ValidateVolumeCapabilitiesRequest',
      {volumeId, volumeCapabilities: [mountCap()], parameters: PARAMS}, 'ValidateVolumeCapabilitiesResponse'))
    assert.ok(valid.confirmed, JSON.stringify(valid))
    const xfs = ok(await call(client, C('ValidateVolumeCapabilities'), 'ValidateVolumeCapabilitiesRequest',
      {volumeId, volumeCapabilities: [{mount: {fsType: 'xfs'}, accessMode: {mode: 1}}]}, 'ValidateVolumeCapabilitiesResponse'))
    assert.equal(xfs.confirmed, null)
    assert.match(xfs.message as string, /ext4/)

    const list = ok(await call(client, C('ListVolumes'), 'ListVolumesRequest', {}, 'ListVolumesResponse'))
    const entry = (list.entries as {volume: {volumeId: string, capacityBytes: string}, status: {volumeCondition: {abnormal: boolean}}}[])
      .find((e) => e.volume.volumeId === volumeId)
    assert.equal(entry?.volume.capacityBytes, String(32 * MiB))
    assert.equal(entry?.status.volumeCondition.abnormal, false)
    const first = ok(await call(client, C('ListVolumes'), 'ListVolumesRequest', {maxEntries: 1}, 'ListVolumesResponse'))
    assert.equal((first.entries as unknown[]).length, 1)
    if ((list.entries as unknown[]).length > 1) {
      assert.equal(first.nextToken, '1')
      const second = ok(await call(client, C('ListVolumes'), 'ListVolumesRequest', {maxEntries: 1, startingToken: '1'}, 'ListVolumesResponse'))
      assert.deepEqual(second.entries, (list.entries as unknown[]).slice(1, 2))
    }
    const badToken = await call(client, C('ListVolumes'), 'ListVolumesRequest', {startingToken: 'x'}, 'ListVolumesResponse')
    assert.equal(badToken.error?.code, grpc.status.ABORTED)

    const capacity = ok(await call(client, C('GetCapacity'), 'GetCapacityRequest',
      {volumeCapabilities: [mountCap()], parameters: PARAMS, accessibleTopology: {segments: {'linbit.com/hostname': NODE}}}, 'GetCapacityResponse'))
    const pools = (await api(cluster.base, 'GET', `/v1/nodes/${NODE}/storage-pools`)).body as {storage_pool_name: string, free_capacity: number}[]
    const free = Number(pools.find((p) => p.storage_pool_name === 'thin')?.free_capacity) * 1024
    // The free space of node1's pool (the host's disk, which other processes use too: not to the byte).
    const available = Number(capacity.availableCapacity)
    assert.ok(available > 0 && Math.abs(available - free) <= free * 0.05, `${available} vs ${free}`)
    const everywhere = ok(await call(client, C('GetCapacity'), 'GetCapacityRequest', {parameters: PARAMS}, 'GetCapacityResponse'))
    assert.ok(Number(everywhere.availableCapacity) >= available * 0.95, 'no topology: the best of all nodes')
    const noPool = ok(await call(client, C('GetCapacity'), 'GetCapacityRequest', {parameters: {...PARAMS, storagePool: 'nope'}}, 'GetCapacityResponse'))
    assert.equal(noPool.availableCapacity, '0')
  })

  test('publish, stage (a real ext4 mount), publish (bind mount), write, stats', async () => {
    const published = ok(await call(client, C('ControllerPublishVolume'), 'ControllerPublishVolumeRequest',
      {volumeId, nodeId: NODE, volumeCapability: mountCap()}, 'ControllerPublishVolumeResponse'))
    publishContext = published.publishContext as Record<string, string>
    devicePath = publishContext['linstor.csi.linbit.com/device-path'] ?? ''
    assert.match(devicePath, /^\/dev\//)
    assert.equal(publishContext['linstor.csi.linbit.com/fs-type'], 'ext4')

    const stage = {volumeId, publishContext, stagingTargetPath: paths.staging, volumeCapability: mountCap(), volumeContext: {}}
    ok(await call(client, N('NodeStageVolume'), 'NodeStageVolumeRequest', stage))
    const staged = await mountsAt(paths.staging)
    assert.equal(staged.length, 1)
    assert.equal(staged[0]?.fstype, 'ext4')
    assert.equal(staged[0]?.source, devicePath)
    ok(await call(client, N('NodeStageVolume'), 'NodeStageVolumeRequest', stage))
    assert.equal((await mountsAt(paths.staging)).length, 1, 'staging twice mounts once')

    const publish = {volumeId, publishContext, stagingTargetPath: paths.staging, targetPath: paths.target, volumeCapability: mountCap()}
    ok(await call(client, N('NodePublishVolume'), 'NodePublishVolumeRequest', publish))
    ok(await call(client, N('NodePublishVolume'), 'NodePublishVolumeRequest', publish))
    const bound = await mountsAt(paths.target)
    assert.equal(bound.length, 1)
    assert.equal(bound[0]?.source, devicePath)
    assert.match(bound[0]?.options ?? '', /(^|,)rw(,|$)/)
    await writeFile(join(paths.target, 'hello.txt'), 'written through CSI\n')
    await exec('sync')

    const stats = ok(await call(client, N('NodeGetVolumeStats'), 'NodeGetVolumeStatsRequest', {volumeId, volumePath: paths.target}, 'NodeGetVolumeStatsResponse'))
    const [bytes, inodes] = stats.usage as {total: string, used: string, available: string, unit: number}[]
    assert.equal(bytes?.unit, 1)
    assert.equal(inodes?.unit, 2)
    firstTotal = Number(bytes?.total)
    assert.ok(firstTotal > 20 * MiB && firstTotal <= 32 * MiB, String(firstTotal))
    assert.ok(Number(bytes?.used) > 0)
    assert.ok(Number(inodes?.used) > 0 && Number(inodes?.total) > Number(inodes?.used))
  })

  test('expand: the volume definition grows, then the filesystem (online where the kernel lets us, else at the next stage)', async () => {
    const expanded = ok(await call(client, C('ControllerExpandVolume'), 'ControllerExpandVolumeRequest',
      {volumeId, capacityRange: {requiredBytes: 64 * MiB}, volumeCapability: mountCap()}, 'ControllerExpandVolumeResponse'))
    assert.equal(expanded.capacityBytes, String(64 * MiB))
    assert.equal(expanded.nodeExpansionRequired, true)
    const vd = (await api(cluster.base, 'GET', `/v1/resource-definitions/${volumeId}/volume-definitions/0`)).body as {size_kib: number}
    assert.equal(vd.size_kib, 64 * 1024)
    const nodeExpand = {volumeId, volumePath: paths.target, stagingTargetPath: paths.staging, capacityRange: {requiredBytes: 64 * MiB}, volumeCapability: mountCap()}
    if (!await canResizeOnline()) {
      // Online ext4 resize needs CAP_SYS_RESOURCE, which this container lacks: take the offline way
      // a CO takes for a detached volume. Staging grows the filesystem before mounting it.
      ok(await call(client, N('NodeUnpublishVolume'), 'NodeUnpublishVolumeRequest', {volumeId, targetPath: paths.target}))
      ok(await call(client, N('NodeUnstageVolume'), 'NodeUnstageVolumeRequest', {volumeId, stagingTargetPath: paths.staging}))
      ok(await call(client, N('NodeStageVolume'), 'NodeStageVolumeRequest', {volumeId, publishContext, stagingTargetPath: paths.staging, volumeCapability: mountCap()}))
      ok(await call(client, N('NodePublishVolume'), 'NodePublishVolumeRequest',
        {volumeId, publishContext, stagingTargetPath: paths.staging, targetPath: paths.target, volumeCapability: mountCap()}))
    }
    const grown = ok(await call(client, N('NodeExpandVolume'), 'NodeExpandVolumeRequest', nodeExpand, 'NodeExpandVolumeResponse'))
    assert.equal(grown.capacityBytes, String(64 * MiB))
    const stats = ok(await call(client, N('NodeGetVolumeStats'), 'NodeGetVolumeStatsRequest', {volumeId, volumePath: paths.target}, 'NodeGetVolumeStatsResponse'))
    const total = Number((stats.usage as {total: string}[])[0]?.total)
    assert.ok(total > firstTotal + 24 * MiB, `${total} after growing from ${firstTotal}`)
    assert.equal(await readFile(join(paths.target, 'hello.txt'), 'utf8'), 'written through CSI\n')
  })

  test('unpublish and unstage unmount; ControllerUnpublish keeps the replica', async () => {
    ok(await call(client, N('NodeUnpublishVolume'), 'NodeUnpublishVolumeRequest', {volumeId, targetPath: paths.target}))
    assert.equal((await mountsAt(paths.target)).length, 0)
    await assert.rejects(stat(paths.target), {code: 'ENOENT'})
    ok(await call(client, N('NodeUnpublishVolume'), 'NodeUnpublishVolumeRequest', {volumeId, targetPath: paths.target}))
    ok(await call(client, N('NodeUnstageVolume'), 'NodeUnstageVolumeRequest', {volumeId, stagingTargetPath: paths.staging}))
    assert.equal((await mountsAt(paths.staging)).length, 0)
    ok(await call(client, N('NodeUnstageVolume'), 'NodeUnstageVolumeRequest', {volumeId, stagingTargetPath: paths.staging}))
    ok(await call(client, C('ControllerUnpublishVolume'), 'ControllerUnpublishVolumeRequest', {volumeId, nodeId: NODE}))
    const here = await api(cluster.base, 'GET', `/v1/resource-definitions/${volumeId}/resources/${NODE}`)
    assert.equal(here.status, 200, 'a replica holding data is not removed by unpublish')
  })

  test('CreateSnapshot is ready and idempotent; ListSnapshots finds it', async () => {
    const request = {sourceVolumeId: volumeId, name: 'snap-csi-one'}
    const snap = ok(await call(client, C('CreateSnapshot'), 'CreateSnapshotRequest', request, 'CreateSnapshotResponse')).snapshot as Obj
    snapshotId = snap.snapshotId as string
    assert.equal(snapshotId, `InCluster:///${volumeId}/snap-csi-one`)
    assert.equal(snap.sourceVolumeId, volumeId)
    assert.equal(snap.readyToUse, true)
    assert.equal(snap.sizeBytes, String(64 * MiB))
    assert.ok(Number((snap.creationTime as {seconds: string}).seconds) > 1_600_000_000)
    const again = ok(await call(client, C('CreateSnapshot'), 'CreateSnapshotRequest', request, 'CreateSnapshotResponse')).snapshot as Obj
    assert.equal(again.snapshotId, snapshotId)
    const bySource = ok(await call(client, C('ListSnapshots'), 'ListSnapshotsRequest', {sourceVolumeId: volumeId}, 'ListSnapshotsResponse'))
    assert.deepEqual((bySource.entries as {snapshot: {snapshotId: string}}[]).map((e) => e.snapshot.snapshotId), [snapshotId])
    const byId = ok(await call(client, C('ListSnapshots'), 'ListSnapshotsRequest', {snapshotId}, 'ListSnapshotsResponse'))
    assert.equal((byId.entries as unknown[]).length, 1)
  })

  /** Publish, stage and bind-mount a volume on NODE, read the file, then take it all down again. */
  async function readThroughCsi(id: string, staging: string, target: string): Promise<string> {
    const publishContext = ok(await call(client, C('ControllerPublishVolume'), 'ControllerPublishVolumeRequest',
      {volumeId: id, nodeId: NODE, volumeCapability: mountCap()}, 'ControllerPublishVolumeResponse')).publishContext as Record<string, string>
    ok(await call(client, N('NodeStageVolume'), 'NodeStageVolumeRequest', {volumeId: id, publishContext, stagingTargetPath: staging, volumeCapability: mountCap()}))
    // Read-only this time: the bind mount carries it.
    ok(await call(client, N('NodePublishVolume'), 'NodePublishVolumeRequest',
      {volumeId: id, publishContext, stagingTargetPath: staging, targetPath: target, volumeCapability: mountCap(), readonly: true}))
    assert.match((await mountsAt(target))[0]?.options ?? '', /(^|,)ro(,|$)/)
    await assert.rejects(writeFile(join(target, 'nope'), 'x'), {code: 'EROFS'})
    const text = await readFile(join(target, 'hello.txt'), 'utf8')
    ok(await call(client, N('NodeUnpublishVolume'), 'NodeUnpublishVolumeRequest', {volumeId: id, targetPath: target}))
    ok(await call(client, N('NodeUnstageVolume'), 'NodeUnstageVolumeRequest', {volumeId: id, stagingTargetPath: staging}))
    ok(await call(client, C('ControllerUnpublishVolume'), 'ControllerUnpublishVolumeRequest', {volumeId: id, nodeId: NODE}))
    return text
  }

  const onNode1 = {requisite: [{segments: {'linbit.com/hostname': NODE}}], preferred: [{segments: {'linbit.com/hostname': NODE}}]}

  test('CreateVolume from the snapshot holds the file', async () => {
    const restored = ok(await call(client, C('CreateVolume'), 'CreateVolumeRequest', {
      name: 'pvc-csi-restored', capacityRange: {requiredBytes: 64 * MiB}, volumeCapabilities: [mountCap()], parameters: PARAMS,
      volumeContentSource: {snapshot: {snapshotId}}, accessibilityRequirements: onNode1,
    }, 'CreateVolumeResponse')).volume as Obj
    assert.equal(restored.volumeId, 'pvc-csi-restored')
    assert.equal(restored.capacityBytes, String(64 * MiB))
    assert.deepEqual(restored.contentSource, {snapshot: {snapshotId}})
    assert.equal(await readThroughCsi('pvc-csi-restored', paths.restoredStaging, paths.restoredTarget), 'written through CSI\n')
  })

  test('CreateVolume from the volume (clone) holds the file', async () => {
    const cloned = ok(await call(client, C('CreateVolume'), 'CreateVolumeRequest', {
      name: 'pvc-csi-clone', capacityRange: {requiredBytes: 64 * MiB}, volumeCapabilities: [mountCap()], parameters: PARAMS,
      volumeContentSource: {volume: {volumeId}}, accessibilityRequirements: onNode1,
    }, 'CreateVolumeResponse')).volume as Obj
    assert.equal(cloned.volumeId, 'pvc-csi-clone')
    assert.equal(await readThroughCsi('pvc-csi-clone', paths.cloneStaging, paths.cloneTarget), 'written through CSI\n')
  })

  test('block access: the device itself is bind-mounted to a file; a blank device gets a filesystem when staged', async () => {
    const blockCap = {block: {}, accessMode: {mode: 1}}
    const vol = ok(await call(client, C('CreateVolume'), 'CreateVolumeRequest', {
      name: 'pvc-csi-block', capacityRange: {requiredBytes: 8 * MiB}, volumeCapabilities: [blockCap], parameters: PARAMS, accessibilityRequirements: onNode1,
    }, 'CreateVolumeResponse')).volume as Obj
    const vd = (await api(cluster.base, 'GET', '/v1/resource-definitions/pvc-csi-block/volume-definitions/0')).body as {props?: Record<string, string>}
    assert.equal(vd.props?.['FileSystem/Type'], undefined, 'no filesystem for a block volume')
    const publishContext = ok(await call(client, C('ControllerPublishVolume'), 'ControllerPublishVolumeRequest',
      {volumeId: vol.volumeId, nodeId: NODE, volumeCapability: blockCap}, 'ControllerPublishVolumeResponse')).publishContext as Record<string, string>
    ok(await call(client, N('NodeStageVolume'), 'NodeStageVolumeRequest', {volumeId: vol.volumeId, publishContext, stagingTargetPath: paths.staging, volumeCapability: blockCap}))
    assert.equal((await mountsAt(paths.staging)).length, 0, 'block volumes are not staged')
    ok(await call(client, N('NodePublishVolume'), 'NodePublishVolumeRequest',
      {volumeId: vol.volumeId, publishContext, stagingTargetPath: paths.staging, targetPath: paths.blockTarget, volumeCapability: blockCap}))
    assert.ok((await stat(paths.blockTarget)).isBlockDevice())
    const stats = ok(await call(client, N('NodeGetVolumeStats'), 'NodeGetVolumeStatsRequest', {volumeId: vol.volumeId, volumePath: paths.blockTarget},
      'NodeGetVolumeStatsResponse'))
    assert.equal((stats.usage as {total: string}[])[0]?.total, String(8 * MiB))
    ok(await call(client, N('NodeUnpublishVolume'), 'NodeUnpublishVolumeRequest', {volumeId: vol.volumeId, targetPath: paths.blockTarget}))
    await assert.rejects(stat(paths.blockTarget), {code: 'ENOENT'})
    // The device is blank (nothing formatted it): staging it as a filesystem makes one first.
    ok(await call(client, N('NodeStageVolume'), 'NodeStageVolumeRequest', {volumeId: vol.volumeId, publishContext, stagingTargetPath: paths.staging,
      volumeCapability: mountCap()}))
    assert.equal((await mountsAt(paths.staging))[0]?.fstype, 'ext4')
    ok(await call(client, N('NodeUnstageVolume'), 'NodeUnstageVolumeRequest', {volumeId: vol.volumeId, stagingTargetPath: paths.staging}))
    ok(await call(client, C('ControllerUnpublishVolume'), 'ControllerUnpublishVolumeRequest', {volumeId: vol.volumeId, nodeId: NODE}))
    ok(await call(client, C('DeleteVolume'), 'DeleteVolumeRequest', {volumeId: vol.volumeId}))
  })

  test('errors: unknown volumes, missing fields, no space, too few nodes', async () => {
    const code = async (method: string, reqType: string, value: Obj, resType = 'Empty'): Promise<number | undefined> =>
      (await call(client, method, reqType, value, resType)).error?.code
    assert.equal(await code(C('ControllerPublishVolume'), 'ControllerPublishVolumeRequest', {volumeId: 'pvc-nope', nodeId: NODE, volumeCapability: mountCap()}),
      grpc.status.NOT_FOUND)
    assert.equal(await code(C('ValidateVolumeCapabilities'), 'ValidateVolumeCapabilitiesRequest', {volumeId: 'pvc-nope', volumeCapabilities: [mountCap()]}),
      grpc.status.NOT_FOUND)
    assert.equal(await code(C('ControllerExpandVolume'), 'ControllerExpandVolumeRequest', {volumeId: 'pvc-nope', capacityRange: {requiredBytes: MiB}}),
      grpc.status.NOT_FOUND)
    assert.equal(await code(C('ControllerPublishVolume'), 'ControllerPublishVolumeRequest', {volumeId, nodeId: 'node9', volumeCapability: mountCap()}),
      grpc.status.NOT_FOUND)
    assert.equal(await code(C('CreateVolume'), 'CreateVolumeRequest', {name: 'pvc-nocaps', parameters: PARAMS}), grpc.status.INVALID_ARGUMENT)
    assert.equal(await code(C('CreateVolume'), 'CreateVolumeRequest', {volumeCapabilities: [mountCap()], parameters: PARAMS}), grpc.status.INVALID_ARGUMENT)
    assert.equal(await code(C('CreateVolume'), 'CreateVolumeRequest', {name: 'pvc-badparam', volumeCapabilities: [mountCap()], parameters: {...PARAMS, bogus: '1'}}),
      grpc.status.INVALID_ARGUMENT)
    assert.equal(await code(N('NodeStageVolume'), 'NodeStageVolumeRequest', {volumeId, stagingTargetPath: paths.staging}), grpc.status.INVALID_ARGUMENT)
    assert.equal(await code(N('NodePublishVolume'), 'NodePublishVolumeRequest', {volumeId, targetPath: paths.target}), grpc.status.INVALID_ARGUMENT)
    assert.equal(await code(C('DeleteVolume'), 'DeleteVolumeRequest', {}), grpc.status.INVALID_ARGUMENT)
    assert.equal(await code(C('CreateSnapshot'), 'CreateSnapshotRequest', {sourceVolumeId: 'pvc-nope', name: 'snap-nope'}, 'CreateSnapshotResponse'),
      grpc.status.NOT_FOUND)
    assert.equal(await code(C('CreateVolume'), 'CreateVolumeRequest', {name: 'pvc-from-nothing', volumeCapabilities: [mountCap()], parameters: PARAMS,
      volumeContentSource: {snapshot: {snapshotId: 'InCluster:///pvc-nope/snap-nope'}}}, 'CreateVolumeResponse'), grpc.status.NOT_FOUND)
    assert.equal(await code(N('NodeGetVolumeStats'), 'NodeGetVolumeStatsRequest', {volumeId, volumePath: join(dir, 'absent')}, 'NodeGetVolumeStatsResponse'),
      grpc.status.NOT_FOUND)

    // More than the pools hold, and more replicas than nodes: RESOURCE_EXHAUSTED, nothing left behind.
    const huge = await call(client, C('CreateVolume'), 'CreateVolumeRequest',
      {name: 'pvc-huge', capacityRange: {requiredBytes: 1024 ** 5}, volumeCapabilities: [mountCap()], parameters: PARAMS}, 'CreateVolumeResponse')
    assert.equal(huge.error?.code, grpc.status.RESOURCE_EXHAUSTED, huge.error?.details)
    assert.match(huge.error?.details ?? '', /pvc-huge/)
    assert.equal((await api(cluster.base, 'GET', '/v1/resource-definitions/pvc-huge')).status, 404)
    const four = await call(client, C('CreateVolume'), 'CreateVolumeRequest', {name: 'pvc-four', capacityRange: {requiredBytes: 8 * MiB},
      volumeCapabilities: [mountCap()], parameters: {...PARAMS, resourceGroup: 'csi-four', placementCount: '4'}}, 'CreateVolumeResponse')
    assert.equal(four.error?.code, grpc.status.RESOURCE_EXHAUSTED, four.error?.details)
    assert.equal((await api(cluster.base, 'GET', '/v1/resource-definitions/pvc-four')).status, 404)
    assert.equal((await api(cluster.base, 'GET', '/v1/resource-groups/csi-four')).status, 404, 'the group made for it is removed again')
  })

  test('an unreachable controller is UNAVAILABLE', async () => {
    const sock = join(dir, 'dead.sock')
    const dead = startDaemon(['csi', '--endpoint', `unix://${sock}`, '--mode', 'controller', '--controllers', `127.0.0.1:${await freePort()}`])
    const deadClient = new grpc.Client(`unix://${sock}`, grpc.credentials.createInsecure())
    try {
      await waitFor('dead socket', async () => ((await stat(sock).catch(() => undefined))?.isSocket() ? true : undefined), 30_000)
      const probe = await call(deadClient, I('Probe'), 'Empty', {}, 'ProbeResponse')
      assert.equal(probe.error?.code, grpc.status.UNAVAILABLE)
      assert.match(probe.error?.details ?? '', /unreachable/)
      const create = await call(deadClient, C('CreateVolume'), 'CreateVolumeRequest', {name: 'pvc-x', volumeCapabilities: [mountCap()], parameters: PARAMS},
        'CreateVolumeResponse')
      assert.equal(create.error?.code, grpc.status.UNAVAILABLE)
      assert.equal((await call(deadClient, N('NodeGetInfo'), 'Empty', {}, 'NodeGetInfoResponse')).error?.code, grpc.status.UNIMPLEMENTED,
        'the node service is not served in controller mode')
    } finally {
      deadClient.close()
      await dead.stop()
    }
  })

  test('DeleteSnapshot and DeleteVolume, twice each; nothing is left on any node', async () => {
    ok(await call(client, C('DeleteSnapshot'), 'DeleteSnapshotRequest', {snapshotId}))
    ok(await call(client, C('DeleteSnapshot'), 'DeleteSnapshotRequest', {snapshotId}))
    const none = ok(await call(client, C('ListSnapshots'), 'ListSnapshotsRequest', {snapshotId}, 'ListSnapshotsResponse'))
    assert.deepEqual(none.entries, [])
    for (const id of [volumeId, 'pvc-csi-restored', 'pvc-csi-clone']) {
      ok(await call(client, C('DeleteVolume'), 'DeleteVolumeRequest', {volumeId: id}))
      ok(await call(client, C('DeleteVolume'), 'DeleteVolumeRequest', {volumeId: id}))
      assert.equal((await api(cluster.base, 'GET', `/v1/resource-definitions/${id}`)).status, 404, id)
    }
    assert.equal((await call(client, C('DeleteVolume'), 'DeleteVolumeRequest', {volumeId: 'pvc-never-existed'})).error, null)
    // linstor-csi removes the group with its last volume.
    assert.equal((await api(cluster.base, 'GET', `/v1/resource-groups/${RG}`)).status, 404)

    const {stdout} = await exec('losetup', ['--list', '--json', '--output', 'NAME,BACK-FILE'])
    const loops = stdout.trim() ? (JSON.parse(stdout) as {loopdevices: {name: string, 'back-file'?: string}[]}).loopdevices : []
    for (const s of cluster.sats) {
      const pool = cluster.poolDir(s)
      const left = await readdir(pool).catch(() => [])
      assert.deepEqual(left, [], `${s.name}: files left in ${pool}`)
      assert.deepEqual(loops.filter((l) => l['back-file']?.startsWith(s.dir)).map((l) => l.name), [], `${s.name}: loop devices left`)
    }
  })
})
