// Backups to an S3 remote, the decisions: which node ships, on which snapshot an incremental
// backup is based, what a restore creates and where. Pure; backups/backups.ts does the I/O.
import type {BackupInfo, BackupQueues, SnapQueue} from '../../api/wire.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {nameKey, nameProblem} from '../../common/names.ts'
import {backupId, backupSnapName, type BackupMeta, volumeKey} from '../backups/backup-meta.ts'
import {ApiFailure, type Ids} from './api-failure.ts'
import {findNode} from './node.ts'
import {createRscDfn, createVlmDfn, vlmDfnsOf, findRscDfn} from './resource-definition.ts'
import {isDiskless, rscsOf, type RscRec} from './resource.ts'
import {createSnapshot, snapDfnsOf, snapKey, type SnapRec} from './snapshot.ts'
import {activeShipments, freeSlots, SHIPPING_TARGET, shipmentKey, shippingSlots, SLOTS_PROP, type ShipmentRec} from './shipment.ts'
import {type Change, type ClusterState, key2} from './state.ts'
import {findStorPool, isThin} from './storage-pool.ts'

export const BackupRc = {
  FAIL_NOT_FOUND_BACKUP: Rc.FAIL_NOT_FOUND_SNAPSHOT,
  FAIL_BACKUP_RUNNING: Rc.FAIL_IN_USE,
} as const

export interface BackupRequest {rsc: string, node?: string, incremental: boolean, snap?: string}

/** Where a local snapshot of `rsc` exists and is complete, by node key. */
const completeSnapshotNodes = (state: ClusterState, rsc: string, snap: string): Set<string> => {
  const dfn = state.snapDfns[key2(rsc, snap)]
  if (!dfn?.flags.includes('SUCCESSFUL') || dfn.flags.includes('DELETE')) return new Set()
  return new Set(Object.values(state.snaps).filter((s: SnapRec) => nameKey(s.rscDfn) === nameKey(rsc) && nameKey(s.snap) === nameKey(snap) &&
    !s.flags.includes('DELETE')).map((s) => nameKey(s.node)))
}

/**
 * Plans a backup: the snapshot, the shipment record, the base (the newest backup of the
 * resource on the remote whose snapshot is still here, as LINSTOR does) and the node (the one
 * asked for if it can, else one holding the base, else any online diskful one).
 */
