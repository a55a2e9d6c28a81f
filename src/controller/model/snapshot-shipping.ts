// Shipping a snapshot to a LINSTOR remote (another cluster, or this one through a remote that
// points back to it): the source asks the target to get ready, the target answers where its node
// listens (a port from SnapshotShipping/TcpPortRange) with a one-time token, and the source's
// node streams the snapshot there. The target accepts only clusters it has a remote for, by
// cluster id, as in LINSTOR. Pure.
import {Rc} from '../../common/api-call-rc.ts'
import {nameKey, nameProblem} from '../../common/names.ts'
import {lowestFree, shippingPortRange} from './allocation.ts'
import {ApiFailure, type Ids} from './api-failure.ts'
import {satelliteInterface} from './node.ts'
import {createRscDfn, createVlmDfn, findRscDfn, vlmDfnsOf} from './resource-definition.ts'
import {isDiskless, rscsOf} from './resource.ts'
import {createSnapshot, snapKey} from './snapshot.ts'
import {activeShipments, SHIPPING_TARGET, shipmentKey, type ShipmentRec} from './shipment.ts'
import {type Change, type ClusterState, key2} from './state.ts'
import {isThin} from './storage-pool.ts'
import {backupSnapName} from '../backups/backup-meta.ts'

/** What the source sends the target's controller (POST /v1/internal/backups/requestShip). */
export interface ShipRequest {
  srcClusterId: string
  srcRsc: string
  dstRsc: string
  snap: string
  /** The snapshot the source would send an incremental stream on, if the target still has it. */
  base?: string
  dstNode?: string
  dstStorPool?: string
  storPoolRename: Record<string, string>
  downloadOnly: boolean
  layerStack: string[]
  props: Record<string, string>
  vlms: {vlmNr: number, sizeKib: number, pool: string}[]
}

export interface ShipReply {host: string, port: number, token: string, node: string, base?: string}

const complete = (state: ClusterState, rsc: string, snap: string, node: string): boolean => {
  const dfn = state.snapDfns[key2(rsc, snap)]
  const s = state.snaps[snapKey(rsc, snap, node)]
  return !!dfn?.flags.includes('SUCCESSFUL') && !!s && !s.flags.includes('DELETE')
}

/**
 * The target's side: checks the sender, picks the node and pools, creates the definition (unless
 * it exists), the snapshot to fill and the receiving shipment. A definition that has resources
 * already only gets the snapshot (LINSTOR's rule: no restore over deployed data).
 */
