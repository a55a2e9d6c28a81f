// /v1/files and /v1/resource-definitions/{rd}/files: external files and where they are deployed.
// File names travel URL-encoded (`%2Fetc%2Fdrbd-reactor.d%2Fx.toml`), as golinstor sends them.
import type {Request, Router} from 'express'
import {rc, Rc, type ApiCallRc, type RcText} from '../../common/api-call-rc.ts'
import {extFileAllowed, isFileDeployed} from '../../protocol/ext-file-path.ts'
import {deleteExtFile, extFileList, extFileReportOf, extFileView, findExtFile, putExtFile, readExtFileName,
  setExtFileDeployed} from '../model/external-file.ts'
import {findRscDfn} from '../model/resource-definition.ts'
import {rscsOfDfn} from '../model/state-index.ts'
import type {RestDeps} from './deps.ts'
import {mutation, sendJson, sendRcs} from './reply.ts'

const withContent = (req: Request): boolean => ['true', '1', ''].includes(String(req.query.content ?? 'false').toLowerCase())

export function externalFileRoutes(r: Router, deps: RestDeps): void {
  const {store, link} = deps

  /** Nodes whose resources require `path` after a change, and what each satellite then reported. */
  async function fileReplies(nodes: string[], path: string, deployed: boolean, ok: (code: bigint, text: RcText) => ApiCallRc): Promise<ApiCallRc[]> {
    await link.kick(nodes)
    const out: ApiCallRc[] = []
    for (const node of nodes) {
      const rt = link.runtime(node)
      const got = extFileReportOf(rt.report, path)
      if (rt.status !== 'ONLINE') {
        out.push(ok(Rc.WARN_NOT_CONNECTED, {message: `No connection to satellite '${node}'`,
          details: `External file '${path}' will be ${deployed ? 'written' : 'removed'} when the satellite connects.`}))
      } else if (got?.state === 'Failed') {
        const ids = got.errorSeq !== undefined && rt.report ? [deps.reports.idOf(node, rt.report.instance, got.errorSeq)] : []
        out.push({...ok(Rc.FAIL_UNKNOWN_ERROR, {message: `External file '${path}' could not be ${deployed ? 'written' : 'removed'} on node '${node}'.`,
          details: got.error ?? 'unknown error',
          correction: `Add a parent directory of '${path}' to the satellite's allowed external file directories ([files] allowExtFiles in cairn.toml, or --allow-ext-files).`}),
        ...(ids.length ? {error_report_ids: ids} : {})})
      }
    }
    return out
  }

  r.get('/v1/files', (req, res) => {
    sendJson(res, 200, extFileList(store.state, withContent(req)))
  })

  r.get('/v1/files/:file', (req, res) => {
    sendJson(res, 200, extFileView(findExtFile(store.state, readExtFileName(req.params.file)), true))
  })

  r.put('/v1/files/:file', mutation({op: 'modify', obj: 'extFiles', body: 'ExternalFile'}, async (req, _res, ok) => {
    const path = readExtFileName(req.params.file)
    const {changes, created} = putExtFile(store.state, path, req.body)
    await store.commit(changes)
    const nodes = Object.values(store.state.rscDfns).filter((rd) => isFileDeployed(rd.props, path))
      .flatMap((rd) => rscsOfDfn(store.state, rd.name).map((x) => x.node))
    return [ok(created ? Rc.CREATED : Rc.MODIFIED, {message: `External file '${path}' ${created ? 'registered' : 'modified'}.`}),
      ...await fileReplies([...new Set(nodes)], path, true, ok)]
  }, 200))

  r.delete('/v1/files/:file', mutation({op: 'delete', obj: 'extFiles'}, async (req, _res, ok) => {
    const path = readExtFileName(req.params.file)
    await store.commit(deleteExtFile(store.state, path))
    await link.kick()
    return [ok(Rc.DELETED, {message: `External file '${path}' deleted.`})]
  }, 200))

  r.get('/v1/files/:file/check/:node', (req, res) => {
    const path = readExtFileName(req.params.file)
    const report = link.runtime(req.params.node as string).report
    sendJson(res, 200, {allowed: extFileAllowed(report?.extFilesAllowed ?? [], path)})
  })

  r.get('/v1/files/:file/status/:node', async (req, res) => {
    const path = readExtFileName(req.params.file)
    const rt = link.runtime(req.params.node as string)
    if (rt.status !== 'ONLINE') return sendRcs(res, [rc(Rc.WARN_NOT_CONNECTED, {message: `No connection to satellite '${req.params.node}'.`})], 503)
    // A sync first: the satellite rewrites a file whose content drifted, so Present means it matches.
    await link.kick([req.params.node as string])
    const got = extFileReportOf(link.runtime(req.params.node as string).report, path)
    sendJson(res, 200, got?.state === 'Present' ? {actual_path: got.actualPath ?? path, content_match: true} : {content_match: false})
  })

  const deploy = (deployed: boolean) => mutation({op: 'modify', obj: 'rscDfn'}, async (req, _res, ok) => {
    const path = readExtFileName(req.params.file)
    const rd = findRscDfn(store.state, req.params.rd as string)
    const changes = setExtFileDeployed(store.state, rd.name, path, deployed)
    if (changes) await store.commit(changes)
    const nodes = rscsOfDfn(store.state, rd.name).map((x) => x.node)
    return [ok(Rc.MODIFIED, {message: `External file '${path}' ${deployed ? 'deployed with' : 'no longer deployed with'} resource definition '${rd.name}'.`,
      obj_refs: {RscDfn: rd.name}}), ...await fileReplies(nodes, path, deployed, ok)]
  }, 200)
  r.post('/v1/resource-definitions/:rd/files/:file', deploy(true))
  r.delete('/v1/resource-definitions/:rd/files/:file', deploy(false))
}