export function planBackup(state: ClusterState, remote: string, req: BackupRequest, backups: readonly BackupMeta[], online: (node: string) => boolean,
  ids: Ids): {shipment: ShipmentRec, changes: Change[], incremental: boolean} {
  const rd = findRscDfn(state, req.rsc)
  const running = activeShipments(state).find((s) => s.kind === 'backup' && nameKey(s.rsc) === nameKey(rd.name) && nameKey(s.remote) === nameKey(remote))
  if (running) {
    throw new ApiFailure(BackupRc.FAIL_BACKUP_RUNNING, {message: `A backup of resource '${rd.name}' to remote '${remote}' is already running (${running.backupId}).`,
      correction: 'Wait for it to finish, or abort it with `backup abort`.'})
  }
  const diskful = rscsOf(state, rd.name).filter((r) => !isDiskless(r) && !r.flags.includes('DELETE') && !r.flags.includes('INACTIVE'))
  const usable = diskful.filter((r) => online(r.node))
  if (!usable.length) {
    throw new ApiFailure(Rc.FAIL_NOT_ENOUGH_NODES, {message: `Resource '${rd.name}' has no diskful replica on an online node to back up from.`,
      details: diskful.length ? `Offline: ${diskful.map((r) => r.node).join(', ')}` : 'It has no diskful replica at all.'})
  }
  const ours = backups.filter((b) => nameKey(b.rsc) === nameKey(rd.name)).sort((a, b) => b.startTs - a.startTs)
  const base = req.incremental ? ours.find((b) => usable.some((r) => completeSnapshotNodes(state, rd.name, b.snap).has(nameKey(r.node)))) : undefined
  const holders = base ? completeSnapshotNodes(state, rd.name, base.snap) : undefined
  // A node whose slot limit is 0 never ships; among the others, the one asked for, else the one with most free slots.
  const shippers = usable.filter((r) => shippingSlots(state, r.node) > 0 && (!holders || holders.has(nameKey(r.node))))
  if (!shippers.length) {
    throw new ApiFailure(Rc.FAIL_NOT_ENOUGH_NODES, {message: `No node of resource '${rd.name}' may ship backups.`,
      cause: `${SLOTS_PROP} is 0 on ${shippingSlots(state, '') === 0 ? 'the controller' : 'every node that holds it'}.`,
      correction: `Raise ${SLOTS_PROP} (a negative value means no limit).`})
  }
  const asked = req.node ? shippers.find((r) => nameKey(r.node) === nameKey(req.node ?? '')) : undefined
  const rsc: RscRec = asked ?? [...shippers].sort((a, b) => freeSlots(state, b.node) - freeSlots(state, a.node))[0] as RscRec
  const snap = req.snap ?? backupSnapName(ids.now())
  const problem = nameProblem('snapshot', snap)
  if (problem) throw new ApiFailure(Rc.FAIL_INVLD_SNAPSHOT_NAME, {message: `Invalid snapshot name '${snap}': ${problem}`})
  if (backups.some((b) => b.id === backupId(rd.name, snap))) {
    throw new ApiFailure(Rc.FAIL_EXISTS_SNAPSHOT_DFN, {message: `Backup '${backupId(rd.name, snap)}' already exists on remote '${remote}'.`})
  }
  const taken = createSnapshot(state, rd.name, {name: snap, nodes: [rsc.node]}, ids)
  const shipment: ShipmentRec = {
    key: shipmentKey('backup', remote, rd.name, snap), kind: 'backup', remote, rsc: rd.name, snap, node: rsc.node, backupId: backupId(rd.name, snap),
    state: freeSlots(state, rsc.node) > 0 ? 'RUNNING' : 'QUEUED', startTs: ids.now(), ...(base ? {base: base.snap, basedOn: base.id} : {}),
    vlms: taken.dfn.vlms.map((v) => ({vlmNr: v.vlmNr, pool: rsc.pools[String(v.vlmNr)] ?? '', keys: [volumeKey(rd.name, v.vlmNr, snap)]})),
  }
  return {shipment, incremental: base !== undefined, changes: [...taken.changes, {t: 'shipments', k: shipment.key, v: shipment}]}
}

/** The metadata object of a finished backup shipment. */
export function backupMetaOf(state: ClusterState, s: ShipmentRec, clusterId: string, now: number): BackupMeta {
  const rd = state.rscDfns[nameKey(s.rsc)]
  const rsc = state.rscs[key2(s.rsc, s.node)]
  const dfn = state.snapDfns[key2(s.rsc, s.snap)]
  return {
    format: 'cairn-backup-v1', id: s.backupId ?? backupId(s.rsc, s.snap), rsc: s.rsc, snap: s.snap, node: s.node, clusterId, startTs: s.startTs, finishTs: now,
    ...(s.basedOn ? {basedOn: s.basedOn} : {}), layerStack: rsc?.layerStack ?? rd?.layerStack ?? ['STORAGE'],
    props: Object.fromEntries(Object.entries(rd?.props ?? {}).filter(([k]) => !k.startsWith('Cairn/'))),
    vlms: s.vlms.map((v) => ({vlmNr: v.vlmNr, sizeKib: dfn?.vlms.find((x) => x.vlmNr === v.vlmNr)?.sizeKib ?? 0, key: v.keys?.[0] ?? '', pool: v.pool,
      provider: state.storPools[key2(s.node, v.pool)]?.kind ?? 'FILE_THIN', imageSha256: v.imageSha256 ?? '', streamBytes: v.bytes ?? 0, finishedTs: now})),
  }
}

