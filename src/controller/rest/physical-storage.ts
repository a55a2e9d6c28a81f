// /v1/physical-storage: the unused disks of the nodes (`physical-storage list`) and turning some
// of them into a device pool, optionally with a Cairn storage pool on it (`create-device-pool`).
// The satellites decide what is unused; the controller asks, groups and records.
import type {Request, Router} from 'express'
import {Rc, rc, type ApiCallRc} from '../../common/api-call-rc.ts'
import {object, optBool, optEnum, optString, optStringList} from '../../common/input.ts'
import {compareNames, nameKey, nameProblem} from '../../common/names.ts'
import {PROTOCOL_VERSION} from '../../protocol/messages.ts'
import {DEVICE_POOL_PATH, PHYSICAL_DEVICES_PATH, defaultPoolName, devicePathOk, devicePoolKinds, devicePoolTarget,
  type DevicePoolKind, type DevicePoolReply, type DevicePoolRequest, type PhysicalDevice, type PhysicalDevicesReply} from '../../protocol/physical-storage.ts'
import type {PhysicalStorage, PhysicalStorageDevice, PhysicalStorageNode} from '../../api/wire.ts'
import {ApiFailure, asApiFailure} from '../model/api-failure.ts'
import {findNode, hasSatellite, type NodeRec} from '../model/node.ts'
import {createStorPool, providerKinds} from '../model/storage-pool.ts'
import {checkBody} from './body-check.ts'
import type {RestDeps} from './deps.ts'
import {mutation, page, sendJson, sendOne, sendRcs} from './reply.ts'

// ---- pure: grouping and views --------------------------------------------------------------

/**
 * LINSTOR's grouping: one entry per (size, rotational), smallest first and SSDs before spinning
 * disks of the same size, each listing per node the devices of that kind.
 */
export function groupPhysicalStorage(byNode: ReadonlyArray<readonly [string, readonly PhysicalDevice[]]>): PhysicalStorage[] {
  const groups = new Map<string, {size: number, rotational: boolean, nodes: Map<string, PhysicalStorageDevice[]>}>()
  for (const [node, devices] of [...byNode].sort((a, b) => compareNames(a[0], b[0]))) {
    for (const d of devices) {
      const key = `${d.size}/${d.rotational}`
      let g = groups.get(key)
      if (!g) groups.set(key, (g = {size: d.size, rotational: d.rotational, nodes: new Map()}))
      const list = g.nodes.get(node) ?? []
      list.push({device: d.device, model: d.model, serial: d.serial, wwn: d.wwn})
      g.nodes.set(node, list)
    }
  }
  return [...groups.values()]
    .sort((a, b) => a.size - b.size || Number(a.rotational) - Number(b.rotational))
    .map((g) => ({size: g.size, rotational: g.rotational, nodes: Object.fromEntries(g.nodes)}))
}

export const physicalStorageNodeView = (devices: readonly PhysicalDevice[]): PhysicalStorageNode[] =>
  devices.map((d) => ({size: d.size, rotational: d.rotational, device: d.device, model: d.model, serial: d.serial, wwn: d.wwn}))

// ---- pure: the create request --------------------------------------------------------------

export interface CreateSpec {
  /** What the satellite is asked for. */
  request: DevicePoolRequest
  /** The storage pool create body (as POST /v1/nodes/{node}/storage-pools takes it), with `with_storage_pool`. */
  storPool?: Record<string, unknown>
}

const invalid = (code: bigint, message: string, correction?: string): ApiFailure =>
  new ApiFailure(code, {message, ...(correction ? {correction} : {})})

