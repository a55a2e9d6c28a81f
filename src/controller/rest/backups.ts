// /v1/remotes/{remote}/backups: create, list, info, restore, abort and delete backups on an S3
// remote (backups/backups.ts does the work), with LINSTOR's bodies, query parameters and codes.
import type {Request, Router} from 'express'
import {rc, Rc, type ApiCallRc} from '../../common/api-call-rc.ts'
import {object, optBool, optString} from '../../common/input.ts'
import {REQUEST_SHIP_PATH, type Backups} from '../backups/backups.ts'
import type {ShipRequest} from '../model/snapshot-shipping.ts'
import {ApiFailure, asApiFailure} from '../model/api-failure.ts'
import {backupQueueView} from '../model/backup.ts'
import type {RestDeps} from './deps.ts'
import {mutation, queryList, sendJson, sendRcs, type Ctx} from './reply.ts'

const CTX: Ctx = {op: 'create', obj: 'backup'}

const need = (deps: RestDeps): Backups => {
  if (!deps.backups) throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: 'Backups are not available in this process.'})
  return deps.backups
}

const str = (o: Record<string, unknown>, f: string): string | undefined => optString(o[f], f) || undefined

function strMap(raw: unknown, field: string): Record<string, string> {
  const o = object(raw ?? {}, field)
  for (const [k, v] of Object.entries(o)) if (typeof v !== 'string' || !v) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `${field}: '${k}' needs a pool name.`})
  return o as Record<string, string>
}

const q = (req: Request, name: string): string | undefined => (typeof req.query[name] === 'string' && req.query[name] !== '' ? req.query[name] as string : undefined)
const qBool = (req: Request, name: string): boolean => /^(true|1|yes)$/i.test(q(req, name) ?? '')

