// Shipments: a snapshot's volumes moving between a node and a remote (a backup to S3, a restore
// from it, a shipment to or from another cluster). The record is durable, so a controller
// restart resumes them; the satellites run the transfers (satellite/backup/) and report. Pure.
import {nameKey} from '../../common/names.ts'
import type {DesiredTransfer, SatelliteReport, TransferReport} from '../../protocol/messages.ts'
import {withFlag} from './flags.ts'
import {snapKey, type SnapRec} from './snapshot.ts'
import {type Change, type ClusterState, key2} from './state.ts'

export type ShipmentKind = 'backup' | 'restore' | 'ship-send' | 'ship-receive'
/** QUEUED: waiting for a free slot on its node (BackupShipping/MaxConcurrentBackupsPerNode). */
export type ShipmentState = 'QUEUED' | 'RUNNING' | 'FINISHING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED'

export interface ShipmentVlm {
  vlmNr: number
  pool: string
  /** S3: the object sent, or the chain received (full first). */
  keys?: string[]
  done?: boolean
  bytes?: number
  imageSha256?: string
}

export interface ShipmentRec {
  key: string
  kind: ShipmentKind
  remote: string
  /** The local resource definition and snapshot. */
  rsc: string
  snap: string
  node: string
  /** The local snapshot an incremental transfer is based on. */
  base?: string
  /** The backup's id on an S3 remote; `basedOn` the id of the backup it is incremental on. */
  backupId?: string
  basedOn?: string
  /** Ship (sending): the resource on the remote it goes to. */
  dstRsc?: string
  /** Ship: where the receiver listens; its one-time token (dropped once the shipment ends). */
  peer?: {host: string, port: number, token?: string}
  /** Restore / receive: make a resource from the snapshot on `node` once it arrived. */
  restore?: boolean
  state: ShipmentState
  startTs: number
  endTs?: number
  error?: string
  vlms: ShipmentVlm[]
}

export const SHIPPING_TARGET = 'SHIPPING_TARGET'
export const shipmentKey = (kind: ShipmentKind, remote: string, rsc: string, snap: string): string => `${kind.toUpperCase()}/${nameKey(remote)}/${key2(rsc, snap)}`
const transferId = (s: ShipmentRec, vlmNr: number): string => `${s.key}/${vlmNr}`

export const isActive = (s: ShipmentRec): boolean => s.state === 'QUEUED' || s.state === 'RUNNING' || s.state === 'FINISHING'
export const activeShipments = (state: ClusterState): ShipmentRec[] => Object.values(state.shipments).filter(isActive)

/** What the satellites' transfers need beyond the record: the remote's bucket and keys in the clear. */
export interface TransferSecrets {
  s3?: (remote: string) => {endpoint: string, bucket: string, region: string, usePathStyle: boolean, accessKey: string, secretKey: string} | undefined
}

/** The transfers `node` should run: one per volume of each running shipment there that is not done yet. */
export function desiredTransfersFor(state: ClusterState, node: string, secrets: TransferSecrets): DesiredTransfer[] {
  const out: DesiredTransfer[] = []
  for (const s of activeShipments(state)) {
    if (s.state !== 'RUNNING' || nameKey(s.node) !== nameKey(node)) continue
    const send = s.kind === 'backup' || s.kind === 'ship-send'
    const s3 = s.kind === 'backup' || s.kind === 'restore' ? secrets.s3?.(s.remote) : undefined
    // Without the master key the S3 keys cannot be opened: the transfer waits for it.
    if ((s.kind === 'backup' || s.kind === 'restore') && !s3) continue
    for (const v of s.vlms) {
      if (v.done) continue
      const t: DesiredTransfer = {id: transferId(s, v.vlmNr), direction: send ? 'send' : 'receive', rsc: s.rsc, vlmNr: v.vlmNr, pool: v.pool, snap: s.snap,
        ...(s.base ? {base: s.base} : {})}
      if (s3) {
        t.s3 = {endpoint: s3.endpoint, bucket: s3.bucket, region: s3.region, usePathStyle: s3.usePathStyle, keys: v.keys ?? []}
        t.secret = JSON.stringify({accessKey: s3.accessKey, secretKey: s3.secretKey})
      } else if (s.peer) {
        t.peer = {host: s.peer.host, port: s.peer.port}
        t.secret = s.peer.token
      }
      out.push(t)
    }
  }
  return out
}

/** The snapshots being received are not the satellite's to take: it gets them only once they arrived. */
export const isBeingReceived = (s: SnapRec): boolean => s.flags.includes(SHIPPING_TARGET)

/** Ends a shipment: its token goes, the time is kept. */
export const ended = (s: ShipmentRec, state: 'SUCCEEDED' | 'FAILED' | 'ABORTED', now: number, error?: string): ShipmentRec =>
  ({...s, state, endTs: now, ...(error ? {error} : {}), ...(s.peer ? {peer: {host: s.peer.host, port: s.peer.port}} : {})})