/** Reads a PhysicalStorageCreate body; ApiFailure names the first bad field. */
export function readCreate(body: unknown): CreateSpec {
  return asApiFailure(() => {
    const o = object(body ?? null, 'physical storage create')
    let kind: DevicePoolKind | undefined
    try {
      const any = optEnum(o.provider_kind, 'provider_kind', providerKinds)
      if (any && !devicePoolKinds.includes(any as DevicePoolKind)) {
        throw invalid(Rc.FAIL_INVLD_PROVIDER, `A device pool cannot be of provider kind ${any}.`, `Use one of ${devicePoolKinds.join(', ')}.`)
      }
      kind = any as DevicePoolKind | undefined
    } catch (e) {
      throw e instanceof ApiFailure ? e : invalid(Rc.FAIL_INVLD_PROVIDER, (e as Error).message)
    }
    if (!kind) throw invalid(Rc.FAIL_INVLD_PROVIDER, "'provider_kind' is required.", `Use one of ${devicePoolKinds.join(', ')}.`)
    const paths = optStringList(o.device_paths, 'device_paths') ?? []
    if (!paths.length) throw invalid(Rc.FAIL_INVLD_REQUEST, "'device_paths' is empty.", 'Name at least one device, such as /dev/sdb (see `cairn physical-storage list`).')
    const badPath = paths.find((p) => !devicePathOk(p))
    if (badPath !== undefined) throw invalid(Rc.FAIL_INVLD_REQUEST, `'${badPath}' in 'device_paths' is not an absolute path under /dev/.`, 'Give device paths such as /dev/sdb or /dev/disk/by-id/....')
    const given = optString(o.pool_name, 'pool_name')
    const poolName = given || defaultPoolName(paths)
    const nameIssue = nameProblem('storage pool', poolName)
    if (nameIssue) {
      throw invalid(Rc.FAIL_INVLD_STOR_POOL_NAME, `Invalid pool name '${poolName}'${given ? '' : ' (derived from the first device)'}: ${nameIssue}`,
        'Give a pool_name of letters, digits, _ and -, starting with a letter or _.')
    }
    optEnum(o.raid_level, 'raid_level', ['JBOD'] as const)
    if (optBool(o.vdo_enable, 'vdo_enable')) throw invalid(Rc.FAIL_INVLD_REQUEST, 'VDO is not supported by Cairn.', 'Leave vdo_enable unset.')
    if (optBool(o.sed, 'sed')) throw invalid(Rc.FAIL_INVLD_REQUEST, 'Self-encrypting drives (sed) are not supported by Cairn.', 'Leave sed unset.')
    const args = (field: string): string[] | undefined => optStringList(o[field], field)
    const request: DevicePoolRequest = {
      protocol: PROTOCOL_VERSION, kind, devicePaths: paths, poolName,
      pvCreateArgs: args('pv_create_arguments'), vgCreateArgs: args('vg_create_arguments'),
      lvCreateArgs: args('lv_create_arguments'), zpoolCreateArgs: args('zpool_create_arguments'),
    }
    if (o.with_storage_pool === undefined || o.with_storage_pool === null) return {request}
    checkBody(o.with_storage_pool, 'PhysicalStorageStoragePoolCreate', 'with_storage_pool')
    const sp = object(o.with_storage_pool, 'with_storage_pool')
    const userProps = sp.props === undefined || sp.props === null ? {} : object(sp.props, 'with_storage_pool.props')
    // As LINSTOR: the pool's own driver property first, the client's props may override it.
    const storPool = {
      storage_pool_name: sp.name, provider_kind: kind,
      props: {'StorDriver/StorPoolName': storPoolNameProp(kind, poolName), ...userProps},
      shared_space: sp.shared_space, external_locking: sp.external_locking,
    }
    return {request, storPool}
  })
}

/** `StorDriver/StorPoolName` of a pool on the device pool: the VG, "VG/thinpool", or the zpool. */
export function storPoolNameProp(kind: DevicePoolKind, pool: string): string {
  const t = devicePoolTarget(kind, pool)
  return t.zpool ?? (t.thinPool ? `${t.vg}/${t.thinPool}` : t.vg ?? pool)
}

// ---- the routes ----------------------------------------------------------------------------

