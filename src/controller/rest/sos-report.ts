// /v1/sos-report: a diagnostics archive of the chosen nodes and the controller. The plain GET
// writes it into the controller's sos directory and names the path (201); /download sends it.
import type {Request, Response, Router} from 'express'
import {rc, Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from '../model/api-failure.ts'
import {makeSosReport, writeSosReport, type SosDeps, type SosOptions} from '../reports/sos-collect.ts'
import type {RestDeps} from './deps.ts'
import {explained, queryList, sendRcs} from './reply.ts'

const bad = (message: string): ApiFailure => new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message})

/** The query as the contract has it: nodes, rscs, exclude, include-ctrl (default true), since (epoch ms). */
export function sosOptions(req: Request): SosOptions {
  const ctrl = req.query['include-ctrl']
  if (ctrl !== undefined && !['true', 'false'].includes(String(ctrl))) throw bad(`Query parameter 'include-ctrl' must be true or false, not '${String(ctrl)}'.`)
  const rawSince = req.query.since
  const since = rawSince === undefined || rawSince === '' ? undefined : Number(rawSince)
  if (since !== undefined && (!Number.isSafeInteger(since) || since < 0)) {
    throw bad(`Query parameter 'since' must be a time in milliseconds since 1970, not '${String(rawSince)}'.`)
  }
  return {filter: {nodes: queryList(req, 'nodes'), rscs: queryList(req, 'rscs'), exclude: queryList(req, 'exclude')}, includeCtrl: ctrl !== 'false', since}
}

export function sosReportRoutes(r: Router, deps: RestDeps): void {
  const {sos} = deps

  /** Runs `fn` with the report deps; a refusal becomes LINSTOR's error list. */
  const handle = (fn: (d: SosDeps, req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response): Promise<void> => {
    if (!sos) {
      sendRcs(res, [rc(Rc.FAIL_UNKNOWN_ERROR, {message: 'This controller is not set up to make SOS reports.',
        cause: 'It was started without a report directory.', correction: 'Run the controller through `cairn controller` or `cairn combined`.'})], 200)
      return
    }
    try {
      await fn({...deps, sos}, req, res)
    } catch (e) {
      if (!(e instanceof ApiFailure)) throw e
      sendRcs(res, [rc(e.code, explained(e.code, e.text))], 200)
    }
  }

  r.get('/v1/sos-report', handle(async (d, req, res) => {
    const path = await writeSosReport(d, sosOptions(req))
    sendRcs(res, [rc(Rc.CREATED, {message: `SOS Report created on Controller: ${path}`, details: path})], 201)
  }))

  r.get('/v1/sos-report/download', handle(async (d, req, res) => {
    const {filename, data} = await makeSosReport(d, sosOptions(req))
    res.status(200).set({'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${filename}"`,
      'content-length': String(data.length)}).end(data)
  }))
}