/**
 * From the satellites' reports: volumes done, shipments failed, and shipments whose volumes are
 * all done moved to FINISHING (the caller then does what follows: the metadata object, the
 * restore). A received snapshot loses SHIPPING_TARGET, so the satellite reports it.
 */
export function progressShipments(state: ClusterState, reportOf: (node: string) => SatelliteReport | undefined, now: number): Change[] {
  const changes: Change[] = []
  for (const s of activeShipments(state)) {
    if (s.state !== 'RUNNING') continue
    const report = reportOf(s.node)
    if (!report) continue
    const byId = new Map((report.transfers ?? []).map((t): [string, TransferReport] => [t.id, t]))
    const failed = s.vlms.map((v) => byId.get(transferId(s, v.vlmNr))).find((t) => t?.state === 'Failed')
    if (failed) {
      changes.push({t: 'shipments', k: s.key, v: ended(s, 'FAILED', now, failed.error)})
      continue
    }
    const vlms = s.vlms.map((v) => {
      const t = byId.get(transferId(s, v.vlmNr))
      return t?.state === 'Done' && !v.done ? {...v, done: true, bytes: t.bytes, imageSha256: t.trailer?.imageSha256} : v
    })
    if (vlms.every((v, i) => v === s.vlms[i])) continue
    const all = vlms.every((v) => v.done)
    changes.push({t: 'shipments', k: s.key, v: {...s, vlms, state: all ? 'FINISHING' : 'RUNNING'}})
    if (all && (s.kind === 'restore' || s.kind === 'ship-receive')) {
      const snap = state.snaps[snapKey(s.rsc, s.snap, s.node)]
      if (snap) changes.push({t: 'snaps', k: snapKey(s.rsc, s.snap, s.node), v: {...snap, flags: snap.flags.filter((f) => f !== SHIPPING_TARGET)}})
    }
  }
  return changes
}

export const SLOTS_PROP = 'BackupShipping/MaxConcurrentBackupsPerNode'

/**
 * How many shipments a node may send at once: the node's BackupShipping/MaxConcurrentBackupsPerNode,
 * else the controller's; negative or unset means no limit, 0 that it never ships (0 on the
 * controller: shipping is off), as in LINSTOR. Receiving takes no slot.
 */
export function shippingSlots(state: ClusterState, node: string): number {
  const raw = state.nodes[nameKey(node)]?.props[SLOTS_PROP] ?? state.ctrlProps.CTRL?.props[SLOTS_PROP]
  const n = raw === undefined ? -1 : Number.parseInt(raw, 10)
  return Number.isNaN(n) || n < 0 ? Number.POSITIVE_INFINITY : n
}

const sends = (s: ShipmentRec): boolean => s.kind === 'backup' || s.kind === 'ship-send'

/** Free sending slots of `node` now. */
export function freeSlots(state: ClusterState, node: string): number {
  const busy = activeShipments(state).filter((s) => sends(s) && s.state !== 'QUEUED' && nameKey(s.node) === nameKey(node)).length
  return shippingSlots(state, node) - busy
}

/** Queued shipments whose node has a free slot again start, oldest first. */
export function startQueued(state: ClusterState): Change[] {
  const free = new Map<string, number>()
  const changes: Change[] = []
  for (const s of activeShipments(state).filter((x) => x.state === 'QUEUED').sort((a, b) => a.startTs - b.startTs)) {
    const k = nameKey(s.node)
    const left = free.get(k) ?? freeSlots(state, s.node)
    if (left <= 0) continue
    free.set(k, left - 1)
    changes.push({t: 'shipments', k: s.key, v: {...s, state: 'RUNNING'}})
  }
  return changes
}

/** Abort: the transfers are dropped from the desired state, so the satellites stop them. */
export function abortShipment(s: ShipmentRec, now: number): Change[] {
  return [{t: 'shipments', k: s.key, v: ended(s, 'ABORTED', now, 'aborted by request')}]
}

/** Marks the snapshot of a shipment for deletion (a failed or aborted backup leaves none behind). */
export function dropShipmentSnapshot(state: ClusterState, s: ShipmentRec): Change[] {
  const snap = state.snaps[snapKey(s.rsc, s.snap, s.node)]
  const dfn = state.snapDfns[key2(s.rsc, s.snap)]
  return [...(dfn ? [{t: 'snapDfns' as const, k: key2(dfn.rscDfn, dfn.name), v: withFlag(dfn, 'DELETE')}] : []),
    ...(snap ? [{t: 'snaps' as const, k: snapKey(s.rsc, s.snap, s.node), v: withFlag(snap, 'DELETE')}] : [])]
}
