// Snapshots: create (on every diskful node, or the ones named), list, delete, and restore into a
// new resource definition, roll back. Replies wait until the satellites have acted, as LINSTOR's do.
import type {Router} from 'express'
import {Rc, type ApiCallRc, type RcText} from '../../common/api-call-rc.ts'
import {nameKey} from '../../common/names.ts'
import {ApiFailure, asApiFailure} from '../model/api-failure.ts'
import {createSnapshot, markSnapshotDeleted, restoreResources, restoreVlmDfns, snapDfnsOf, snapshotView, snapsOf} from '../model/snapshot.ts'
import {rollbackSnapshot} from '../model/rollback.ts'
import {key2} from '../model/state.ts'
import {volumesOf} from '../../protocol/report-lookup.ts'
import {object} from '../../common/input.ts'
import type {RestDeps} from './deps.ts'
import {deletionReplies, deploymentReplies} from './deployment.ts'
import {mutation, queryList, sendJson, sendOne} from './reply.ts'

export function snapshotRoutes(r: Router, deps: RestDeps): void {
  const {store, link, ids} = deps

  r.get('/v1/view/snapshots', (req, res) => {
    const nodes = queryList(req, 'nodes')
    const rscs = queryList(req, 'resources')
    const names = queryList(req, 'snapshots')
    const list = Object.values(store.state.snapDfns)
      .filter((d) => (!rscs || rscs.has(nameKey(d.rscDfn))) && (!names || names.has(nameKey(d.name))))
      .filter((d) => !nodes || snapsOf(store.state, d.rscDfn, d.name).some((s) => nodes.has(nameKey(s.node))))
      .sort((a, b) => a.createTs - b.createTs)
    sendJson(res, 200, list.map((d) => snapshotView(store.state, d)))
  })

  r.get('/v1/resource-definitions/:rd/snapshots', (req, res) => {
    if (!store.state.rscDfns[nameKey(req.params.rd)]) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_RSC_DFN, `Resource definition '${req.params.rd}'`)
    sendJson(res, 200, snapDfnsOf(store.state, req.params.rd).map((d) => snapshotView(store.state, d)))
  })

  r.get('/v1/resource-definitions/:rd/snapshots/:snap', (req, res) => {
    const d = store.state.snapDfns[key2(req.params.rd, req.params.snap)]
    sendOne(res, d && snapshotView(store.state, d), Rc.FAIL_NOT_FOUND_SNAPSHOT_DFN, `Snapshot '${req.params.snap}' of resource '${req.params.rd}'`)
  })

  /** Takes one snapshot and waits for the satellites; fails with their errors if one could not. */
  async function take(rd: string, body: unknown, ok: (code: bigint, text: RcText) => ApiCallRc): Promise<ApiCallRc[]> {
    const {dfn, snaps, changes} = createSnapshot(store.state, rd, body, ids)
    await store.commit(changes)
    await link.kick(snaps.map((s) => s.node))
    const now = store.state.snapDfns[key2(dfn.rscDfn, dfn.name)]
    if (now?.flags.includes('SUCCESSFUL')) {
      return [ok(Rc.CREATED, {message: `New snapshot '${dfn.name}' of resource '${dfn.rscDfn}' registered.`,
        details: `Taken on ${snaps.map((s) => s.node).join(', ')}.`, obj_refs: {RscDfn: dfn.rscDfn, Snapshot: dfn.name}})]
    }
    const problems = snaps.flatMap((s) => {
      const rt = link.runtime(s.node)
      if (rt.status !== 'ONLINE') return [`node '${s.node}' is ${rt.status}`]
      return (rt.report?.snapshots ?? []).filter((x) => nameKey(x.rsc) === nameKey(dfn.rscDfn) && nameKey(x.snap) === nameKey(dfn.name) && x.error)
        .map((x) => `node '${s.node}': ${x.error}`)
    })
    throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: `Snapshot '${dfn.name}' of resource '${dfn.rscDfn}' was not taken on every node.`,
      details: problems.join('\n') || 'The satellites did not report it.', correction: 'Fix the cause and delete the snapshot, then take it again.'})
  }

  r.post('/v1/resource-definitions/:rd/snapshots', mutation({op: 'create', obj: 'snapshot', body: 'Snapshot'},
    async (req, _res, ok) => take(req.params.rd as string, req.body, ok), 201))

  r.post('/v1/actions/snapshot/multi', mutation({op: 'create', obj: 'snapshot', body: 'CreateMultiSnapshotRequest'}, async (req, _res, ok) => {
    const list = asApiFailure(() => object(req.body, 'multi-snapshot request').snapshots)
    if (!Array.isArray(list) || !list.length) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: "'snapshots' must be a non-empty list"})
    const out: ApiCallRc[] = []
    for (const s of list) out.push(...await take(String((s as {resource_name?: unknown}).resource_name ?? ''), s, ok))
    return out
  }, 201))

  r.delete('/v1/resource-definitions/:rd/snapshots/:snap', mutation({op: 'delete', obj: 'snapshot'}, async (req, _res, ok) => {
    const {rd, snap} = req.params as {rd: string, snap: string}
    const nodes = queryList(req, 'nodes')
    const what = `Snapshot '${snap}' of resource '${rd}'`
    const changes = markSnapshotDeleted(store.state, rd, snap, nodes ? [...nodes] : undefined)
    if (!changes) return [ok(Rc.WARN_NOT_FOUND, {message: `${what} not found.`, details: 'Nothing to delete.'})]
    await store.commit(changes)
    const onNodes = snapsOf(store.state, rd, snap).map((s) => s.node)
    return deletionReplies(deps, onNodes, () => snapsOf(store.state, rd, snap).filter((s) => s.flags.includes('DELETE')).map((s) => s.node), what, ok)
  }, 200))

  r.post('/v1/resource-definitions/:rd/snapshot-restore-volume-definition/:snap', mutation({op: 'create', obj: 'vlmDfn', body: 'SnapshotRestore'},
    async (req, _res, ok) => {
      const {target, changes} = restoreVlmDfns(store.state, req.params.rd as string, req.params.snap as string, req.body, ids)
      await store.commit(changes)
      return [ok(Rc.CREATED, {message: `Volume definitions of '${target.name}' restored from snapshot '${req.params.snap}' of '${req.params.rd}'.`})]
    }, 200))

  r.post('/v1/resource-definitions/:rd/snapshot-restore-resource/:snap', mutation({op: 'create', obj: 'rsc', body: 'SnapshotRestore'},
    async (req, _res, ok) => {
      const {rscs, changes} = restoreResources(store.state, req.params.rd as string, req.params.snap as string, req.body, ids)
      await store.commit(changes)
      return deploymentReplies(deps, rscs, ok)
    }, 200))

  r.post('/v1/resource-definitions/:rd/snapshot-rollback/:snap', mutation({op: 'modify', obj: 'rscDfn'}, async (req, _res, ok) => {
    const {rscs, changes} = rollbackSnapshot(store.state, req.params.rd as string, req.params.snap as string)
    await store.commit(changes)
    await deps.link.kick(rscs.map((r) => r.node))
    const what = `Resource '${req.params.rd}' rolled back to snapshot '${req.params.snap}'`
    const waiting = rscs.flatMap((r) => (store.state.rscs[key2(r.rscDfn, r.node)]?.rollbackTo ? [r] : []))
    if (!waiting.length) return [ok(Rc.MODIFIED, {message: `${what}.`})]
    return waiting.map((r) => {
      const rt = deps.link.runtime(r.node)
      const failed = volumesOf(rt.report, r.rscDfn).filter((v) => v.state === 'Failed')
      return ok(rt.status === 'ONLINE' && failed.length ? Rc.FAIL_UNKNOWN_ERROR : Rc.WARN_NOT_CONNECTED, {
        message: `${what}: not yet done on node '${r.node}'.`,
        details: failed.length ? failed.map((v) => v.error).join('\n') : `The satellite is ${rt.status}; it rolls back when it reconnects.`,
        correction: 'The satellite retries on every sync; keep the resource unused until it has.'})
    })
  }, 200))
}
