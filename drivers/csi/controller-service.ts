// The CSI Controller service against Cairn's REST API, making the calls linstor-csi makes (see
// reference/integrations-source.md §3.3): reconcile the resource group, definition and volume
// definition, then place replicas; restore and clone through LINSTOR; attach with make-available.
// Every step is idempotent, so a CO retrying a call after a timeout converges instead of failing.
import type {Logger} from '../../src/common/log.ts'
import type {AutoPlaceRequest, Node, Resource, ResourceGroup, Snapshot as LinstorSnapshot} from '../../src/api/wire.ts'
import {csiAllocationBytes, csiFilesystemProps, csiManualResources, csiResourceGroupReconcile} from '../nomad/csi-placement.ts'
import {csiResourceNameProblem} from '../nomad/csi-names.ts'
import {parseCsiParameters, type CsiParameters} from '../nomad/csi-parameters.ts'
import {AccessMode, ControllerRpcType, type CreateVolumeResponse, type CSI_METHODS, type CapacityRange, type CreateVolumeRequest,
  type TopologyRequirement, type VolumeCapability} from './csi-schema.ts'
import {createConflict, csiVolumeOf, volumeCondition, type CsiVolume} from './csi-volume.ts'
import {csiSnapshotsOf, snapshotMessage, type CsiSnapshot} from './csi-snapshot.ts'
import {countedPools, offeredKib, placeableNodes, reservedKib} from './free-capacity.ts'
import {GrpcError, GrpcStatus, type CallContext, type GrpcStatusCode, type TypedHandlers} from './grpc-server.ts'
import {FAIL_EXISTS_RSC, FAIL_EXISTS_RSC_DFN, FAIL_EXISTS_RSC_GRP, FAIL_EXISTS_VLM_DFN, FAIL_IN_USE, FAIL_NOT_ENOUGH_NODES, grpcErrorFor,
  hasErrorCode} from './linstor-errors.ts'
import type {LinstorRest} from './linstor-rest.ts'
import {invalid, required, volumeIdOf} from './request-checks.ts'
import {KeyedLock} from './keyed-lock.ts'
import {page} from './pagination.ts'
import type {MessageInit} from './protobuf.ts'
import {disklessPossible, fillAutoplace, needsFill, placementSatisfied, preferredAutoplace, requisiteAutoplace, restoreNode,
  sortByPreference} from './placement.ts'
import {accessibleSegments, diskfulNodes, nodeQueryFor, poolsOfSegments, prunePatterns, volumeTopologies, type Segments} from './topology.ts'
import {isMultiWriter, volumeAccess} from './volume-capabilities.ts'
import {provisionedProps, publishContextFor, volumeContextFor} from './volume-context.ts'
import {formatVolumeId, parseSnapshotId, parseVolumeId, resourceNameFor, snapshotNameFor, type SnapshotId, type VolumeId} from './volume-id.ts'

export interface ControllerDeps {
  rest: LinstorRest
  /** Written into Aux/csi-provisioning-completed-by as `linstor-csi/<version>`. */
  version: string
  /** Namespace of node properties that are topology (`--property-namespace`). */
  propertyNamespace: string
  log: Logger
  /** Pause between polls of a snapshot or clone that is not done yet. */
  pollMs?: number
  /** How long DeleteVolume waits for a volume to stop being in use. */
  inUseTimeoutMs?: number
}

type Handlers = TypedHandlers<typeof CSI_METHODS>

const DEFAULT_RESOURCE_GROUP = 'DfltRscGrp'
const PVC_NAME = 'csi.storage.k8s.io/pvc/name'
const PVC_NAMESPACE = 'csi.storage.k8s.io/pvc/namespace'
const ALLOW_TWO_PRIMARIES = 'DrbdOptions/Net/allow-two-primaries'
const BALANCE_RESOURCES = 'BalanceResourcesEnabled'


/** int64 sizes from the wire; beyond 2^53 bytes (8 PiB) they cannot be a LINSTOR volume anyway. */
function bytesOf(v: number | bigint | undefined): number {
  const n = Number(v ?? 0)
  if (!Number.isSafeInteger(n) || n < 0) throw new GrpcError(GrpcStatus.OUT_OF_RANGE, `capacity ${String(v)} bytes is out of range`)
  return n
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error)
    const abort = (): void => {
      clearTimeout(timer)
      reject(signal.reason as Error)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort)
      resolve()
    }, ms)
    signal.addEventListener('abort', abort, {once: true})
  })
}