export function physicalStorageRoutes(r: Router, deps: RestDeps): void {
  const {store, link, ids, log} = deps

  async function devicesOf(node: NodeRec): Promise<PhysicalDevice[]> {
    const reply = await link.call(node.name, PHYSICAL_DEVICES_PATH, {}) as PhysicalDevicesReply
    if (reply.error) throw new Error(reply.error)
    if (!Array.isArray(reply.devices)) throw new Error('the satellite sent no device list')
    return reply.devices
  }

  const listError = (node: string, e: Error): ApiCallRc => rc(Rc.FAIL_UNKNOWN_ERROR, {
    message: `The physical storage of node '${node}' could not be listed: ${e.message}`,
    cause: 'The node did not answer, or could not run lsblk.', correction: 'Check `cairn node list` and the satellite log of the node.'})

  // Offline nodes are left out, as LINSTOR does; so is a node whose listing fails (logged).
  r.get('/v1/physical-storage', async (req: Request, res) => {
    const nodes = Object.values(store.state.nodes).filter((n) => hasSatellite(n.type) && link.runtime(n.name).status === 'ONLINE')
    const lists = await Promise.all(nodes.map(async (n) => {
      try {
        return [[n.name, await devicesOf(n)] as const]
      } catch (e) {
        log.warn('physical storage listing failed', {node: n.name, error: (e as Error).message})
        return []
      }
    }))
    sendJson(res, 200, page(req, groupPhysicalStorage(lists.flat())))
  })

  r.get('/v1/physical-storage/:node', async (req, res) => {
    const n = store.state.nodes[nameKey(req.params.node)]
    if (!n) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_NODE, `Node '${req.params.node}'`)
    try {
      if (!hasSatellite(n.type)) throw new Error(`it is a ${n.type} node, without a satellite`)
      sendJson(res, 200, physicalStorageNodeView(await devicesOf(n)))
    } catch (e) {
      sendRcs(res, [listError(n.name, e as Error)], 200)
    }
  })

  r.post('/v1/physical-storage/:node', mutation({op: 'create', obj: 'physicalDevice', body: 'PhysicalStorageCreate'}, async (req, _res, ok) => {
    const node = findNode(store.state, req.params.node as string)
    const spec = readCreate(req.body)
    if (!hasSatellite(node.type)) throw invalid(Rc.FAIL_INVLD_NODE_TYPE, `Node '${node.name}' is a ${node.type} node, without a satellite.`)
    // The storage pool is checked before any disk is touched, so that a bad name fails early.
    if (spec.storPool) createStorPool(store.state, node.name, spec.storPool, ids)

    let reply: DevicePoolReply
    try {
      reply = await link.call(node.name, DEVICE_POOL_PATH, spec.request) as DevicePoolReply
    } catch (e) {
      throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: `Node '${node.name}' could not be asked to create the device pool: ${(e as Error).message}`,
        cause: 'The satellite did not answer.', correction: 'Check `cairn node list`; send the request again once the node is Online.'})
    }
    if (reply.error) throw satelliteRefusal(node.name, reply)

    const done = (reply.messages ?? []).map((m) => ok(Rc.CREATED, {message: m, obj_refs: {PoolName: spec.request.poolName}}))
    if (!spec.storPool) return done
    try {
      const {pool, changes} = createStorPool(store.state, node.name, spec.storPool, ids)
      await store.commit(changes)
      await link.kick([pool.node])
      return [...done, rc(Rc.CREATED, {message: `Storage pool '${pool.name}' on node '${pool.node}' registered.`,
        details: `Storage pool '${pool.name}' on node '${pool.node}' UUID is: ${pool.uuid}`,
        obj_refs: {Node: pool.node, StorPoolDfn: pool.name, UUID: pool.uuid}}, 'create', 'storPool')]
    } catch (e) {
      // Only a change made meanwhile (the same pool created by another request) gets here.
      if (!(e instanceof ApiFailure)) throw e
      return [...done, rc(e.code, {...e.text, details: `The device pool was created on node '${node.name}', but not the storage pool.`,
        correction: 'Create the storage pool with `cairn storage-pool create` on the new device pool.'}, 'create', 'storPool')]
    }
  }, 201))
}

function satelliteRefusal(node: string, reply: DevicePoolReply): ApiFailure {
  if (reply.errorKind === 'refused') {
    return new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `Node '${node}' refused to create the device pool. ${reply.error ?? ''}`.trim(), details: reply.details,
      cause: 'Only whole disks that hold nothing (no partitions, signatures or mounts) can become a device pool, and the node needs the tools to make it.',
      correction: 'Choose devices that `cairn physical-storage list` shows for the node (or install what the message names), and send the request again.'})
  }
  return new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: `Creating the device pool on node '${node}' failed: ${reply.error ?? 'unknown error'}`, details: reply.details,
    cause: 'A command failed on the node; what had been created before it was removed again (see the details).',
    correction: 'Fix what the message names and send the request again.'})
}
