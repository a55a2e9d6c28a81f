// Backups to S3 remotes: the imperative shell around model/backup.ts and model/shipment.ts. It
// reads and writes the bucket (metadata objects, listings, deletes), commits plans, nudges the
// satellites that run the transfers, and finishes shipments when their reports say done.
import {randomBytes} from 'node:crypto'
import {httpCall} from '../../api/http.ts'
import type {BackupInfo, BackupList} from '../../api/wire.ts'
import {createS3Client, type S3Client, type S3ClientOptions} from '../../api/s3-client.ts'
import {Rc} from '../../common/api-call-rc.ts'
import type {Logger} from '../../common/log.ts'
import {nameKey} from '../../common/names.ts'
import type {SatelliteLink} from '../link/satellite-link.ts'
import {ApiFailure, type Ids} from '../model/api-failure.ts'
import {backupInfoOf, backupMetaOf, BackupRc, planBackup, planRestore, type RestoreRequest} from '../model/backup.ts'
import {ctrlPropsOf} from '../model/controller-props.ts'
import {findRemote, RemoteRc, s3TargetOf, type LinstorRemoteRec, type S3RemoteRec} from '../model/remote.ts'
import {openerFor} from '../model/remote-secret.ts'
import {restoreResources} from '../model/snapshot.ts'
import {planReceive, planShipSource, startShipSend, type ShipReply, type ShipRequest} from '../model/snapshot-shipping.ts'
import {abortShipment, activeShipments, dropShipmentSnapshot, ended, progressShipments, startQueued, type ShipmentRec} from '../model/shipment.ts'
import {key2, type Change} from '../model/state.ts'
import type {ReportBook} from '../reports/report-book.ts'
import type {Store} from '../store/store.ts'
import {backupListView, chainOf, dependentsOf, metaKey, parseMeta, type BackupMeta, type RunningBackup} from './backup-meta.ts'
import type {BackupOutcome, BackupService, BackupStart} from './backup-service.ts'

export const CLUSTER_ID_PROP = 'Cluster/LocalID'

export interface BackupDeps {
  store: Store
  link: SatelliteLink
  ids: Ids
  log: Logger
  reports: ReportBook
  masterKey: () => Buffer | undefined
  s3Options?: S3ClientOptions
}

/** What DELETE /v1/remotes/{remote}/backups selects (LINSTOR's query parameters). */
export interface DeleteQuery {
  id?: string
  idPrefix?: string
  cascading: boolean
  /** `YYYYMMDD_HHMMSS`: backups started before it. */
  timestamp?: string
  rsc?: string
  node?: string
  all: boolean
  allLocalCluster: boolean
  s3key?: string
  dryRun: boolean
}

/** POST /v1/remotes/{remote}/backups/ship, read. */
export interface ShipBody {srcRsc: string, dstRsc: string, srcNode?: string, dstNode?: string, dstStorPool?: string, storPoolRename: Record<string, string>,
  downloadOnly: boolean, snap?: string, allowIncremental: boolean}

export const REQUEST_SHIP_PATH = '/v1/internal/backups/requestShip'
const SHIP_TIMEOUT_MS = 30_000

