// The CSI Node service: stage a volume by mounting its device (formatting it first only if it is
// blank), publish by bind-mounting the staged filesystem (or the device itself, for block access)
// into the workload's path, report usage and grow filesystems. Every call is idempotent: a path
// already mounted as asked is success, so a CO may retry after any failure.
import {realpath} from 'node:fs/promises'
import type {Logger} from '../../src/common/log.ts'
import {parseCsiParameters} from '../nomad/csi-parameters.ts'
import {NodeRpcType, VolumeUsageUnit, type CSI_METHODS, type VolumeCapability} from './csi-schema.ts'
import {GrpcError, GrpcStatus, type TypedHandlers} from './grpc-server.ts'
import {KeyedLock} from './keyed-lock.ts'
import {grpcErrorFor} from './linstor-errors.ts'
import type {LinstorRest} from './linstor-rest.ts'
import {required, volumeIdOf} from './request-checks.ts'
import {filesystemSmallerThanDevice, filesystemUsage, isExtFs, stageMountOptions} from './mount-commands.ts'
import type {Mounter} from './mounter.ts'
import {nodeSegments} from './topology.ts'
import {DEFAULT_FS_TYPE, isReadOnly} from './volume-capabilities.ts'
import {legacyParameters, readPublishContext, readVolumeContext, type VolumeContext} from './volume-context.ts'
import type {VolumeId} from './volume-id.ts'

export interface NodeDeps {
  rest: LinstorRest
  /** This node's LINSTOR name, reported as the CSI node id. */
  node: string
  mounter: Mounter
  log: Logger
  propertyNamespace: string
  /** Add a `linbit.com/sp-<pool>` segment per storage pool of the node (linstor-csi's default). */
  labelByStoragePool: boolean
}

/** DRBD's limit of volumes per node, which linstor-csi reports. */
export const MAX_VOLUMES_PER_NODE = 1_048_576


/** A local command failed: the message says which and why. */
const failed = (what: string, e: unknown): GrpcError =>
  e instanceof GrpcError ? e : new GrpcError(GrpcStatus.INTERNAL, `${what}: ${e instanceof Error ? e.message : String(e)}`)

async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([realpath(a).catch(() => a), realpath(b).catch(() => b)])
  return x === y
}