export function controllerHandlers(deps: ControllerDeps): Handlers {
  const {rest, log} = deps
  const ns = deps.propertyNamespace
  const pollMs = deps.pollMs ?? 1000
  const locks = new KeyedLock()
  const lockVolume = <T>(id: VolumeId, fn: () => Promise<T>): Promise<T> => locks.run(`volume:${id.resource}`, fn)

  /** Runs a LINSTOR call, turning its failure into a gRPC status. */
  async function linstor<T>(what: string, fn: () => Promise<T>, notFound?: GrpcStatusCode): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      throw grpcErrorFor(e, what, notFound)
    }
  }

  /** A mutation whose listed failure codes mean "already done" (a concurrent or earlier call did it). */
  async function tolerating(what: string, fn: () => Promise<unknown>, ...codes: bigint[]): Promise<void> {
    try {
      await fn()
    } catch (e) {
      if (!hasErrorCode(e, ...codes)) throw grpcErrorFor(e, what, GrpcStatus.FAILED_PRECONDITION)
    }
  }

  function parameters(raw: Record<string, string>): CsiParameters {
    const parsed = parseCsiParameters(raw, {topologyPrefix: ns})
    if (!parsed.ok) throw invalid(`invalid parameters: ${parsed.errors.join('; ')}`)
    return parsed.parameters
  }

  async function findVolume(id: VolumeId): Promise<CsiVolume | undefined> {
    const rd = await linstor(`look up volume ${formatVolumeId(id)}`, () => rest.resourceDefinition(id.resource))
    if (!rd) return undefined
    const vds = await linstor(`look up volume ${formatVolumeId(id)}`, () => rest.volumeDefinitions(id.resource))
    return vds ? csiVolumeOf(id, rd, vds) : undefined
  }

  // --- topology ---------------------------------------------------------------------------

  async function nodesOfSegments(segments: Segments): Promise<string[]> {
    const q = nodeQueryFor(segments, ns)
    if ('node' in q) return [q.node]
    return (await linstor('list nodes of a topology segment', () => rest.nodes(q.props.length ? {props: q.props} : {}))).map((n) => n.name)
  }

  /** Nodes satisfying the requisite topology (every node when there is none), as linstor-csi's GetAllTopologyNodes. */
  async function requisiteNodes(p: CsiParameters, requirement: TopologyRequirement | undefined): Promise<string[]> {
    let patterns = prunePatterns((requirement?.requisite ?? []).flatMap((t) => accessibleSegments(p.allowRemoteVolumeAccess, t.segments)))
    if (patterns.length === 0) patterns = [{}]
    const nodes = new Set<string>()
    for (const pattern of patterns) for (const n of await nodesOfSegments(pattern)) nodes.add(n)
    return [...nodes].sort()
  }

  async function diskfulOf(rd: string): Promise<string[]> {
    return diskfulNodes(await linstor(`list resources of ${rd}`, () => rest.resources(rd)) ?? [])
  }

  async function topologiesOf(rd: string, p: CsiParameters): Promise<{segments: Segments}[]> {
    const nodes = await diskfulOf(rd)
    if (nodes.length === 0) return []
    const details: Node[] = await linstor('look up nodes', () => rest.nodes({nodes}))
    return volumeTopologies(details.filter((n) => nodes.includes(n.name)), ns, p.allowRemoteVolumeAccess).map((segments) => ({segments}))
  }

  // --- reconcile, as linstor-csi: create what is missing, never shrink, never recreate ----

  async function reconcileResourceGroup(p: CsiParameters): Promise<ResourceGroup> {
    const name = p.resourceGroup
    const what = `resource group ${name}`
    let rg = await linstor(what, () => rest.resourceGroup(name))
    if (!rg) {
      await tolerating(`create ${what}`, () => rest.createResourceGroup({name, props: {}, select_filter: {}}), FAIL_EXISTS_RSC_GRP)
      rg = await linstor(what, () => rest.resourceGroup(name))
      if (!rg) throw new GrpcError(GrpcStatus.ABORTED, `${what} vanished while it was being created`)
    }
    const reconcile = csiResourceGroupReconcile(p, rg)
    if (!reconcile.ok) throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, `${what}: ${reconcile.error}`)
    if (reconcile.changed) await linstor(`modify ${what}`, () => rest.modifyResourceGroup(name, reconcile.modify), GrpcStatus.FAILED_PRECONDITION)
    return rg
  }

  async function reconcileResourceDefinition(rd: string, rg: string): Promise<void> {
    let def = await linstor(`resource definition ${rd}`, () => rest.resourceDefinition(rd))
    if (!def) {
      await tolerating(`create resource definition ${rd}`, () => rest.createResourceDefinition({resource_definition: {name: rd, resource_group_name: rg}}),
        FAIL_EXISTS_RSC_DFN)
      def = await linstor(`resource definition ${rd}`, () => rest.resourceDefinition(rd))
    }
    if (!def) throw new GrpcError(GrpcStatus.ABORTED, `resource definition ${rd} vanished while it was being created`)
    if ((def.flags ?? []).includes('DELETE')) throw new GrpcError(GrpcStatus.ABORTED, `resource definition ${rd} is being deleted`)
    if (def.resource_group_name !== rg) {
      throw new GrpcError(GrpcStatus.ALREADY_EXISTS, `resource definition ${rd} exists in resource group '${def.resource_group_name}', not '${rg}'`)
    }
  }

  async function reconcileVolumeDefinition(id: VolumeId, bytes: number, fsType: string | undefined, fsOpts: string): Promise<void> {
    const sizeKib = Math.ceil(bytes / 1024)
    const what = `volume definition ${formatVolumeId(id)}`
    let vd = await linstor(what, () => rest.volumeDefinition(id.resource, id.volumeNumber))
    if (!vd) {
      const props = csiFilesystemProps(fsType, fsOpts)
      await tolerating(`create ${what}`, () => rest.createVolumeDefinition(id.resource,
        {volume_definition: {volume_number: id.volumeNumber, size_kib: sizeKib, ...(Object.keys(props).length ? {props} : {})}}), FAIL_EXISTS_VLM_DFN)
      vd = await linstor(what, () => rest.volumeDefinition(id.resource, id.volumeNumber))
    }
    if (!vd) throw new GrpcError(GrpcStatus.ABORTED, `${what} vanished while it was being created`)
    // Only ever grow: a restored snapshot may be larger than asked for, and CSI has no shrink.
    if (Number(vd.size_kib) < sizeKib) {
      await linstor(`resize ${what}`, () => rest.modifyVolumeDefinition(id.resource, id.volumeNumber, {size_kib: sizeKib}))
    }
  }

  // --- placement ---------------------------------------------------------------------------

  async function autoplace(rd: string, body: AutoPlaceRequest): Promise<void> {
    await linstor(`place ${rd}`, () => rest.autoplace(rd, body), GrpcStatus.FAILED_PRECONDITION)
  }

  /** One replica reachable from `segments`: on its nodes, else on nodes the remote access policy lets reach it. */
  async function placeOnePreferred(rd: string, segments: Segments, p: CsiParameters, existing: readonly string[]): Promise<boolean> {
    const nodes = await nodesOfSegments(segments)
    if (nodes.some((n) => existing.includes(n))) return true
    for (const candidates of [nodes, ...await Promise.all(accessibleSegments(p.allowRemoteVolumeAccess, segments).map(nodesOfSegments))]) {
      if (candidates.length === 0) continue
      try {
        await rest.autoplace(rd, preferredAutoplace(candidates))
        return true
      } catch (e) {
        log.debug('preferred placement failed', {rd, nodes: candidates, error: e})
      }
    }
    return false
  }

  async function autoPlaceTopology(rd: string, p: CsiParameters, requirement: TopologyRequirement | undefined): Promise<void> {
    const requisite = await requisiteNodes(p, requirement)
    const existing = await diskfulOf(rd)
    if (placementSatisfied(existing, requisite, p.placementCount)) return
    for (const preferred of requirement?.preferred ?? []) {
      if (await placeOnePreferred(rd, preferred.segments, p, existing)) break
    }
    if (placementSatisfied(await diskfulOf(rd), requisite, p.placementCount)) return
    if (requisite.length > 0) {
      try {
        await rest.autoplace(rd, requisiteAutoplace(requisite, p.placementCount))
      } catch (e) {
        if (hasErrorCode(e, FAIL_NOT_ENOUGH_NODES)) {
          const where = requirement?.requisite.length ? ' on the requisite nodes' : ''
          throw new GrpcError(GrpcStatus.RESOURCE_EXHAUSTED, `cannot place ${p.placementCount} replica(s)${where}: ${grpcErrorFor(e, `place ${rd}`).message}`)
        }
        throw grpcErrorFor(e, `place ${rd} on requisite nodes`, GrpcStatus.FAILED_PRECONDITION)
      }
    }
    if (needsFill(requisite, p.placementCount)) await autoplace(rd, fillAutoplace())
  }

  async function manualPlacement(rd: string, p: CsiParameters): Promise<void> {
    const existing = new Set((await linstor(`list resources of ${rd}`, () => rest.resources(rd)) ?? []).map((r) => r.node_name))
    for (const body of csiManualResources(p, rd)) {
      const node = body.resource?.node_name ?? ''
      if (existing.has(node)) continue
      await tolerating(`create resource ${rd} on ${node}`, () => rest.createResource(rd, node, body), FAIL_EXISTS_RSC)
    }
  }

  async function place(rd: string, p: CsiParameters, requirement: TopologyRequirement | undefined): Promise<void> {
    switch (p.placementPolicy) {
      case 'Manual': return manualPlacement(rd, p)
      case 'AutoPlace': return autoplace(rd, fillAutoplace())
      // FollowTopology and Balanced need Kubernetes node labels; the topology-aware autoplace is their closest match.
      default: return autoPlaceTopology(rd, p, requirement)
    }
  }

  // --- content sources ---------------------------------------------------------------------

  async function waitUntil<T>(what: string, signal: AbortSignal, check: () => Promise<T | undefined>): Promise<T> {
    for (;;) {
      const done = await check()
      if (done !== undefined) return done
      log.debug(`waiting for ${what}`)
      await sleep(pollMs, signal).catch(() => {
        throw new GrpcError(GrpcStatus.ABORTED, `cancelled while waiting for ${what}`)
      })
    }
  }

  async function findSnapshotsByName(name: string): Promise<CsiSnapshot[]> {
    const all: LinstorSnapshot[] = await linstor('list snapshots', () => rest.snapshotView())
    return all.filter((s) => s.name === name).flatMap(csiSnapshotsOf)
  }

  /** The snapshots an id names: one for a full id, all of that name for a legacy (bare) one. */
  async function findSnapshots(id: SnapshotId): Promise<CsiSnapshot[]> {
    if (id.type === 'Unknown' && id.resource === '') return findSnapshotsByName(id.snapshot)
    const s = await linstor(`look up snapshot ${id.snapshot}`, () => rest.snapshot(id.resource, id.snapshot))
    return (s ? csiSnapshotsOf(s) : []).filter((x) => x.id.volumeNumber === id.volumeNumber)
  }

  /** Snapshots of one volume; none for an id that cannot be a volume (ListSnapshots answers empty, not an error). */
  async function snapshotsOfVolume(volumeId: string): Promise<CsiSnapshot[]> {
    let source: VolumeId
    try {
      source = parseVolumeId(volumeId)
    } catch {
      return []
    }
    const list = await linstor(`snapshots of ${source.resource}`, () => rest.snapshots(source.resource)) ?? []
    return list.flatMap(csiSnapshotsOf).filter((s) => s.id.volumeNumber === source.volumeNumber)
  }

  async function restoreFromSnapshot(target: VolumeId, snapshotIdText: string, p: CsiParameters, requirement: TopologyRequirement | undefined,
    call: CallContext): Promise<void> {
    let sid: SnapshotId
    try {
      sid = parseSnapshotId(snapshotIdText)
    } catch (e) {
      throw invalid(`CreateVolume: ${(e as Error).message}`)
    }
    const [snap, ...more] = await findSnapshots(sid)
    if (!snap) throw new GrpcError(GrpcStatus.NOT_FOUND, `CreateVolume: snapshot '${snapshotIdText}' not found`)
    if (more.length > 0) throw new GrpcError(GrpcStatus.NOT_FOUND, `CreateVolume: snapshot id '${snapshotIdText}' matches several snapshots`)
    const src = snap.id
    const nodes = await requisiteNodes(p, requirement)
    const preferredLists = await Promise.all((requirement?.preferred ?? []).map((t) => nodesOfSegments(t.segments)))
    const preferred = sortByPreference(nodes, preferredLists)
    const rg = await reconcileResourceGroup(p)
    await reconcileResourceDefinition(target.resource, rg.name ?? p.resourceGroup)
    const ready = await waitUntil(`snapshot ${src.snapshot} of ${src.resource}`, call.signal, async () => {
      const s = await linstor(`look up snapshot ${src.snapshot}`, () => rest.snapshot(src.resource, src.snapshot))
      if (!s) throw new GrpcError(GrpcStatus.NOT_FOUND, `CreateVolume: snapshot ${src.snapshot} of ${src.resource} is gone`)
      if ((s.flags ?? []).some((f) => f.startsWith('FAILED'))) throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, `snapshot ${src.snapshot} failed`)
      return (s.flags ?? []).includes('SUCCESSFUL') ? s : undefined
    })
    const vds = await linstor(`volume definitions of ${target.resource}`, () => rest.volumeDefinitions(target.resource)) ?? []
    if (vds.length === 0) {
      await tolerating(`restore volume definitions of ${target.resource}`, () => rest.restoreVolumeDefinitions(src.resource, src.snapshot,
        {to_resource: target.resource}), FAIL_EXISTS_VLM_DFN)
    }
    const resources = await linstor(`resources of ${target.resource}`, () => rest.resources(target.resource)) ?? []
    if (resources.length === 0) {
      const candidates = ready.nodes ?? []
      const online = new Set<string>()
      for (const n of candidates) {
        const node = await linstor(`node ${n}`, () => rest.node(n))
        if (node?.connection_status === 'ONLINE') online.add(n)
      }
      const node = restoreNode(candidates, online, preferred)
      if (!node) throw new GrpcError(GrpcStatus.UNAVAILABLE, `no node holding snapshot ${src.snapshot} (${candidates.join(', ')}) is online`)
      await tolerating(`restore ${target.resource} on ${node}`, () => rest.restoreResources(src.resource, src.snapshot,
        {to_resource: target.resource, nodes: [node]}), FAIL_EXISTS_RSC)
    }
  }

  async function cloneVolume(target: VolumeId, sourceIdText: string, p: CsiParameters, call: CallContext): Promise<void> {
    const sourceId = volumeIdOf('CreateVolume', sourceIdText)
    const source = await findVolume(sourceId)
    if (!source) throw new GrpcError(GrpcStatus.NOT_FOUND, `CreateVolume: source volume '${sourceIdText}' not found`)
    const rg = await reconcileResourceGroup(p)
    const status = await linstor(`clone status of ${target.resource}`, () => rest.cloneStatus(sourceId.resource, target.resource))
    if (!status) {
      await linstor(`clone ${sourceId.resource} to ${target.resource}`, () => rest.clone(sourceId.resource, {
        name: target.resource, layer_list: p.layerList, resource_group: rg.name ?? p.resourceGroup,
        delete_props: ['Aux/csi-provisioning-completed-by'],
      }), GrpcStatus.FAILED_PRECONDITION)
    }
    await waitUntil(`clone ${target.resource}`, call.signal, async () => {
      const s = await linstor(`clone status of ${target.resource}`, () => rest.cloneStatus(sourceId.resource, target.resource))
      if (!s || s.status === 'FAILED') throw new GrpcError(GrpcStatus.INTERNAL, `cloning ${sourceId.resource} to ${target.resource} failed`)
      return s.status === 'COMPLETE' ? true : undefined
    })
  }

  // --- delete --------------------------------------------------------------------------------

  /** Deletes the RD (and its group, unless shared or the default) once no resource or snapshot needs it. */
  async function deleteDefinitionIfUnused(rd: string): Promise<void> {
    const resources = await linstor(`resources of ${rd}`, () => rest.resources(rd))
    if (!resources || resources.some((r) => !(r.flags ?? []).includes('DELETE'))) return
    const snaps = await linstor(`snapshots of ${rd}`, () => rest.snapshots(rd))
    if (!snaps || snaps.some((s) => !(s.flags ?? []).includes('DELETE'))) return
    const def = await linstor(`resource definition ${rd}`, () => rest.resourceDefinition(rd))
    if (!def) return
    await linstor(`delete resource definition ${rd}`, () => rest.deleteResourceDefinition(rd))
    const rg = def.resource_group_name ?? DEFAULT_RESOURCE_GROUP
    if (rg === DEFAULT_RESOURCE_GROUP) return
    try {
      await rest.deleteResourceGroup(rg)
    } catch (e) {
      // Other definitions still use the group: it stays.
      if (!hasErrorCode(e, FAIL_EXISTS_RSC_DFN)) throw grpcErrorFor(e, `delete resource group ${rg}`)
    }
  }

  async function deleteVolume(id: VolumeId, signal: AbortSignal): Promise<void> {
    const rd = id.resource
    const gone = (e: unknown): boolean => e instanceof GrpcError && e.code === GrpcStatus.NOT_FOUND
    try {
      if (!await linstor(`volume definitions of ${rd}`, () => rest.volumeDefinitions(rd))) return
      await linstor(`modify ${rd}`, () => rest.modifyResourceDefinition(rd, {override_props: {[BALANCE_RESOURCES]: 'False'}}))
      const deadline = Date.now() + (deps.inUseTimeoutMs ?? 20_000)
      const resources: Resource[] = await waitUntil(`${rd} to be unused`, signal, async () => {
        const list = await linstor(`resources of ${rd}`, () => rest.resources(rd)) ?? []
        const inUse = list.filter((r) => r.state?.in_use === true).map((r) => r.node_name)
        if (inUse.length === 0) return list
        if (Date.now() > deadline) throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, `volume ${rd} is in use on ${inUse.join(', ')}`)
        return undefined
      })
      // Diskless replicas first: LINSTOR refuses to remove the last diskful one while clients remain.
      const ordered = [...resources].sort((a, b) => Number(!(a.flags ?? []).includes('DISKLESS')) - Number(!(b.flags ?? []).includes('DISKLESS')))
      for (const r of ordered) {
        await linstor(`delete ${rd} on ${r.node_name}`, () => rest.deleteResource(rd, r.node_name ?? '', false))
      }
      const vds = await linstor(`volume definitions of ${rd}`, () => rest.volumeDefinitions(rd)) ?? []
      for (const vd of [...vds].sort((a, b) => (b.volume_number ?? 0) - (a.volume_number ?? 0))) {
        await linstor(`delete volume definition ${vd.volume_number ?? 0} of ${rd}`, () => rest.deleteVolumeDefinition(rd, vd.volume_number ?? 0))
      }
      // The RD may stay (for its snapshots); it should not keep the balancing switch.
      await linstor(`modify ${rd}`, () => rest.modifyResourceDefinition(rd, {delete_props: [BALANCE_RESOURCES]}))
      await deleteDefinitionIfUnused(rd)
    } catch (e) {
      // Deleted meanwhile by someone else: what DeleteVolume wanted.
      if (!gone(e)) throw e
    }
  }

  // --- handlers ------------------------------------------------------------------------------

  type CreateVolumeReply = MessageInit<typeof CreateVolumeResponse>

  async function createVolume(req: CreateVolumeRequest, call: CallContext): Promise<CreateVolumeReply> {
    if (req.name === '') throw required('CreateVolume', 'name')
    if (req.volumeCapabilities.length === 0) throw required('CreateVolume', 'volume_capabilities')
    const p = parameters(req.parameters)
    const access = volumeAccess(req.volumeCapabilities, p.fsType || undefined)
    if (!access.ok) throw invalid(`CreateVolume ${req.name}: ${access.error}`)
    const fsType = access.access.kind === 'mount' ? access.access.fsType : undefined
    if (p.layerList[0] !== 'DRBD' && isMultiWriter(req.volumeCapabilities)) throw invalid('CreateVolume: ReadWriteMany volumes require a DRBD layer')
    const requiredBytes = bytesOf(req.capacityRange?.requiredBytes)
    const limitBytes = bytesOf(req.capacityRange?.limitBytes)
    if (limitBytes > 0 && requiredBytes > limitBytes) throw new GrpcError(GrpcStatus.OUT_OF_RANGE, `required ${requiredBytes} bytes exceeds the limit ${limitBytes}`)
    let bytes: number
    try {
      bytes = csiAllocationBytes(requiredBytes, limitBytes, fsType)
    } catch (e) {
      throw new GrpcError(GrpcStatus.OUT_OF_RANGE, `CreateVolume ${req.name}: ${(e as Error).message}`)
    }
    const pvc = req.parameters[PVC_NAME] && req.parameters[PVC_NAMESPACE] ? {name: req.parameters[PVC_NAME], namespace: req.parameters[PVC_NAMESPACE]} : undefined
    const fromPvc = p.usePvcName && pvc ? `${pvc.namespace}-${pvc.name}` : undefined
    const id: VolumeId = {resource: fromPvc && !csiResourceNameProblem(fromPvc) ? fromPvc : resourceNameFor(req.name), volumeNumber: 0}
    const respond = async (sizeBytes: number): Promise<CreateVolumeReply> => ({volume: {
      volumeId: formatVolumeId(id), capacityBytes: sizeBytes, volumeContext: volumeContextFor(p),
      ...(req.volumeContentSource ? {contentSource: req.volumeContentSource} : {}),
      accessibleTopology: await topologiesOf(id.resource, p),
    }})

    return lockVolume(id, async () => {
      const existing = await findVolume(id)
      if (existing && existing.fsType !== '' && fsType !== undefined && existing.fsType !== fsType) {
        throw new GrpcError(GrpcStatus.ALREADY_EXISTS, `CreateVolume ${req.name}: volume ${id.resource} exists with fs type '${existing.fsType}', not '${fsType}'`)
      }
      if (existing?.provisioned) {
        const conflict = createConflict(existing, {requiredBytes, limitBytes, resourceGroup: p.resourceGroup, fsType: fsType ?? ''})
        if (conflict) throw new GrpcError(GrpcStatus.ALREADY_EXISTS, `CreateVolume ${req.name}: volume ${id.resource} already exists, but ${conflict}`)
        return respond(existing.sizeBytes)
      }

      log.info('creating volume', {name: req.name, volume: id.resource, bytes, resourceGroup: p.resourceGroup})
      try {
        const source = req.volumeContentSource
        if (source?.snapshot) {
          if (source.snapshot.snapshotId === '') throw invalid('CreateVolume: empty snapshot_id in the content source')
          await restoreFromSnapshot(id, source.snapshot.snapshotId, p, req.accessibilityRequirements, call)
        } else if (source?.volume) {
          if (source.volume.volumeId === '') throw invalid('CreateVolume: empty volume_id in the content source')
          await cloneVolume(id, source.volume.volumeId, p, call)
        } else if (source) {
          throw invalid('CreateVolume: unknown content source')
        } else {
          const rg = await reconcileResourceGroup(p)
          await reconcileResourceDefinition(id.resource, rg.name ?? p.resourceGroup)
        }
        await reconcileVolumeDefinition(id, bytes, fsType, p.fsOpts)
        await place(id.resource, p, req.accessibilityRequirements)
        await linstor(`mark ${id.resource} provisioned`, () => rest.modifyResourceDefinition(id.resource,
          {override_props: provisionedProps(deps.version, p.qos, pvc)}))
      } catch (e) {
        // A half-made volume would block the retry (wrong group, no replicas): remove it, report the cause.
        const cause = e instanceof GrpcError ? e : grpcErrorFor(e, `CreateVolume ${req.name}`)
        // Not when nothing was made (bad request, missing source, no controller) or the RD belongs to another volume.
        const untouched: number[] = [GrpcStatus.INVALID_ARGUMENT, GrpcStatus.NOT_FOUND, GrpcStatus.ALREADY_EXISTS, GrpcStatus.UNAVAILABLE]
        if (!untouched.includes(cause.code)) {
          await deleteVolume(id, new AbortController().signal).catch((d: unknown) => log.warn('cleanup after failed create failed', {volume: id.resource, error: d}))
        }
        throw cause
      }
      const created = await findVolume(id)
      return respond(created?.sizeBytes ?? bytes)
    })
  }

  const controllerCapabilities = [
    ControllerRpcType.CREATE_DELETE_VOLUME, ControllerRpcType.PUBLISH_UNPUBLISH_VOLUME, ControllerRpcType.LIST_VOLUMES,
    ControllerRpcType.GET_CAPACITY, ControllerRpcType.CREATE_DELETE_SNAPSHOT, ControllerRpcType.LIST_SNAPSHOTS, ControllerRpcType.CLONE_VOLUME,
    ControllerRpcType.EXPAND_VOLUME, ControllerRpcType.VOLUME_CONDITION, ControllerRpcType.SINGLE_NODE_MULTI_WRITER,
  ]

  return {
    '/csi.v1.Controller/CreateVolume': createVolume,

    '/csi.v1.Controller/DeleteVolume': async (req, call) => {
      const id = volumeIdOf('DeleteVolume', req.volumeId)
      log.info('deleting volume', {volume: req.volumeId})
      await lockVolume(id, () => deleteVolume(id, call.signal))
      return {}
    },

    '/csi.v1.Controller/ControllerPublishVolume': async (req) => {
      const id = volumeIdOf('ControllerPublishVolume', req.volumeId)
      if (req.nodeId === '') throw required('ControllerPublishVolume', 'node_id')
      if (!req.volumeCapability) throw required('ControllerPublishVolume', 'volume_capability')
      const capability = req.volumeCapability
      return lockVolume(id, async () => {
        const volume = await findVolume(id)
        if (!volume) throw new GrpcError(GrpcStatus.NOT_FOUND, `ControllerPublishVolume: volume ${req.volumeId} not found`)
        const node = await linstor(`node ${req.nodeId}`, () => rest.node(req.nodeId))
        if (!node) throw new GrpcError(GrpcStatus.NOT_FOUND, `ControllerPublishVolume: node ${req.nodeId} not found`)
        if (node.connection_status !== 'ONLINE') {
          throw new GrpcError(GrpcStatus.NOT_FOUND, `ControllerPublishVolume: node ${req.nodeId} is ${node.connection_status ?? 'not connected'}`)
        }
        const resources = await linstor(`resources of ${id.resource}`, () => rest.resources(id.resource)) ?? []
        if (resources.length === 0) throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, `volume ${req.volumeId} has no deployed replica to attach`)
        const here = resources.find((r) => r.node_name === req.nodeId && !(r.flags ?? []).includes('DELETE'))
        if (!here && !disklessPossible(resources)) {
          throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, `volume ${req.volumeId} has no replica on ${req.nodeId}, and its layers (no DRBD or NVMe) cannot attach over the network`)
        }
        const othersInUse = resources.filter((r) => r.node_name !== req.nodeId && r.state?.in_use === true).length
        if (othersInUse >= 2) throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, `volume ${req.volumeId} is already in use on two other nodes`)
        const rwxBlock = capability.block !== undefined && capability.accessMode?.mode === AccessMode.MULTI_NODE_MULTI_WRITER
        if (othersInUse > 0 && rwxBlock) {
          await linstor(`allow two primaries on ${id.resource}`, () => rest.modifyResourceDefinition(id.resource, {override_props: {[ALLOW_TWO_PRIMARIES]: 'yes'}}))
        }
        await linstor(`attach ${id.resource} to ${req.nodeId}`, () => rest.makeAvailable(id.resource, req.nodeId, {}), GrpcStatus.FAILED_PRECONDITION)
        const vol = await linstor(`volume of ${id.resource} on ${req.nodeId}`, () => rest.volume(id.resource, req.nodeId, id.volumeNumber))
        if (!vol?.device_path) throw new GrpcError(GrpcStatus.INTERNAL, `ControllerPublishVolume ${req.volumeId}: no device path on ${req.nodeId}`)
        return {publishContext: publishContextFor({devicePath: vol.device_path, fsType: volume.fsType}, volume.auxProps)}
      })
    },

    '/csi.v1.Controller/ControllerUnpublishVolume': async (req) => {
      const id = volumeIdOf('ControllerUnpublishVolume', req.volumeId)
      if (req.nodeId === '') throw required('ControllerUnpublishVolume', 'node_id')
      return lockVolume(id, async () => {
        const resources = await linstor(`resources of ${id.resource}`, () => rest.resources(id.resource))
        if (!resources) return {}
        if (resources.filter((r) => r.state?.in_use === true).length === 1) {
          try {
            await rest.modifyResourceDefinition(id.resource, {delete_props: [ALLOW_TWO_PRIMARIES]})
          } catch (e) {
            const g = grpcErrorFor(e, `modify ${id.resource}`)
            if (g.code !== GrpcStatus.NOT_FOUND) throw g
          }
        }
        const vol = await linstor(`volume of ${id.resource} on ${req.nodeId}`, () => rest.volume(id.resource, req.nodeId, id.volumeNumber))
        // Only an attachment made for this node goes; replicas holding data stay.
        if (!vol || vol.provider_kind !== 'DISKLESS') return {}
        try {
          await rest.deleteResource(id.resource, req.nodeId, true)
        } catch (e) {
          if (!hasErrorCode(e, FAIL_IN_USE)) {
            const g = grpcErrorFor(e, `detach ${id.resource} from ${req.nodeId}`)
            if (g.code !== GrpcStatus.NOT_FOUND) throw g
          }
        }
        return {}
      })
    },

    '/csi.v1.Controller/ValidateVolumeCapabilities': async (req) => {
      const id = volumeIdOf('ValidateVolumeCapabilities', req.volumeId)
      if (req.volumeCapabilities.length === 0) throw required('ValidateVolumeCapabilities', 'volume_capabilities')
      const volume = await findVolume(id)
      if (!volume) throw new GrpcError(GrpcStatus.NOT_FOUND, `ValidateVolumeCapabilities: volume ${req.volumeId} not found`)
      const parsed = parseCsiParameters(req.parameters, {topologyPrefix: ns})
      if (!parsed.ok) return {message: `unsupported parameters: ${parsed.errors.join('; ')}`}
      const access = volumeAccess(req.volumeCapabilities, volume.fsType || undefined)
      if (!access.ok) return {message: access.error}
      if (access.access.kind === 'mount' && volume.fsType !== '' && access.access.fsType !== volume.fsType) {
        return {message: `the volume has a ${volume.fsType} filesystem, not ${access.access.fsType}`}
      }
      return {confirmed: {volumeCapabilities: req.volumeCapabilities, parameters: req.parameters, volumeContext: req.volumeContext,
        mutableParameters: req.mutableParameters}}
    },

    '/csi.v1.Controller/ListVolumes': async (req) => {
      const [rds, view] = await linstor('list volumes', () => Promise.all([rest.resourceDefinitions(), rest.resourceView()]))
      const volumes = rds.flatMap((rd) => {
        const v = csiVolumeOf({resource: rd.name ?? '', volumeNumber: 0}, rd, rd.volume_definitions ?? [])
        return v ? [v] : []
      }).sort((a, b) => (formatVolumeId(a.id) < formatVolumeId(b.id) ? -1 : 1))
      const paged = page(volumes, req.startingToken, req.maxEntries)
      if (!paged.ok) throw new GrpcError(GrpcStatus.ABORTED, `ListVolumes: ${paged.error}`)
      return {
        nextToken: paged.nextToken,
        entries: paged.entries.map((v) => ({
          volume: {volumeId: formatVolumeId(v.id), capacityBytes: v.sizeBytes},
          status: {volumeCondition: volumeCondition(view.filter((r) => r.name === v.id.resource))},
        })),
      }
    },

    '/csi.v1.Controller/GetCapacity': async (req) => {
      const p = parameters(req.parameters)
      const patterns = accessibleSegments(p.allowRemoteVolumeAccess, req.accessibleTopology?.segments ?? {})
      const [pools, allNodes] = await linstor('storage pools', () => Promise.all([rest.storagePools(), rest.nodes()]))
      let best = 0
      for (const pattern of patterns.length ? patterns : [{}]) {
        const nodes = placeableNodes(allNodes, await nodesOfSegments(pattern))
        let kib = 0
        for (const {pool, ratio} of countedPools(pools, {nodes, storagePools: p.storagePools, segmentPools: poolsOfSegments(pattern), overProvision: p.overProvision})) {
          const reserved = ratio === undefined ? 0 : reservedKib(await linstor('reserved capacity', () =>
            rest.resourceView({nodes: [pool.node_name ?? ''], storage_pools: [pool.storage_pool_name]})), pool.node_name ?? '', pool.storage_pool_name)
          kib += offeredKib(pool, ratio, reserved)
        }
        best = Math.max(best, kib)
      }
      return {availableCapacity: best * 1024}
    },

    '/csi.v1.Controller/ControllerGetCapabilities': () => ({capabilities: controllerCapabilities.map((type) => ({rpc: {type}}))}),

    '/csi.v1.Controller/CreateSnapshot': async (req) => {
      if (req.sourceVolumeId === '') throw required('CreateSnapshot', 'source_volume_id')
      if (req.name === '') throw required('CreateSnapshot', 'name')
      const source = volumeIdOf('CreateSnapshot', req.sourceVolumeId)
      const name = snapshotNameFor(req.name)
      return locks.run(`snapshot:${name}`, async () => {
        let found = await findSnapshotsByName(name)
        if (found.some((s) => s.id.resource !== source.resource || s.id.volumeNumber !== source.volumeNumber)) {
          throw new GrpcError(GrpcStatus.ALREADY_EXISTS, `CreateSnapshot: snapshot ${name} already exists for another volume`)
        }
        if (found.some((s) => s.failed)) {
          // A failed attempt is removed so that this call can take it again.
          for (const s of found) await linstor(`delete failed snapshot ${name}`, () => rest.deleteSnapshot(s.id.resource, s.id.snapshot))
          found = []
        }
        if (found.length === 0) {
          if (!await findVolume(source)) throw new GrpcError(GrpcStatus.NOT_FOUND, `CreateSnapshot: source volume ${req.sourceVolumeId} not found`)
          log.info('creating snapshot', {name, volume: req.sourceVolumeId})
          await linstor(`snapshot ${source.resource}`, () => rest.createSnapshots([{name, resource_name: source.resource}]), GrpcStatus.FAILED_PRECONDITION)
          found = (await findSnapshotsByName(name)).filter((s) => s.id.volumeNumber === source.volumeNumber)
        }
        const [snap] = found.filter((s) => s.id.volumeNumber === source.volumeNumber)
        if (!snap) throw new GrpcError(GrpcStatus.INTERNAL, `CreateSnapshot: snapshot ${name} of ${req.sourceVolumeId} not found after creating it`)
        return {snapshot: snapshotMessage(snap)}
      })
    },

    '/csi.v1.Controller/DeleteSnapshot': async (req) => {
      if (req.snapshotId === '') throw required('DeleteSnapshot', 'snapshot_id')
      let sid: SnapshotId
      try {
        sid = parseSnapshotId(req.snapshotId)
      } catch (e) {
        throw invalid(`DeleteSnapshot: ${(e as Error).message}`)
      }
      const targets = sid.type === 'Unknown' && sid.resource === '' ? (await findSnapshotsByName(sid.snapshot)).map((s) => s.id) : [sid]
      for (const t of targets) {
        log.info('deleting snapshot', {snapshot: t.snapshot, volume: t.resource})
        await linstor(`delete snapshot ${t.snapshot} of ${t.resource}`, () => rest.deleteSnapshot(t.resource, t.snapshot)).catch((e: GrpcError) => {
          if (e.code !== GrpcStatus.NOT_FOUND) throw e
        })
        await deleteDefinitionIfUnused(t.resource).catch((e: GrpcError) => {
          if (e.code !== GrpcStatus.NOT_FOUND) throw e
        })
      }
      return {}
    },

    '/csi.v1.Controller/ListSnapshots': async (req) => {
      let snaps: CsiSnapshot[]
      if (req.snapshotId !== '') {
        let sid: SnapshotId | undefined
        try {
          sid = parseSnapshotId(req.snapshotId)
        } catch {
          sid = undefined
        }
        snaps = sid ? await findSnapshots(sid) : []
      } else if (req.sourceVolumeId !== '') {
        snaps = await snapshotsOfVolume(req.sourceVolumeId)
      } else {
        snaps = (await linstor('list snapshots', () => rest.snapshotView())).flatMap(csiSnapshotsOf)
      }
      const sorted = snaps.map(snapshotMessage).sort((a, b) => (a.snapshotId < b.snapshotId ? -1 : a.snapshotId > b.snapshotId ? 1 : 0))
      const paged = page(sorted, req.startingToken, req.maxEntries)
      if (!paged.ok) throw new GrpcError(GrpcStatus.ABORTED, `ListSnapshots: ${paged.error}`)
      return {entries: paged.entries.map((snapshot) => ({snapshot})), nextToken: paged.nextToken}
    },

    '/csi.v1.Controller/ControllerExpandVolume': async (req) => {
      const id = volumeIdOf('ControllerExpandVolume', req.volumeId)
      if (!req.capacityRange) throw required('ControllerExpandVolume', 'capacity_range')
      const range = req.capacityRange
      return lockVolume(id, async () => {
        const volume = await findVolume(id)
        if (!volume) throw new GrpcError(GrpcStatus.NOT_FOUND, `ControllerExpandVolume: volume ${req.volumeId} not found`)
        const bytes = expandedBytes(range, volume)
        if (bytes > volume.sizeBytes) {
          log.info('expanding volume', {volume: req.volumeId, from: volume.sizeBytes, to: bytes})
          await linstor(`resize ${req.volumeId}`, () => rest.modifyVolumeDefinition(id.resource, id.volumeNumber, {size_kib: bytes / 1024}), GrpcStatus.FAILED_PRECONDITION)
        }
        return {capacityBytes: Math.max(bytes, volume.sizeBytes), nodeExpansionRequired: nodeExpansionRequired(req.volumeCapability, volume)}
      })
    },
  }
}

function expandedBytes(range: CapacityRange, volume: CsiVolume): number {
  const requiredBytes = bytesOf(range.requiredBytes)
  const limitBytes = bytesOf(range.limitBytes)
  try {
    return csiAllocationBytes(requiredBytes, limitBytes, volume.fsType || undefined)
  } catch (e) {
    throw new GrpcError(GrpcStatus.OUT_OF_RANGE, `ControllerExpandVolume: ${(e as Error).message}`)
  }
}

/** A filesystem grows on the node; a raw block device or a volume shared by several writers does not. */
export function nodeExpansionRequired(capability: VolumeCapability | undefined, volume: Pick<CsiVolume, 'fsType'>): boolean {
  if (!capability) return volume.fsType !== ''
  if (capability.block) return false
  const mode = capability.accessMode?.mode
  return mode !== AccessMode.MULTI_NODE_SINGLE_WRITER && mode !== AccessMode.MULTI_NODE_MULTI_WRITER
}