export function planReceive(state: ClusterState, req: ShipRequest, online: (node: string) => boolean, token: string, ids: Ids): {shipment: ShipmentRec, reply: ShipReply, changes: Change[]} {
  const remote = Object.values(state.remotes).find((r) => r.kind === 'linstor' && r.clusterId === req.srcClusterId.toLowerCase())
  if (!remote) {
    throw new ApiFailure(Rc.FAIL_ACC_DENIED_COMMAND, {message: 'Unknown Cluster',
      cause: `No LINSTOR remote on this cluster has the cluster id '${req.srcClusterId}' of the sender.`,
      correction: 'Create one on this (the target) cluster: `remote create linstor --cluster-id <source cluster id> <name> <source controller>`.'})
  }
  const problem = nameProblem('resource', req.dstRsc) ?? nameProblem('snapshot', req.snap)
  if (problem) throw new ApiFailure(Rc.FAIL_INVLD_RSC_NAME, {message: problem})
  const existing = state.rscDfns[nameKey(req.dstRsc)]
  if (existing && state.snapDfns[key2(existing.name, req.snap)]) {
    throw new ApiFailure(Rc.FAIL_EXISTS_SNAPSHOT_DFN, {message: `Resource '${existing.name}' already has a snapshot '${req.snap}'.`})
  }
  if (existing && activeShipments(state).some((s) => s.kind === 'ship-receive' && nameKey(s.rsc) === nameKey(existing.name))) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: `A shipment into resource '${existing.name}' is already running.`})
  }
  const rename = new Map(Object.entries(req.storPoolRename).map(([k, v]) => [nameKey(k), v]))
  const poolOf = (src: string): string => req.dstStorPool ?? rename.get(nameKey(src)) ?? src
  const fits = (node: string): boolean => req.vlms.every((v) => {
    const sp = state.storPools[key2(node, poolOf(v.pool))]
    return !!sp && isThin(sp.kind)
  })
  // With a base, only a node that has it can take an incremental stream.
  const nodes = Object.values(state.nodes).filter((n) => online(n.name) && fits(n.name) && (!req.dstNode || nameKey(n.name) === nameKey(req.dstNode)))
  const withBase = req.base && existing ? nodes.find((n) => complete(state, existing.name, req.base as string, n.name)) : undefined
  const node = withBase ?? nodes[0]
  if (!node) {
    throw new ApiFailure(Rc.FAIL_NOT_ENOUGH_NODES, {message: `No online node ${req.dstNode ? `named '${req.dstNode}' ` : ''}has thin storage pools ` +
      `${[...new Set(req.vlms.map((v) => `'${poolOf(v.pool)}'`))].join(', ')} to receive the snapshot.`,
    correction: 'Name a target node and pool (--target-node, --target-storage-pool) or map the pools with --storpool-rename.'})
  }
  const netIf = satelliteInterface(node)
  if (!netIf) throw new ApiFailure(Rc.FAIL_NOT_FOUND_NET_IF, {message: `Node '${node.name}' has no network interface to receive on.`})
  const changes: Change[] = []
  let rdName = req.dstRsc
  if (existing) {
    rdName = existing.name
    const vds = vlmDfnsOf(state, rdName)
    if (vds.length !== req.vlms.length) throw new ApiFailure(Rc.FAIL_EXISTS_VLM_DFN, {message: `Resource definition '${rdName}' has other volumes than the snapshot.`})
  } else {
    const made = createRscDfn(state, {resource_definition: {name: req.dstRsc, props: req.props, layer_data: req.layerStack.map((type) => ({type}))}}, ids)
    changes.push(...made.changes)
    const rd = made.rd
    const taken: number[] = []
    for (const v of [...req.vlms].sort((a, b) => a.vlmNr - b.vlmNr)) {
      const vd = createVlmDfn(state, rd, {volume_definition: {volume_number: v.vlmNr, size_kib: v.sizeKib}}, ids, taken)
      if (vd.vd.minor !== undefined) taken.push(vd.vd.minor)
      changes.push(...vd.changes)
    }
  }
  const used = new Set(activeShipments(state).filter((s) => s.peer && s.kind === 'ship-receive').map((s) => s.peer?.port))
  const port = lowestFree((n) => used.has(n), shippingPortRange(state), 'snapshot shipping port')
  const now = ids.now()
  const pools = Object.fromEntries(req.vlms.map((v) => [String(v.vlmNr), poolOf(v.pool)]))
  changes.push({t: 'snapDfns', k: key2(rdName, req.snap), v: {rscDfn: rdName, name: req.snap, props: {}, flags: [], uuid: ids.uuid(), createTs: now,
    vlms: req.vlms.map((v) => ({vlmNr: v.vlmNr, sizeKib: v.sizeKib}))}})
  changes.push({t: 'snaps', k: snapKey(rdName, req.snap, node.name), v: {rscDfn: rdName, snap: req.snap, node: node.name, pools, flags: [SHIPPING_TARGET],
    uuid: ids.uuid(), createTs: now}})
  const base = withBase ? req.base : undefined
  const shipment: ShipmentRec = {
    key: shipmentKey('ship-receive', remote.name, rdName, req.snap), kind: 'ship-receive', remote: remote.name, rsc: rdName, snap: req.snap, node: node.name,
    ...(base ? {base} : {}), peer: {host: netIf.address, port, token}, restore: !req.downloadOnly && !(existing && rscsOf(state, rdName).length),
    state: 'RUNNING', startTs: now, vlms: req.vlms.map((v) => ({vlmNr: v.vlmNr, pool: poolOf(v.pool)})),
  }
  changes.push({t: 'shipments', k: shipment.key, v: shipment})
  return {shipment, changes, reply: {host: netIf.address, port, token, node: node.name, ...(base ? {base} : {})}}
}