export function nodeHandlers(deps: NodeDeps): TypedHandlers<typeof CSI_METHODS> {
  const {rest, mounter, log} = deps
  // Mounting is check-then-act: two calls for one volume must not interleave.
  const locks = new KeyedLock()
  const locked = <T>(id: VolumeId, fn: () => Promise<T>): Promise<T> => locks.run(id.resource, fn)

  async function linstor<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      throw grpcErrorFor(e, what)
    }
  }

  /** This node's device of the volume: from the publish context, else asked of LINSTOR. */
  async function devicePath(id: VolumeId, publishContext: Readonly<Record<string, string>>): Promise<{path: string, fsType: string}> {
    const published = readPublishContext(publishContext)
    if (published?.devicePath) return {path: published.devicePath, fsType: published.fsType}
    const vol = await linstor(`volume ${id.resource} on ${deps.node}`, () => rest.volume(id.resource, deps.node, id.volumeNumber))
    if (!vol?.device_path) throw new GrpcError(GrpcStatus.NOT_FOUND, `volume ${id.resource} is not attached to node ${deps.node}`)
    return {path: vol.device_path, fsType: ''}
  }

  /** Mount settings from the volume context; volumes from older linstor-csi keep them on the RD. */
  async function volumeContext(id: VolumeId, context: Readonly<Record<string, string>>): Promise<VolumeContext> {
    const fromContext = readVolumeContext(context)
    if (fromContext) return fromContext
    const rd = await linstor(`resource definition ${id.resource}`, () => rest.resourceDefinition(id.resource))
    const legacy = legacyParameters(rd?.props ?? {})
    const parsed = legacy ? parseCsiParameters(legacy) : undefined
    if (!parsed?.ok) return {mountOptions: [], postMountXfsOpts: ''}
    const p = parsed.parameters
    return {mountOptions: p.mountOpts === '' ? [] : p.mountOpts.split(','), postMountXfsOpts: p.postMountXfsOpts}
  }

  async function mkfsParams(id: VolumeId): Promise<string> {
    const vd = await linstor(`volume definition of ${id.resource}`, () => rest.volumeDefinition(id.resource, id.volumeNumber))
    return vd?.props?.['FileSystem/MkfsParams'] ?? ''
  }

  /**
   * The device may have grown since its filesystem was made (expanded while detached, restored
   * into a larger volume). An ext filesystem is grown before it is mounted: that needs no online
   * resize support, which containers without CAP_SYS_RESOURCE lack.
   */
  async function growUnmounted(device: string, fsType: string): Promise<void> {
    if (!isExtFs(fsType)) return
    const fsBytes = await mounter.extFilesystemBytes(device)
    if (fsBytes === undefined || !filesystemSmallerThanDevice(fsBytes, await mounter.deviceBytes(device))) return
    log.info('growing filesystem before mounting', {device, fsType, fsBytes})
    await mounter.fsckForced(device)
    await mounter.grow(fsType, device, '')
  }

  /** Unmounts everything stacked on `path`. */
  async function unmountAll(path: string): Promise<void> {
    for (let i = 0; i < 16 && (await mounter.mountsAt(path)).length > 0; i++) await mounter.unmount(path)
  }

  async function stage(id: VolumeId, staging: string, capability: VolumeCapability, publishContext: Record<string, string>,
    context: Record<string, string>): Promise<void> {
    const mount = capability.mount
    if (!mount) return // block volumes are used as they are: nothing to stage
    const device = await devicePath(id, publishContext)
    const fsType = device.fsType || mount.fsType || DEFAULT_FS_TYPE
    const mounted = await mounter.mountsAt(staging)
    if (mounted.length > 0) {
      for (const m of mounted) {
        if (!await sameFile(m.source, device.path)) {
          throw new GrpcError(GrpcStatus.ALREADY_EXISTS, `staging path ${staging} already holds ${m.source}, not ${device.path}`)
        }
      }
      return
    }
    if (await mounter.kind(device.path) !== 'block') {
      throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, `device ${device.path} of volume ${id.resource} is not a block device on ${deps.node}`)
    }
    const readonly = isReadOnly(capability, false)
    const ctx = await volumeContext(id, context)
    await mounter.ensureDirectory(staging)
    if (await mounter.isBlank(device.path)) {
      if (readonly) throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, `volume ${id.resource} has no filesystem and is to be mounted read-only`)
      log.info('formatting blank volume', {volume: id.resource, device: device.path, fsType})
      await mounter.format(fsType, device.path, await mkfsParams(id))
    } else if (!readonly) {
      await mounter.fsck(device.path)
      await growUnmounted(device.path, fsType)
    }
    const options = stageMountOptions({fsType, contextOptions: ctx.mountOptions, mountFlags: mount.mountFlags, readonly})
    await mounter.mount(device.path, staging, fsType, options)
    // xfs grows only while mounted.
    if (!readonly && fsType === 'xfs') await mounter.grow(fsType, device.path, staging)
    if (fsType === 'xfs' && ctx.postMountXfsOpts !== '') await mounter.run('xfs_io', ['-c', ctx.postMountXfsOpts, staging])
  }

  async function publish(id: VolumeId, target: string, staging: string, capability: VolumeCapability, readonly: boolean,
    publishContext: Record<string, string>): Promise<void> {
    const existing = await mounter.mountsAt(target)
    if (existing.length > 0) {
      const ro = existing.some((m) => m.options.includes('ro'))
      if (ro !== readonly) throw new GrpcError(GrpcStatus.ALREADY_EXISTS, `${target} is already published ${ro ? 'read-only' : 'read-write'}`)
      return
    }
    if (capability.block) {
      const device = await devicePath(id, publishContext)
      if (await mounter.kind(device.path) !== 'block') {
        throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, `device ${device.path} of volume ${id.resource} is not a block device on ${deps.node}`)
      }
      await mounter.ensureFile(target)
      await mounter.bind(device.path, target, readonly)
      return
    }
    if (staging === '') throw required('NodePublishVolume', 'staging_target_path')
    if ((await mounter.mountsAt(staging)).length === 0) {
      throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, `volume ${id.resource} is not staged at ${staging}`)
    }
    await mounter.ensureDirectory(target)
    await mounter.bind(staging, target, readonly)
  }

  return {
    '/csi.v1.Node/NodeGetInfo': async () => {
      const node = await linstor(`node ${deps.node}`, () => rest.node(deps.node))
      if (!node) throw new GrpcError(GrpcStatus.NOT_FOUND, `node ${deps.node} is not a LINSTOR node (--node must be its LINSTOR name)`)
      const pools = deps.labelByStoragePool ? (await linstor(`storage pools of ${deps.node}`, () => rest.nodeStoragePools(deps.node))).map((p) => p.storage_pool_name) : []
      return {nodeId: deps.node, maxVolumesPerNode: MAX_VOLUMES_PER_NODE, accessibleTopology: {segments: nodeSegments(node, deps.propertyNamespace, pools)}}
    },

    '/csi.v1.Node/NodeGetCapabilities': () => ({capabilities: [NodeRpcType.STAGE_UNSTAGE_VOLUME, NodeRpcType.GET_VOLUME_STATS, NodeRpcType.EXPAND_VOLUME]
      .map((type) => ({rpc: {type}}))}),

    '/csi.v1.Node/NodeStageVolume': async (req) => {
      const id = volumeIdOf('NodeStageVolume', req.volumeId)
      if (req.stagingTargetPath === '') throw required('NodeStageVolume', 'staging_target_path')
      if (!req.volumeCapability) throw required('NodeStageVolume', 'volume_capability')
      try {
        const capability = req.volumeCapability
        await locked(id, () => stage(id, req.stagingTargetPath, capability, req.publishContext, req.volumeContext))
      } catch (e) {
        throw failed(`NodeStageVolume ${req.volumeId}`, e)
      }
      return {}
    },

    '/csi.v1.Node/NodeUnstageVolume': async (req) => {
      const id = volumeIdOf('NodeUnstageVolume', req.volumeId)
      if (req.stagingTargetPath === '') throw required('NodeUnstageVolume', 'staging_target_path')
      try {
        await locked(id, () => unmountAll(req.stagingTargetPath))
      } catch (e) {
        throw failed(`NodeUnstageVolume ${req.volumeId}`, e)
      }
      return {}
    },

    '/csi.v1.Node/NodePublishVolume': async (req) => {
      const id = volumeIdOf('NodePublishVolume', req.volumeId)
      if (req.targetPath === '') throw required('NodePublishVolume', 'target_path')
      if (!req.volumeCapability) throw required('NodePublishVolume', 'volume_capability')
      const readonly = isReadOnly(req.volumeCapability, req.readonly)
      try {
        const capability = req.volumeCapability
        await locked(id, () => publish(id, req.targetPath, req.stagingTargetPath, capability, readonly, req.publishContext))
      } catch (e) {
        throw failed(`NodePublishVolume ${req.volumeId}`, e)
      }
      return {}
    },

    '/csi.v1.Node/NodeUnpublishVolume': async (req) => {
      const id = volumeIdOf('NodeUnpublishVolume', req.volumeId)
      if (req.targetPath === '') throw required('NodeUnpublishVolume', 'target_path')
      try {
        await locked(id, async () => {
          await unmountAll(req.targetPath)
          await mounter.remove(req.targetPath)
        })
      } catch (e) {
        throw failed(`NodeUnpublishVolume ${req.volumeId}`, e)
      }
      return {}
    },

    '/csi.v1.Node/NodeGetVolumeStats': async (req) => {
      volumeIdOf('NodeGetVolumeStats', req.volumeId)
      if (req.volumePath === '') throw required('NodeGetVolumeStats', 'volume_path')
      const kind = await mounter.kind(req.volumePath).catch((e: unknown) => { throw failed('NodeGetVolumeStats', e) })
      if (kind === undefined) throw new GrpcError(GrpcStatus.NOT_FOUND, `NodeGetVolumeStats: ${req.volumePath} does not exist`)
      try {
        if (kind === 'block') return {usage: [{total: await mounter.deviceBytes(req.volumePath), unit: VolumeUsageUnit.BYTES}]}
        if ((await mounter.mountsAt(req.volumePath)).length === 0) {
          throw new GrpcError(GrpcStatus.NOT_FOUND, `NodeGetVolumeStats: ${req.volumePath} is not mounted`)
        }
        const usage = filesystemUsage(await mounter.statfs(req.volumePath))
        return {usage: [{...usage.bytes, unit: VolumeUsageUnit.BYTES}, {...usage.inodes, unit: VolumeUsageUnit.INODES}]}
      } catch (e) {
        throw failed(`NodeGetVolumeStats ${req.volumeId}`, e)
      }
    },

    '/csi.v1.Node/NodeExpandVolume': async (req) => {
      volumeIdOf('NodeExpandVolume', req.volumeId)
      if (req.volumePath === '') throw required('NodeExpandVolume', 'volume_path')
      try {
        const kind = await mounter.kind(req.volumePath)
        if (kind === undefined) throw new GrpcError(GrpcStatus.NOT_FOUND, `NodeExpandVolume: ${req.volumePath} does not exist`)
        // A raw device has nothing to grow: LINSTOR resized it already.
        if (kind === 'block' || req.volumeCapability?.block) return {capacityBytes: await mounter.deviceBytes(req.volumePath)}
        const [mount] = await mounter.mountsAt(req.volumePath)
        if (!mount) throw new GrpcError(GrpcStatus.NOT_FOUND, `NodeExpandVolume: ${req.volumePath} is not mounted`)
        log.info('growing filesystem', {volume: req.volumeId, device: mount.source, fsType: mount.fstype})
        await mounter.grow(mount.fstype, mount.source, req.volumePath)
        return {capacityBytes: await mounter.deviceBytes(mount.source)}
      } catch (e) {
        throw failed(`NodeExpandVolume ${req.volumeId}`, e)
      }
    },
  }
}
