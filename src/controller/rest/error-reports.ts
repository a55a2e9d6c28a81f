// /v1/error-reports and /v1/stats/error-reports: the controller's own failures and every
// satellite's, as `linstor err list/show/delete` read them.
import type {Request, Router} from 'express'
import type {ErrorReport, ErrorReportDelete} from '../../api/wire.ts'
import {rc, Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from '../model/api-failure.ts'
import {idOfFilename, type ReportQuery} from '../reports/error-report.ts'
import type {RestDeps} from './deps.ts'
import {explained, mutation, page, queryList, sendJson} from './reply.ts'

function timeParam(req: Request, name: string): number | undefined {
  const raw = req.query[name]
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `Query parameter '${name}' must be a time in milliseconds since 1970, not '${String(raw)}'.`})
  }
  return n
}

const queryOf = (req: Request): ReportQuery => ({nodes: queryList(req, 'node'), since: timeParam(req, 'since'), to: timeParam(req, 'to')})

/** `withContent` decides whether the (long) report text is sent. */
const shown = (list: ErrorReport[], withContent: boolean): ErrorReport[] => (withContent ? list : list.map(({text: _text, ...rest}) => rest))
const flag = (req: Request, name: string, dflt: boolean): boolean => (req.query[name] === undefined ? dflt : String(req.query[name]) === 'true')

export function errorReportRoutes(r: Router, deps: RestDeps): void {
  const {reports} = deps
  const guarded = (fn: (req: Request) => unknown) => (req: Request, res: Parameters<typeof sendJson>[0]): void => {
    try {
      sendJson(res, 200, fn(req))
    } catch (e) {
      if (!(e instanceof ApiFailure)) throw e
      // A malformed query is the client's mistake: 400, as for a body that cannot be parsed.
      sendJson(res, 400, [rc(e.code, explained(e.code, e.text))])
    }
  }

  r.get('/v1/error-reports', guarded((req) => shown(page(req, reports.list(queryOf(req))), flag(req, 'withContent', false))))

  r.get('/v1/error-reports/:id', (req, res) => {
    const report = reports.get(req.params.id)
    if (!report) {
      sendJson(res, 404, [rc(Rc.FAIL_UNKNOWN_ERROR, {message: `Error report '${req.params.id}' not found.`,
        cause: 'No report has this id, or it was deleted.', correction: "List the reports with 'cairn error-reports list'."})])
      return
    }
    sendJson(res, 200, shown([report], flag(req, 'withContent', true)))
  })

  r.get('/v1/stats/error-reports', (_req, res) => sendJson(res, 200, {count: reports.count()}))

  r.delete('/v1/error-reports/:id', mutation({op: 'delete', obj: 'ctrlConf'}, async (req, _res, ok) => {
    const n = await reports.remove({ids: new Set([idOfFilename(String(req.params.id)).toUpperCase()])})
    return [n ? ok(Rc.DELETED, {message: `Error report '${req.params.id}' deleted.`})
      : ok(Rc.WARN_NOT_FOUND, {message: `Error report '${req.params.id}' not found.`, details: 'Nothing to delete.'})]
  }, 200))

  r.patch('/v1/error-reports', mutation({op: 'delete', obj: 'ctrlConf', body: 'ErrorReportDelete'}, async (req, _res, ok) => {
    const b = (req.body ?? {}) as ErrorReportDelete
    const q: ReportQuery = {
      since: b.since === undefined ? undefined : Number(b.since), to: b.to === undefined ? undefined : Number(b.to),
      nodes: b.nodes?.length ? new Set(b.nodes.map((n) => n.toUpperCase())) : undefined,
      ids: b.ids?.length ? new Set(b.ids.map((i) => idOfFilename(i).toUpperCase())) : undefined,
      exception: b.exception, version: b.version,
    }
    const n = await reports.remove(q)
    return [ok(Rc.DELETED, {message: `${n} error report${n === 1 ? '' : 's'} deleted.`})]
  }, 200))
}