export interface Backups extends BackupService {
  /** Ships a snapshot of a resource to a LINSTOR remote; answers the sending shipment. */
  ship(remote: string, body: ShipBody): Promise<ShipmentRec>
  /** The target's side of ship(): gets a node ready to receive. */
  acceptShip(req: ShipRequest): Promise<ShipReply>
  listView(remote: string, filter: {rsc?: string, snap?: string}): Promise<BackupList>
  restore(remote: string, src: {rsc?: string, snap?: string, id?: string}, req: RestoreRequest): Promise<ShipmentRec>
  info(remote: string, src: {rsc?: string, snap?: string, id?: string}, map: Record<string, string>, node?: string): Promise<BackupInfo>
  /** Deletes what the query selects; answers the objects deleted (or, dry, that would be). */
  deleteBackups(remote: string, q: DeleteQuery): Promise<string[]>
  abort(remote: string, rsc: string, which: {create: boolean, restore: boolean}): Promise<ShipmentRec[]>
  /** After each satellite report: progress, finish and fail shipments. */
  onReport(): Promise<void>
  clusterId(): string
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export function createBackups(deps: BackupDeps): Backups {
  const {store, link, ids, log} = deps
  const metaCache = new Map<string, BackupMeta>()
  const finishing = new Set<string>()

  const linstorRemote = (name: string): LinstorRemoteRec => {
    const r = findRemote(store.state, name)
    if (!r) throw new ApiFailure(RemoteRc.FAIL_NOT_FOUND_REMOTE, {message: `Remote '${name}' not found.`, correction: 'Create it with `remote create linstor`.'})
    if (r.kind !== 'linstor') {
      throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `Remote '${r.name}' is an ${r.kind} remote: shipping goes to LINSTOR remotes.`,
        correction: `Use \`backup create ${r.name} …\` for S3.`})
    }
    return r
  }

  /** Asks the other cluster's controller to get ready; its refusal comes back as ours. */
  async function requestShip(r: LinstorRemoteRec, req: ShipRequest): Promise<ShipReply> {
    let reply
    try {
      reply = await httpCall(`${r.url}${REQUEST_SHIP_PATH}`, {method: 'POST', body: JSON.stringify(req), headers: {'content-type': 'application/json'},
        timeoutMs: SHIP_TIMEOUT_MS})
    } catch (e) {
      throw new ApiFailure(Rc.FAIL_NOT_CONNECTED, {message: `The controller of remote '${r.name}' (${r.url}) cannot be reached: ${(e as Error).message}`})
    }
    const body = JSON.parse(reply.text || 'null') as ShipReply | {message?: string, cause?: string, correction?: string}[] | null
    if (reply.status === 200 && body && !Array.isArray(body) && typeof body.port === 'number') return body
    const first = Array.isArray(body) ? body[0] : undefined
    throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: `Remote '${r.name}' refused the shipment: ${first?.message ?? `HTTP ${reply.status}`}`,
      ...(first?.cause ? {cause: first.cause} : {}), ...(first?.correction ? {correction: first.correction} : {})})
  }

  const s3Remote = (name: string): S3RemoteRec => {
    const r = findRemote(store.state, name)
    if (!r) {
      throw new ApiFailure(RemoteRc.FAIL_NOT_FOUND_REMOTE, {message: `Remote '${name}' not found.`,
        correction: 'Create it with `remote create s3`.'})
    }
    if (r.kind !== 's3') {
      throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `Remote '${r.name}' is a ${r.kind} remote: backups go to S3 remotes.`,
        correction: `Use \`backup ship ${r.name} …\` to ship to another cluster.`})
    }
    return r
  }
  const clientOf = (r: S3RemoteRec): S3Client => createS3Client(s3TargetOf(r, openerFor(deps.masterKey)), deps.s3Options)

  async function readBucket(r: S3RemoteRec): Promise<{keys: string[], metas: Map<string, BackupMeta>}> {
    const client = clientOf(r)
    const keys: string[] = []
    const metas = new Map<string, BackupMeta>()
    try {
      for await (const o of client.listAll()) keys.push(o.key)
      for (const k of keys.filter((x) => x.endsWith('.meta'))) {
        const cacheKey = `${r.uuid}/${k}`
        let m = metaCache.get(cacheKey)
        if (!m) {
          const obj = await client.getObject(k)
          const chunks: Buffer[] = []
          for await (const c of obj.body) chunks.push(c as Buffer)
          m = parseMeta(Buffer.concat(chunks).toString('utf8'))
          if (m) metaCache.set(cacheKey, m)
        }
        if (m) metas.set(m.id, m)
      }
    } catch (e) {
      if (e instanceof ApiFailure) throw e
      throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: `Remote '${r.name}' cannot be read: ${(e as Error).message}`,
        correction: 'Check the endpoint, bucket and keys with `remote list` and `remote modify s3`.'})
    }
    return {keys, metas}
  }

  const online = (node: string): boolean => link.runtime(node).status === 'ONLINE'

  function running(remote: string): RunningBackup[] {
    return activeShipments(store.state).filter((s) => s.kind === 'backup' && nameKey(s.remote) === nameKey(remote)).map((s) => ({
      id: s.backupId ?? '', rsc: s.rsc, snap: s.snap, node: s.node, startTs: s.startTs, basedOn: s.basedOn, vlmNrs: s.vlms.map((v) => v.vlmNr)}))
  }

  /** The backup a restore or info call means: by id, or the newest of a resource (and snapshot). */
  function pick(metas: Map<string, BackupMeta>, src: {rsc?: string, snap?: string, id?: string}): BackupMeta[] {
    let id = src.id
    if (!id) {
      const rsc = src.rsc
      if (!rsc) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: 'Name the backup: either its id (last_backup) or the source resource (src_rsc_name).'})
      const found = [...metas.values()].filter((m) => nameKey(m.rsc) === nameKey(rsc) && (!src.snap || nameKey(m.snap) === nameKey(src.snap)))
        .sort((a, b) => b.startTs - a.startTs)[0]
      if (!found) {
        throw new ApiFailure(BackupRc.FAIL_NOT_FOUND_BACKUP, {message: `No backup of resource '${rsc}'${src.snap ? ` with snapshot '${src.snap}'` : ''} on the remote.`})
      }
      id = found.id
    }
    try {
      return chainOf(metas, id)
    } catch (e) {
      throw new ApiFailure(BackupRc.FAIL_NOT_FOUND_BACKUP, {message: (e as Error).message})
    }
  }

  async function finishBackup(s: ShipmentRec): Promise<Change[]> {
    const r = findRemote(store.state, s.remote)
    try {
      if (r?.kind !== 's3') throw new Error(`remote '${s.remote}' is gone`)
      const meta = backupMetaOf(store.state, s, clusterId(), ids.now())
      await clientOf(r).putObject(metaKey(meta.id), JSON.stringify(meta, null, 1), {contentType: 'application/json'})
      metaCache.set(`${r.uuid}/${metaKey(meta.id)}`, meta)
      log.info('backup complete', {id: meta.id, remote: s.remote})
      return [{t: 'shipments', k: s.key, v: ended(s, 'SUCCEEDED', ids.now())}]
    } catch (e) {
      return failed(s, `Writing the metadata of backup '${s.backupId}' failed: ${(e as Error).message}`)
    }
  }

  /** A backup that did not finish leaves no objects behind (best effort: a failing remote may keep them). */
  async function dropObjects(s: ShipmentRec): Promise<void> {
    const r = findRemote(store.state, s.remote)
    if (s.kind !== 'backup' || r?.kind !== 's3') return
    const client = clientOf(r)
    for (const key of s.vlms.flatMap((v) => v.keys ?? [])) {
      await client.deleteObject(key).catch((e: unknown) => log.warn('could not delete the object of an unfinished backup', {key, error: (e as Error).message}))
    }
  }

  function failed(s: ShipmentRec, error: string): Change[] {
    void dropObjects(s)
    const id = deps.reports.add({module: 'shipping', message: error})
    log.warn('shipment failed', {shipment: s.key, report: id})
    const cur = store.state.shipments[s.key] ?? s
    return [{t: 'shipments', k: s.key, v: ended(cur, 'FAILED', ids.now(), error)}, ...(s.kind === 'backup' || s.kind === 'restore' ? dropShipmentSnapshot(store.state, s) : [])]
  }

  function finishRestore(s: ShipmentRec): Change[] | undefined {
    const dfn = store.state.snapDfns[key2(s.rsc, s.snap)]
    if (!dfn) return failed(s, `The snapshot '${s.snap}' of '${s.rsc}' that the restore filled is gone.`)
    if (dfn.flags.includes('FAILED_DEPLOYMENT')) return failed(s, `The restored snapshot '${s.snap}' of '${s.rsc}' could not be taken over by node '${s.node}'.`)
    if (!dfn.flags.includes('SUCCESSFUL')) return undefined
    const changes: Change[] = []
    if (s.restore) {
      try {
        changes.push(...restoreResources(store.state, s.rsc, s.snap, {to_resource: s.rsc, nodes: [s.node]}, ids).changes)
      } catch (e) {
        return failed(s, `Restoring resource '${s.rsc}' from snapshot '${s.snap}' failed: ${(e as Error).message}`)
      }
    }
    return [...changes, {t: 'shipments', k: s.key, v: ended(s, 'SUCCEEDED', ids.now())}]
  }

  function clusterId(): string {
    return ctrlPropsOf(store.state)[CLUSTER_ID_PROP] ?? ''
  }

  const settledState = (remote: string, rsc: string, snap: string): ShipmentRec | undefined =>
    Object.values(store.state.shipments).find((s) => s.kind === 'backup' && nameKey(s.remote) === nameKey(remote) && nameKey(s.rsc) === nameKey(rsc) &&
      nameKey(s.snap) === nameKey(snap))

  return {
    clusterId,
    async ship(remote, body) {
      const r = linstorRemote(remote)
      const plan = planShipSource(store.state, r.name, body.dstRsc, {rsc: body.srcRsc, node: body.srcNode, snap: body.snap, allowIncremental: body.allowIncremental},
        online, ids)
      const reply = await requestShip(r, {srcClusterId: clusterId(), srcRsc: body.srcRsc, dstRsc: body.dstRsc, snap: plan.snap, ...(plan.base ? {base: plan.base} : {}),
        ...(body.dstNode ? {dstNode: body.dstNode} : {}), ...(body.dstStorPool ? {dstStorPool: body.dstStorPool} : {}), storPoolRename: body.storPoolRename,
        downloadOnly: body.downloadOnly, layerStack: plan.layerStack, props: plan.props, vlms: plan.vlms})
      const started = startShipSend(store.state, r.name, body.srcRsc, body.dstRsc, plan, reply, ids)
      await store.commit(started.changes)
      void link.kick([started.shipment.node])
      return started.shipment
    },

    async acceptShip(req) {
      const plan = planReceive(store.state, req, online, randomBytes(24).toString('hex'), ids)
      await store.commit(plan.changes)
      void link.kick([plan.shipment.node])
      return plan.reply
    },

    async create(remote, req): Promise<BackupStart> {
      const r = s3Remote(remote)
      const {metas} = await readBucket(r)
      const plan = planBackup(store.state, r.name, req, [...metas.values()], online, ids)
      await store.commit(plan.changes)
      void link.kick([plan.shipment.node])
      return {id: plan.shipment.backupId ?? '', snap: plan.shipment.snap, incremental: plan.incremental}
    },

    async settled(remote, rsc, snap): Promise<BackupOutcome> {
      for (;;) {
        const s = settledState(remote, rsc, snap)
        if (!s) return {success: false, error: `no backup '${snap}' of '${rsc}' to '${remote}' is known`}
        if (s.state === 'SUCCEEDED') return {success: true}
        if (s.state === 'FAILED' || s.state === 'ABORTED') return {success: false, error: s.error}
        await sleep(250)
      }
    },

    async list(remote, rsc) {
      const view = await this.listView(remote, {rsc})
      return Object.values(view.linstor ?? {}).filter((b) => b.success).sort((a, b) => Number(a.start_timestamp ?? 0) - Number(b.start_timestamp ?? 0))
    },

    async remove(remote, id) {
      await this.deleteBackups(remote, {id, cascading: true, all: false, allLocalCluster: false, dryRun: false})
    },

    async listView(remote, filter) {
      const r = s3Remote(remote)
      // Running ones first: a backup that finishes meanwhile is then in one of the two.
      const shipping = running(r.name)
      const {keys, metas} = await readBucket(r)
      return backupListView(keys, metas, shipping, filter)
    },

    async restore(remote, src, req) {
      const r = s3Remote(remote)
      const {metas} = await readBucket(r)
      const chain = pick(metas, src)
      const plan = planRestore(store.state, r.name, chain, req, ids)
      await store.commit(plan.changes)
      void link.kick([plan.shipment.node])
      return plan.shipment
    },

    async info(remote, src, map, node) {
      const r = s3Remote(remote)
      const {metas} = await readBucket(r)
      const chain = pick(metas, src)
      const pool = (p: string): {freeKib?: number} | undefined => (node ? link.runtime(node).report?.pools[p] : undefined)
      return backupInfoOf(chain, map, (p) => pool(p)?.freeKib, (p) => (node ? store.state.storPools[key2(node, p)]?.kind : undefined))
    },

    async deleteBackups(remote, q) {
      const r = s3Remote(remote)
      const {keys, metas} = await readBucket(r)
      if (q.s3key) {
        if (!keys.includes(q.s3key)) throw new ApiFailure(BackupRc.FAIL_NOT_FOUND_BACKUP, {message: `Object '${q.s3key}' is not on remote '${r.name}'.`})
        if (!q.dryRun) await clientOf(r).deleteObject(q.s3key)
        return [q.s3key]
      }
      const all = [...metas.values()]
      const ts = q.timestamp ? Date.parse(q.timestamp.replace(/^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/, '$1-$2-$3T$4:$5:$6Z')) : undefined
      if (q.timestamp && Number.isNaN(ts)) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `Timestamp '${q.timestamp}' is not YYYYMMDD_HHMMSS.`})
      const selected = all.filter((m) => (q.all || (q.allLocalCluster && m.clusterId === clusterId())) ||
        ((q.id !== undefined || q.idPrefix !== undefined || q.rsc !== undefined || q.node !== undefined || ts !== undefined) &&
          (q.id === undefined || m.id === q.id) && (q.idPrefix === undefined || m.id.startsWith(q.idPrefix)) &&
          (q.rsc === undefined || nameKey(m.rsc) === nameKey(q.rsc)) && (q.node === undefined || nameKey(m.node) === nameKey(q.node)) &&
          (ts === undefined || m.startTs < ts)))
      if (q.id && !selected.length) throw new ApiFailure(BackupRc.FAIL_NOT_FOUND_BACKUP, {message: `Backup '${q.id}' is not on remote '${r.name}'.`})
      const doomed = new Map(selected.map((m) => [m.id, m]))
      for (const m of selected) {
        const deps2 = dependentsOf(all, m.id).filter((d) => !doomed.has(d.id))
        if (!deps2.length) continue
        if (!q.cascading) {
          throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Backup '${m.id}' is the base of ${deps2.map((d) => `'${d.id}'`).join(', ')}.`,
            correction: 'Add --cascade to delete those as well.'})
        }
        for (const d of deps2) doomed.set(d.id, d)
      }
      // Newest first, metadata before data: an interrupted delete never leaves a listed backup without its volumes.
      const order = [...doomed.values()].sort((a, b) => b.startTs - a.startTs)
      const objects = order.flatMap((m) => [metaKey(m.id), ...m.vlms.map((v) => v.key)]).filter((k) => keys.includes(k))
      if (!q.dryRun) {
        const client = clientOf(r)
        for (const k of objects) {
          await client.deleteObject(k)
          metaCache.delete(`${r.uuid}/${k}`)
        }
      }
      return objects
    },

    async abort(remote, rsc, which) {
      const hit = activeShipments(store.state).filter((s) => nameKey(s.remote) === nameKey(remote) && nameKey(s.rsc) === nameKey(rsc) &&
        ((which.create && (s.kind === 'backup' || s.kind === 'ship-send')) || (which.restore && (s.kind === 'restore' || s.kind === 'ship-receive'))))
      const changes = hit.flatMap((s) => [...abortShipment(s, ids.now()), ...dropShipmentSnapshot(store.state, s)])
      if (changes.length) await store.commit(changes)
      // Once the satellites dropped the transfers, whatever reached the bucket goes.
      await link.kick(hit.map((s) => s.node))
      for (const s of hit) await dropObjects(s)
      return hit
    },

    async onReport() {
      const before = new Map(activeShipments(store.state).map((s) => [s.key, s.state]))
      const progress = progressShipments(store.state, (n) => link.runtime(n).report, ids.now())
      const changes: Change[] = []
      for (const c of progress) {
        const s = c.v as ShipmentRec | undefined
        if (c.t === 'shipments' && s?.state === 'FAILED' && before.get(s.key) === 'RUNNING') changes.push(...failed(s, s.error ?? 'the transfer failed'))
        else changes.push(c)
      }
      const touched = new Set<string>()
      const commit = async (cs: Change[]): Promise<void> => {
        if (!cs.length) return
        await store.commit(cs)
        for (const c of cs) if (c.t === 'shipments' || c.t === 'snaps' || c.t === 'rscs') touched.add((c.v as {node?: string} | undefined)?.node ?? '')
      }
      await commit(changes)
      for (const s of activeShipments(store.state).filter((x) => x.state === 'FINISHING' && !finishing.has(x.key))) {
        finishing.add(s.key)
        try {
          const done = s.kind === 'backup' ? await finishBackup(s)
            : s.kind === 'ship-send' ? [{t: 'shipments' as const, k: s.key, v: ended(s, 'SUCCEEDED', ids.now())}]
              : finishRestore(s)
          if (done) await commit(done)
        } finally {
          finishing.delete(s.key)
        }
      }
      // Slots that the finished ones freed go to queued shipments.
      await commit(startQueued(store.state))
      // The next step of a shipment (a snapshot to report, a resource to create) should not wait for the periodic check.
      touched.delete('')
      if (touched.size) void link.kick([...touched])
    },
  }
}
