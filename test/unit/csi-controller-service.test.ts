// The controller service's REST conversations, against a recording fake of the REST layer: the
// order linstor-csi uses for deletes, what unpublish removes, when publish refuses.
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {ApiError} from '../../src/api/client.ts'
import {createLogger} from '../../src/common/log.ts'
import type {Resource, ResourceDefinition, Snapshot, Volume, VolumeDefinition} from '../../src/api/wire.ts'
import {controllerHandlers} from '../../drivers/csi/controller-service.ts'
import {GrpcStatus, type CallContext, type GrpcError} from '../../drivers/csi/grpc-server.ts'
import type {LinstorRest} from '../../drivers/csi/linstor-rest.ts'

const ERR = 0xC000000000000000n
const failure = (code: bigint, status = 500): ApiError => new ApiError(status, [{ret_code: BigInt.asIntN(64, ERR | code), message: `failure ${code}`}])

interface World {
  rd?: ResourceDefinition
  vds?: VolumeDefinition[]
  resources?: Resource[]
  snapshots?: Snapshot[]
  volumes?: Record<string, Volume>
  nodes?: Record<string, {name: string, type: 'SATELLITE', connection_status: 'ONLINE' | 'OFFLINE'}>
  failures?: Record<string, ApiError>
}

/** Records every call as `name arg…`; answers from `world`; throws what `failures` names. */
function fakeRest(world: World): {rest: LinstorRest, calls: string[]} {
  const calls: string[] = []
  const answer = <T>(name: string, args: unknown[], value: T): Promise<T> => {
    const line = [name, ...args.map((a) => (typeof a === 'object' ? JSON.stringify(a) : String(a)))].join(' ')
    calls.push(line)
    const fail = Object.entries(world.failures ?? {}).find(([prefix]) => line.startsWith(prefix))
    return fail ? Promise.reject(fail[1]) : Promise.resolve(value)
  }
  const rest = {
    resourceDefinition: (...a: unknown[]) => answer('resourceDefinition', a, world.rd),
    volumeDefinitions: (...a: unknown[]) => answer('volumeDefinitions', a, world.vds),
    volumeDefinition: (rd: string, nr: number) => answer('volumeDefinition', [rd, nr], world.vds?.find((v) => v.volume_number === nr)),
    resources: (...a: unknown[]) => answer('resources', a, world.resources),
    snapshots: (...a: unknown[]) => answer('snapshots', a, world.snapshots),
    node: (name: string) => answer('node', [name], world.nodes?.[name]),
    volume: (rd: string, node: string, nr: number) => answer('volume', [rd, node, nr], world.volumes?.[node]),
    modifyResourceDefinition: (...a: unknown[]) => answer('modifyResourceDefinition', a, []),
    deleteResource: (...a: unknown[]) => answer('deleteResource', a, []),
    deleteVolumeDefinition: (...a: unknown[]) => answer('deleteVolumeDefinition', a, []),
    deleteResourceDefinition: (...a: unknown[]) => answer('deleteResourceDefinition', a, []),
    deleteResourceGroup: (...a: unknown[]) => answer('deleteResourceGroup', a, []),
    makeAvailable: (...a: unknown[]) => answer('makeAvailable', a, []),
    autoplace: (...a: unknown[]) => answer('autoplace', a, []),
    nodes: (...a: unknown[]) => answer('nodes', a, Object.values(world.nodes ?? {})),
  }
  return {rest: rest as unknown as LinstorRest, calls}
}

const quiet = createLogger({level: 'error', format: 'text', write: () => {}})
const call: CallContext = {method: '', metadata: {}, signal: new AbortController().signal}
const handlers = (rest: LinstorRest) => controllerHandlers({rest, version: 'test', propertyNamespace: 'Aux', log: quiet, pollMs: 1, inUseTimeoutMs: 20})
const rd: ResourceDefinition = {name: 'pvc-1', resource_group_name: 'sc-1', props: {'Aux/csi-provisioning-completed-by': 'linstor-csi/x'}}
const mountCap = {mount: {fsType: 'ext4', mountFlags: [], volumeMountGroup: ''}, accessMode: {mode: 1}}