export interface ShipSource {rsc: string, node?: string, snap?: string, allowIncremental: boolean}

/**
 * The source's side, before asking the target: the node that sends (the one named if it can,
 * else one holding the base) and the base (the newest snapshot this cluster shipped to that
 * remote and target resource and still has).
 */
export function planShipSource(state: ClusterState, remote: string, dstRsc: string, src: ShipSource, online: (node: string) => boolean,
  ids: Ids): {node: string, snap: string, base?: string, vlms: ShipRequest['vlms'], layerStack: string[], props: Record<string, string>} {
  const rd = findRscDfn(state, src.rsc)
  const diskful = rscsOf(state, rd.name).filter((r) => !isDiskless(r) && !r.flags.includes('DELETE') && online(r.node))
  if (!diskful.length) throw new ApiFailure(Rc.FAIL_NOT_ENOUGH_NODES, {message: `Resource '${rd.name}' has no diskful replica on an online node to ship from.`})
  const shipped = Object.values(state.shipments).filter((s) => s.kind === 'ship-send' && s.state === 'SUCCEEDED' && nameKey(s.remote) === nameKey(remote) &&
    nameKey(s.rsc) === nameKey(rd.name) && nameKey(s.dstRsc ?? '') === nameKey(dstRsc)).sort((a, b) => b.startTs - a.startTs)
  const last = src.allowIncremental ? shipped.find((s) => diskful.some((r) => complete(state, rd.name, s.snap, r.node))) : undefined
  const asked = src.node ? diskful.find((r) => nameKey(r.node) === nameKey(src.node ?? '')) : undefined
  const rsc = asked && (!last || complete(state, rd.name, last.snap, asked.node)) ? asked : diskful.find((r) => !last || complete(state, rd.name, last.snap, r.node))
  const chosen = rsc ?? diskful[0]
  if (!chosen) throw new ApiFailure(Rc.FAIL_NOT_ENOUGH_NODES, {message: `Resource '${rd.name}' has no node to ship from.`})
  const snap = src.snap ?? backupSnapName(ids.now())
  return {node: chosen.node, snap, ...(last ? {base: last.snap} : {}), layerStack: chosen.layerStack, props: rd.props,
    vlms: vlmDfnsOf(state, rd.name).map((v) => ({vlmNr: v.vlmNr, sizeKib: v.sizeKib, pool: chosen.pools[String(v.vlmNr)] ?? ''}))}
}

/** The source's snapshot and sending shipment, once the target said where to send. */
export function startShipSend(state: ClusterState, remote: string, srcRsc: string, dstRsc: string, plan: {node: string, snap: string},
  reply: ShipReply, ids: Ids): {shipment: ShipmentRec, changes: Change[]} {
  const rd = findRscDfn(state, srcRsc)
  const taken = createSnapshot(state, rd.name, {name: plan.snap, nodes: [plan.node]}, ids)
  const shipment: ShipmentRec = {
    key: shipmentKey('ship-send', remote, rd.name, plan.snap), kind: 'ship-send', remote, rsc: rd.name, snap: plan.snap, node: plan.node, dstRsc,
    ...(reply.base ? {base: reply.base} : {}), peer: {host: reply.host, port: reply.port, token: reply.token}, state: 'RUNNING', startTs: ids.now(),
    vlms: taken.dfn.vlms.map((v) => ({vlmNr: v.vlmNr, pool: state.rscs[key2(rd.name, plan.node)]?.pools[String(v.vlmNr)] ?? ''})),
  }
  return {shipment, changes: [...taken.changes, {t: 'shipments', k: shipment.key, v: shipment}]}
}
