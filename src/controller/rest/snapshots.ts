// Snapshots. This build has no snapshot support in its storage providers yet, so no snapshot can
// exist: lists are truthfully empty (linstor-csi reads them on every volume delete), and a create
// is refused with the reason instead of pretending.
import type {Router} from 'express'
import {Rc} from '../../common/api-call-rc.ts'
import {nameKey} from '../../common/names.ts'
import {findRscDfn} from '../model/resource-definition.ts'
import type {RestDeps} from './deps.ts'
import {alreadyGone, mutation, sendJson, sendOne} from './reply.ts'
import {ApiFailure} from '../model/api-failure.ts'

export function snapshotRoutes(r: Router, deps: RestDeps): void {
  const {store} = deps
  r.get('/v1/view/snapshots', (_req, res) => sendJson(res, 200, []))

  r.get('/v1/resource-definitions/:rd/snapshots', (req, res) => {
    if (!store.state.rscDfns[nameKey(req.params.rd)]) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_RSC_DFN, `Resource definition '${req.params.rd}'`)
    sendJson(res, 200, [])
  })

  r.get('/v1/resource-definitions/:rd/snapshots/:snap', (req, res) => {
    sendOne(res, undefined, Rc.FAIL_NOT_FOUND_SNAPSHOT_DFN, `Snapshot '${req.params.snap}' of resource '${req.params.rd}'`)
  })

  r.post('/v1/resource-definitions/:rd/snapshots', mutation({op: 'create', obj: 'snapshot', body: 'Snapshot'}, async (req) => {
    const rd = findRscDfn(store.state, req.params.rd as string)
    throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: `Snapshot of '${rd.name}' not created: this Cairn version cannot take snapshots yet.`,
      cause: 'Snapshot support of the storage providers (LVM_THIN, ZFS, FILE_THIN) is not implemented in this build.'})
  }, 201))

  r.delete('/v1/resource-definitions/:rd/snapshots/:snap', mutation({op: 'delete', obj: 'snapshot'}, async (req, _res, ok) =>
    alreadyGone(ok, `Snapshot '${req.params.snap}' of resource '${req.params.rd}'`), 200))
}