describe('controller service', () => {
  test('DeleteVolume tears down as linstor-csi: diskless first, volume definitions descending, then RD and group', async () => {
    const {rest, calls} = fakeRest({
      rd, vds: [{volume_number: 0, size_kib: 1}, {volume_number: 1, size_kib: 1}],
      resources: [{node_name: 'n1', flags: [], state: {in_use: false}}, {node_name: 'n2', flags: ['DISKLESS', 'DRBD_DISKLESS'], state: {in_use: false}}],
      snapshots: [],
      failures: {'deleteResourceGroup': failure(501n)},
    })
    assert.deepEqual(await handlers(rest)['/csi.v1.Controller/DeleteVolume']?.({volumeId: 'pvc-1', secrets: {}}, call), {})
    assert.deepEqual(calls.slice(0, 9), [
      'volumeDefinitions pvc-1',
      'modifyResourceDefinition pvc-1 {"override_props":{"BalanceResourcesEnabled":"False"}}',
      'resources pvc-1',
      'deleteResource pvc-1 n2 false',
      'deleteResource pvc-1 n1 false',
      'volumeDefinitions pvc-1',
      'deleteVolumeDefinition pvc-1 1',
      'deleteVolumeDefinition pvc-1 0',
      'modifyResourceDefinition pvc-1 {"delete_props":["BalanceResourcesEnabled"]}',
    ])
    // The fake still lists the resources (not flagged DELETE): the definition stays.
    assert.deepEqual(calls.slice(9), ['resources pvc-1'])

    // Nothing left: the definition goes, and its group unless other definitions still use it.
    const deleting = fakeRest({rd, vds: [{volume_number: 0, size_kib: 1}], resources: [], snapshots: [], failures: {'deleteResourceGroup': failure(501n)}})

    assert.deepEqual(await handlers(deleting.rest)['/csi.v1.Controller/DeleteVolume']?.({volumeId: 'pvc-1', secrets: {}}, call), {})
    assert.deepEqual(deleting.calls.slice(-5), ['resources pvc-1', 'snapshots pvc-1', 'resourceDefinition pvc-1', 'deleteResourceDefinition pvc-1',
      'deleteResourceGroup sc-1'], 'a group still used (FailExistsRscDfn) is kept without an error')
  })

  test('DeleteVolume keeps the RD while snapshots exist, and succeeds for unknown volumes', async () => {
    const kept = fakeRest({rd, vds: [], resources: [], snapshots: [{name: 's1', flags: ['SUCCESSFUL']}]})
    await handlers(kept.rest)['/csi.v1.Controller/DeleteVolume']?.({volumeId: 'pvc-1', secrets: {}}, call)
    assert.ok(!kept.calls.some((c) => c.startsWith('deleteResourceDefinition')))
    const gone = fakeRest({})
    assert.deepEqual(await handlers(gone.rest)['/csi.v1.Controller/DeleteVolume']?.({volumeId: 'pvc-x', secrets: {}}, call), {})
    assert.deepEqual(gone.calls, ['volumeDefinitions pvc-x'])
    const vanishing = fakeRest({rd, vds: [], failures: {'modifyResourceDefinition': failure(301n, 404)}})
    assert.deepEqual(await handlers(vanishing.rest)['/csi.v1.Controller/DeleteVolume']?.({volumeId: 'pvc-1', secrets: {}}, call), {})
  })

  test('DeleteVolume refuses a volume that stays in use', async () => {
    const {rest} = fakeRest({rd, vds: [], resources: [{node_name: 'n1', state: {in_use: true}}]})
    await assert.rejects(handlers(rest)['/csi.v1.Controller/DeleteVolume']?.({volumeId: 'pvc-1', secrets: {}}, call) as Promise<unknown>,
      (e: GrpcError) => e.code === GrpcStatus.FAILED_PRECONDITION && /in use on n1/.test(e.message))
  })

  test('ControllerUnpublishVolume removes only diskless attachments, tolerating FailInUse', async () => {
    const diskless = fakeRest({resources: [{node_name: 'n2', state: {in_use: false}}], volumes: {n2: {provider_kind: 'DISKLESS'}},
      failures: {'deleteResource': failure(997n)}})
    assert.deepEqual(await handlers(diskless.rest)['/csi.v1.Controller/ControllerUnpublishVolume']?.({volumeId: 'pvc-1', nodeId: 'n2', secrets: {}}, call), {})
    assert.deepEqual(diskless.calls, ['resources pvc-1', 'volume pvc-1 n2 0', 'deleteResource pvc-1 n2 true'])
    const diskful = fakeRest({resources: [{node_name: 'n1', state: {in_use: true}}], volumes: {n1: {provider_kind: 'FILE_THIN'}}})
    await handlers(diskful.rest)['/csi.v1.Controller/ControllerUnpublishVolume']?.({volumeId: 'pvc-1', nodeId: 'n1', secrets: {}}, call)
    assert.deepEqual(diskful.calls, ['resources pvc-1', 'modifyResourceDefinition pvc-1 {"delete_props":["DrbdOptions/Net/allow-two-primaries"]}',
      'volume pvc-1 n1 0'])
    const gone = fakeRest({})
    assert.deepEqual(await handlers(gone.rest)['/csi.v1.Controller/ControllerUnpublishVolume']?.({volumeId: 'pvc-1', nodeId: 'n1', secrets: {}}, call), {})
  })

  test('ControllerPublishVolume: make-available, device path in the publish context; no network attach without DRBD', async () => {
    const online = {n1: {name: 'n1', type: 'SATELLITE' as const, connection_status: 'ONLINE' as const}, n3: {name: 'n3', type: 'SATELLITE' as const,
      connection_status: 'ONLINE' as const}}
    const drbd = fakeRest({rd, vds: [{volume_number: 0, size_kib: 1024, props: {'FileSystem/Type': 'ext4'}}], nodes: online,
      resources: [{node_name: 'n1', layer_object: {type: 'DRBD'}, state: {in_use: false}}], volumes: {n3: {device_path: '/dev/drbd1000'}}})
    const reply = await handlers(drbd.rest)['/csi.v1.Controller/ControllerPublishVolume']?.(
      {volumeId: 'pvc-1', nodeId: 'n3', volumeCapability: mountCap, readonly: false, secrets: {}, volumeContext: {}}, call)
    assert.deepEqual(reply, {publishContext: {'linstor.csi.linbit.com/uses-publish-context': 'true', 'linstor.csi.linbit.com/device-path': '/dev/drbd1000',
      'linstor.csi.linbit.com/fs-type': 'ext4'}})
    assert.ok(drbd.calls.includes('makeAvailable pvc-1 n3 {}'))

    const storageOnly = fakeRest({rd, vds: [{volume_number: 0, size_kib: 1024}], nodes: online,
      resources: [{node_name: 'n1', layer_object: {type: 'STORAGE'}, state: {in_use: false}}]})
    await assert.rejects(handlers(storageOnly.rest)['/csi.v1.Controller/ControllerPublishVolume']?.(
      {volumeId: 'pvc-1', nodeId: 'n3', volumeCapability: mountCap, readonly: false, secrets: {}, volumeContext: {}}, call) as Promise<unknown>,
    (e: GrpcError) => e.code === GrpcStatus.FAILED_PRECONDITION)
    assert.ok(!storageOnly.calls.some((c) => c.startsWith('makeAvailable')))

    const offline = fakeRest({rd, vds: [{volume_number: 0, size_kib: 1024}], nodes: {n1: {...online.n1, connection_status: 'OFFLINE'}}})
    await assert.rejects(handlers(offline.rest)['/csi.v1.Controller/ControllerPublishVolume']?.(
      {volumeId: 'pvc-1', nodeId: 'n1', volumeCapability: mountCap, readonly: false, secrets: {}, volumeContext: {}}, call) as Promise<unknown>,
    (e: GrpcError) => e.code === GrpcStatus.NOT_FOUND && /OFFLINE/.test(e.message))
  })

  test('CreateVolume answers an existing, provisioned volume without changing anything', async () => {
    const {rest, calls} = fakeRest({rd, vds: [{volume_number: 0, size_kib: 32 * 1024, props: {'FileSystem/Type': 'ext4'}}], resources: [], nodes: {}})
    const reply = await handlers(rest)['/csi.v1.Controller/CreateVolume']?.({name: 'pvc-1', capacityRange: {requiredBytes: 32 * 1024 * 1024, limitBytes: 0},
      volumeCapabilities: [mountCap], parameters: {resourceGroup: 'sc-1'}, secrets: {}, mutableParameters: {}}, call)
    assert.equal(reply?.volume?.volumeId, 'pvc-1')
    assert.equal(reply?.volume?.capacityBytes, 32 * 1024 * 1024)
    assert.deepEqual(reply?.volume?.accessibleTopology, [])
    assert.deepEqual(calls, ['resourceDefinition pvc-1', 'volumeDefinitions pvc-1', 'resources pvc-1'])
  })

  test('CreateVolume validates before it calls LINSTOR', async () => {
    const {rest, calls} = fakeRest({})
    const create = (req: Record<string, unknown>): Promise<unknown> => handlers(rest)['/csi.v1.Controller/CreateVolume']?.({name: 'pvc-1',
      volumeCapabilities: [mountCap], parameters: {}, secrets: {}, mutableParameters: {}, ...req}, call) as Promise<unknown>
    const code = (c: number) => (e: GrpcError): boolean => e.code === c
    await assert.rejects(create({parameters: {placementCount: 'many'}}), code(GrpcStatus.INVALID_ARGUMENT))
    await assert.rejects(create({volumeCapabilities: [{block: {}, accessMode: {mode: 5}}], parameters: {layerList: 'storage'}}), code(GrpcStatus.INVALID_ARGUMENT))
    await assert.rejects(create({capacityRange: {requiredBytes: 10, limitBytes: 5}}), code(GrpcStatus.OUT_OF_RANGE))
    await assert.rejects(create({capacityRange: {requiredBytes: 0, limitBytes: 1024 * 1024}}), code(GrpcStatus.OUT_OF_RANGE), 'ext4 needs 2 MiB')
    assert.deepEqual(calls, [])
  })
})