export interface RestoreRequest {target: string, node: string, storPoolMap: Record<string, string>, downloadOnly: boolean}

/** Target pool of each volume of the chain's last backup: renamed where asked, else the same name. */
export function restorePools(chain: readonly BackupMeta[], map: Record<string, string>): Map<number, string> {
  const last = chain[chain.length - 1] as BackupMeta
  const rename = new Map(Object.entries(map).map(([k, v]) => [nameKey(k), v]))
  return new Map(last.vlms.map((v) => [v.vlmNr, rename.get(nameKey(v.pool)) ?? v.pool]))
}

/**
 * Plans a restore of the chain (full first) into resource `target` on `node`: the definition
 * (created unless it exists without resources or snapshots), its volume definitions, and the
 * snapshot that the download fills; the resource follows once it arrived (unless download-only).
 */
export function planRestore(state: ClusterState, remote: string, chain: readonly BackupMeta[], req: RestoreRequest, ids: Ids): {shipment: ShipmentRec, changes: Change[]} {
  const last = chain[chain.length - 1] as BackupMeta
  const node = findNode(state, req.node)
  const pools = restorePools(chain, req.storPoolMap)
  for (const pool of new Set(pools.values())) {
    const sp = findStorPool(state, node.name, pool)
    if (!isThin(sp.kind)) {
      throw new ApiFailure(Rc.FAIL_INVLD_STOR_DRIVER, {message: `Storage pool '${sp.name}' on node '${node.name}' (${sp.kind}) cannot receive a backup.`,
        cause: 'A restore writes a snapshot, and only thin pools hold snapshots.', correction: 'Restore into a thin pool (--storpool-rename old=new).'})
    }
  }
  const changes: Change[] = []
  const existing = state.rscDfns[nameKey(req.target)]
  let rdName = req.target
  if (existing) {
    rdName = existing.name
    if (rscsOf(state, rdName).length || snapDfnsOf(state, rdName).length) {
      throw new ApiFailure(Rc.FAIL_EXISTS_RSC_DFN, {message: `Resource definition '${rdName}' already has resources or snapshots: a backup restores only into an empty one.`,
        correction: 'Choose a new target resource name.'})
    }
    if (vlmDfnsOf(state, rdName).length) {
      throw new ApiFailure(Rc.FAIL_EXISTS_VLM_DFN, {message: `Resource definition '${rdName}' already has volume definitions.`})
    }
  } else {
    const made = createRscDfn(state, {resource_definition: {name: req.target, props: last.props, layer_data: last.layerStack.map((type) => ({type}))}}, ids)
    changes.push(...made.changes)
  }
  const rd = existing ?? (changes[0]?.v as ReturnType<typeof findRscDfn>)
  const taken: number[] = []
  for (const v of [...last.vlms].sort((a, b) => a.vlmNr - b.vlmNr)) {
    const made = createVlmDfn(state, rd, {volume_definition: {volume_number: v.vlmNr, size_kib: v.sizeKib}}, ids, taken)
    if (made.vd.minor !== undefined) taken.push(made.vd.minor)
    changes.push(...made.changes)
  }
  const now = ids.now()
  const snapPools = Object.fromEntries([...pools].map(([nr, p]) => [String(nr), p]))
  changes.push({t: 'snapDfns', k: key2(rdName, last.snap), v: {rscDfn: rdName, name: last.snap, props: {}, flags: [], uuid: ids.uuid(), createTs: now,
    vlms: last.vlms.map((v) => ({vlmNr: v.vlmNr, sizeKib: v.sizeKib}))}})
  changes.push({t: 'snaps', k: snapKey(rdName, last.snap, node.name), v: {rscDfn: rdName, snap: last.snap, node: node.name, pools: snapPools,
    flags: [SHIPPING_TARGET], uuid: ids.uuid(), createTs: now}})
  const shipment: ShipmentRec = {
    key: shipmentKey('restore', remote, rdName, last.snap), kind: 'restore', remote, rsc: rdName, snap: last.snap, node: node.name, backupId: last.id,
    restore: !req.downloadOnly, state: 'RUNNING', startTs: now,
    vlms: last.vlms.map((v) => ({vlmNr: v.vlmNr, pool: pools.get(v.vlmNr) ?? v.pool,
      keys: chain.map((m) => m.vlms.find((x) => x.vlmNr === v.vlmNr)?.key ?? '')})),
  }
  changes.push({t: 'shipments', k: shipment.key, v: shipment})
  return {shipment, changes}
}