export function backupRoutes(r: Router, deps: RestDeps): void {
  const remote = (req: Request): string => req.params.remote as string

  r.get('/v1/view/backup/queue', (req, res) => {
    sendJson(res, 200, backupQueueView(deps.store.state, {nodes: queryList(req, 'nodes'), snapshots: queryList(req, 'snapshots'),
      resources: queryList(req, 'resources'), remotes: queryList(req, 'remotes'), snapToNode: qBool(req, 'snap_to_node')}))
  })

  r.get('/v1/remotes/:remote/backups', async (req, res) => {
    try {
      sendJson(res, 200, await need(deps).listView(remote(req), {rsc: q(req, 'rsc_name'), snap: q(req, 'snap_name')}))
    } catch (e) {
      if (!(e instanceof ApiFailure)) throw e
      sendRcs(res, [rc(e.code, e.text, 'modify', 'backup')], 200)
    }
  })

  r.post('/v1/remotes/:remote/backups', mutation({...CTX, body: 'BackupCreate'}, async (req) => {
    const o = asApiFailure(() => object(req.body, 'backup'))
    const rsc = asApiFailure(() => str(o, 'rsc_name'))
    if (!rsc) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: 'rsc_name is required.'})
    const started = await need(deps).create(remote(req), {rsc, node: asApiFailure(() => str(o, 'node_name')),
      incremental: asApiFailure(() => optBool(o.incremental, 'incremental')) ?? false, snap: asApiFailure(() => str(o, 'snap_name') ?? str(o, 'dst_snap_name'))})
    return [rc(Rc.CREATED, {message: `${started.incremental ? 'Incremental backup' : 'Backup'} shipping of resource '${rsc}' to remote '${remote(req)}' in progress.`,
      details: `Snapshot '${started.snap}', backup id '${started.id}'.`, obj_refs: {BackupId: started.id, SnapshotName: started.snap}}, 'create', 'backup')]
  }, 201))

  const source = (o: Record<string, unknown>): {rsc?: string, snap?: string, id?: string} =>
    asApiFailure(() => ({rsc: str(o, 'src_rsc_name'), snap: str(o, 'src_snap_name'), id: str(o, 'last_backup')}))

  r.post('/v1/remotes/:remote/backups/restore', mutation({...CTX, body: 'BackupRestore'}, async (req) => {
    const o = asApiFailure(() => object(req.body, 'restore'))
    const target = asApiFailure(() => str(o, 'target_rsc_name'))
    const node = asApiFailure(() => str(o, 'node_name'))
    if (!target || !node) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: 'target_rsc_name and node_name are required.'})
    const s = await need(deps).restore(remote(req), source(o), {target, node, storPoolMap: asApiFailure(() => strMap(o.stor_pool_map, 'stor_pool_map')),
      downloadOnly: asApiFailure(() => optBool(o.download_only, 'download_only')) ?? false})
    return [rc(Rc.CREATED, {message: `Restoring backup '${s.backupId}' into resource '${s.rsc}' on node '${s.node}'${s.restore ? '' : ' (download only)'} in progress.`,
      obj_refs: {RscDfn: s.rsc, Snapshot: s.snap}}, 'create', 'backup')]
  }, 201))

  r.post('/v1/remotes/:remote/backups/ship', mutation({...CTX, body: 'BackupShip'}, async (req) => {
    const o = asApiFailure(() => object(req.body, 'ship'))
    const srcRsc = asApiFailure(() => str(o, 'src_rsc_name'))
    const dstRsc = asApiFailure(() => str(o, 'dst_rsc_name'))
    if (!srcRsc || !dstRsc) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: 'src_rsc_name and dst_rsc_name are required.'})
    const s = await need(deps).ship(remote(req), asApiFailure(() => ({srcRsc, dstRsc, srcNode: str(o, 'src_node_name'), dstNode: str(o, 'dst_node_name'),
      dstStorPool: str(o, 'dst_stor_pool'), storPoolRename: strMap(o.stor_pool_rename, 'stor_pool_rename'),
      downloadOnly: optBool(o.download_only, 'download_only') ?? false, snap: str(o, 'src_snap_name') ?? str(o, 'dst_snap_name'),
      allowIncremental: optBool(o.allow_incremental, 'allow_incremental') ?? true})))
    return [rc(Rc.CREATED, {message: `${s.base ? 'Incremental shipping' : 'Shipping'} of resource '${s.rsc}' to remote '${s.remote}' in progress.`,
      details: `Snapshot '${s.snap}' from node '${s.node}' to ${s.peer?.host}:${s.peer?.port}.`, obj_refs: {Snapshot: s.snap}}, 'create', 'backup')]
  }, 201))

  // The other cluster's controller asks this one to receive; LINSTOR's internal call, our body.
  r.post(REQUEST_SHIP_PATH, async (req, res) => {
    try {
      const o = asApiFailure(() => object(req.body, 'request'))
      const text = asApiFailure(() => ({srcClusterId: str(o, 'srcClusterId') ?? '', srcRsc: str(o, 'srcRsc') ?? '', dstRsc: str(o, 'dstRsc') ?? '', snap: str(o, 'snap') ?? ''}))
      const raw = o as Partial<ShipRequest>
      const body: ShipRequest = {...text, base: asApiFailure(() => str(o, 'base')), dstNode: asApiFailure(() => str(o, 'dstNode')),
        dstStorPool: asApiFailure(() => str(o, 'dstStorPool')), storPoolRename: asApiFailure(() => strMap(o.storPoolRename, 'storPoolRename')),
        downloadOnly: raw.downloadOnly === true, layerStack: Array.isArray(raw.layerStack) ? raw.layerStack.map(String) : ['STORAGE'],
        props: asApiFailure(() => strMap(o.props, 'props')), vlms: Array.isArray(raw.vlms) ? raw.vlms : []}
      if (!Array.isArray(body.vlms) || !body.vlms.every((v) => Number.isInteger(v.vlmNr) && Number.isInteger(v.sizeKib) && v.sizeKib > 0 && typeof v.pool === 'string')) {
        throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: 'The shipment request has no valid volume list.'})
      }
      sendJson(res, 200, await need(deps).acceptShip(body))
    } catch (e) {
      if (!(e instanceof ApiFailure)) throw e
      sendRcs(res, [rc(e.code, e.text, 'create', 'backup')], 200)
    }
  })

  r.post('/v1/remotes/:remote/backups/info', async (req, res) => {
    try {
      const o = asApiFailure(() => object(req.body, 'info'))
      sendJson(res, 200, await need(deps).info(remote(req), source(o), asApiFailure(() => strMap(o.stor_pool_map, 'stor_pool_map')), asApiFailure(() => str(o, 'node_name'))))
    } catch (e) {
      if (!(e instanceof ApiFailure)) throw e
      sendRcs(res, [rc(e.code, e.text, 'modify', 'backup')], 200)
    }
  })

  r.post('/v1/remotes/:remote/backups/abort', mutation({op: 'modify', obj: 'backup', body: 'BackupAbort'}, async (req): Promise<ApiCallRc[]> => {
    const o = asApiFailure(() => object(req.body, 'abort'))
    const rsc = asApiFailure(() => str(o, 'rsc_name'))
    if (!rsc) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: 'rsc_name is required.'})
    const create = asApiFailure(() => optBool(o.create, 'create')) ?? false
    const restore = asApiFailure(() => optBool(o.restore, 'restore')) ?? false
    // Neither named: both, as the linstor client sends it.
    const hit = await need(deps).abort(remote(req), rsc, create || restore ? {create, restore} : {create: true, restore: true})
    if (!hit.length) return [rc(Rc.WARN_NOT_FOUND, {message: `No shipment of resource '${rsc}' with remote '${remote(req)}' is running.`}, 'modify', 'backup')]
    return hit.map((s) => rc(Rc.MODIFIED, {message: `Aborted ${s.kind} of '${s.rsc}' (snapshot '${s.snap}').`}, 'modify', 'backup'))
  }, 200))

  r.delete('/v1/remotes/:remote/backups', mutation({op: 'delete', obj: 'backup'}, async (req): Promise<ApiCallRc[]> => {
    const query = {id: q(req, 'id'), idPrefix: q(req, 'id_prefix'), cascading: qBool(req, 'cascading'), timestamp: q(req, 'timestamp'),
      rsc: q(req, 'resource_name'), node: q(req, 'node_name'), all: qBool(req, 'all'), allLocalCluster: qBool(req, 'all_local_cluster'),
      s3key: q(req, 's3key') ?? q(req, 's3key_force'), dryRun: qBool(req, 'dryrun')}
    if (!query.id && !query.idPrefix && !query.timestamp && !query.rsc && !query.node && !query.all && !query.allLocalCluster && !query.s3key) {
      throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: 'Say which backups to delete: id, id_prefix, timestamp, resource_name, node_name, all, all_local_cluster or s3key.'})
    }
    const objects = await need(deps).deleteBackups(remote(req), query)
    if (!objects.length) return [rc(Rc.WARN_NOT_FOUND, {message: 'No backup matched; nothing was deleted.'}, 'delete', 'backup')]
    const verb = query.dryRun ? 'Would delete' : 'Deleted'
    return [rc(Rc.DELETED, {message: `${verb} ${objects.length} object(s) on remote '${remote(req)}'.`, details: objects.join('\n')}, 'delete', 'backup')]
  }, 200))
}