/** POST backups/info: what a restore of the chain downloads and needs, per target pool. */
export function backupInfoOf(chain: readonly BackupMeta[], map: Record<string, string>, free: (pool: string) => number | undefined,
  kind: (pool: string) => string | undefined): BackupInfo {
  const first = chain[0] as BackupMeta
  const last = chain[chain.length - 1] as BackupMeta
  const pools = restorePools(chain, map)
  const dl = (nr: number): number => Math.ceil(chain.reduce((n, m) => n + (m.vlms.find((v) => v.vlmNr === nr)?.streamBytes ?? 0), 0) / 1024)
  const byPool = new Map<string, BackupMeta['vlms']>()
  for (const v of last.vlms) {
    const p = pools.get(v.vlmNr) ?? v.pool
    byPool.set(p, [...(byPool.get(p) ?? []), v])
  }
  return {
    rsc: last.rsc, full: first.id, snap: last.snap, latest: last.id, count: chain.length,
    dl_size_kib: last.vlms.reduce((n, v) => n + dl(v.vlmNr), 0), alloc_size_kib: last.vlms.reduce((n, v) => n + v.sizeKib, 0),
    storpools: [...byPool].map(([name, vlms]) => {
      const alloc = vlms.reduce((n, v) => n + v.sizeKib, 0)
      const f = free(name)
      const k = kind(name) ?? vlms[0]?.provider
      return {name, ...(k ? {provider_kind: k as BackupInfo['storpools'][number]['provider_kind']} : {}), target_name: name,
        ...(f !== undefined ? {remaining_space_kib: f - alloc} : {}),
        vlms: vlms.map((v) => ({name: `${last.rsc}/${v.vlmNr}`, layer_type: 'STORAGE' as const, dl_size_kib: dl(v.vlmNr), alloc_size_kib: v.sizeKib, usable_size_kib: v.sizeKib}))}
    }),
  }
}

export interface QueueFilter {nodes?: Set<string>, snapshots?: Set<string>, resources?: Set<string>, remotes?: Set<string>, snapToNode: boolean}

/** GET /v1/view/backup/queue: the shipments waiting for a slot, by node (or, snap_to_node, by snapshot). Upper-cased filter names. */
export function backupQueueView(state: ClusterState, f: QueueFilter): BackupQueues {
  const queued = activeShipments(state).filter((s) => s.state === 'QUEUED' && (!f.nodes || f.nodes.has(nameKey(s.node))) &&
    (!f.snapshots || f.snapshots.has(nameKey(s.snap))) && (!f.resources || f.resources.has(nameKey(s.rsc))) && (!f.remotes || f.remotes.has(nameKey(s.remote))))
    .sort((a, b) => a.startTs - b.startTs)
  const item = (s: ShipmentRec): SnapQueue => ({resource_name: s.rsc, snapshot_name: s.snap, remote_name: s.remote, incremental: s.base !== undefined,
    ...(s.basedOn ? {based_on: s.basedOn} : {}), start_timestamp: s.startTs, pref_node: s.node})
  if (f.snapToNode) return {snap_queues: queued.map((s) => ({...item(s), queue: [{node_name: s.node}]}))}
  const nodes = [...new Set(queued.map((s) => s.node))]
  return {node_queues: nodes.map((n) => ({node_name: n, queue: queued.filter((s) => s.node === n).map(item)}))}
}
