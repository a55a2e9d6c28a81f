// Writing replies the way LINSTOR clients read them: empty fields left out, int64 exact, and
// ApiCallRc lists whose first error decides the HTTP status.
import type {Request, Response} from 'express'
import {httpStatus, rc, Rc, type ApiCallRc, type ObjKind, type OpKind, type RcText} from '../../common/api-call-rc.ts'
import {omitEmpty, stringify} from '../../common/json.ts'
import {ApiFailure} from '../model/api-failure.ts'
import {checkBody} from './body-check.ts'
import type {Change} from '../model/state.ts'
import type {Store} from '../store/store.ts'

export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(stringify(omitEmpty(body)))
}

/**
 * A JSON list of items already serialised (render-cache.ts), written in pieces of about a MiB with
 * its length: the whole list as one string, copied into one buffer, would cost twice its size at
 * once (tens of MiB for every resource of a big cluster) and the collector's work with it.
 */
export function sendJsonList(res: Response, items: readonly string[]): void {
  const bytes = items.reduce((n, s) => n + Buffer.byteLength(s), 0) + Math.max(0, items.length - 1) + 2
  res.status(200).type('application/json').set('content-length', String(bytes))
  let piece = '['
  items.forEach((s, i) => {
    piece += i ? `,${s}` : s
    if (piece.length < 2 ** 20) return
    res.write(piece)
    piece = ''
  })
  res.end(`${piece}]`)
}

export function sendRcs(res: Response, list: ApiCallRc[], successStatus: number): void {
  sendJson(res, httpStatus(list, successStatus), list)
}

/** A GET of one object: the object, or 404 with "<Type> '<name>' not found.". */
export function sendOne(res: Response, value: unknown, notFound: bigint, what: string): void {
  if (value === undefined) sendRcs(res, [rc(notFound, explained(notFound, {message: `${what} not found.`}))], 200)
  else sendJson(res, 200, value)
}

/** The call's operation and object (for the ret code masks), and the contract schema of its body. */
export interface Ctx {op: OpKind, obj: ObjKind, body?: string}

/** Wraps a mutation handler: the body is checked against the contract, ApiFailure becomes an error entry with the call's masks. */
export function mutation(ctx: Ctx, fn: (req: Request, res: Response, ok: (code: bigint, text: RcText) => ApiCallRc) => Promise<ApiCallRc[]>, successStatus: number) {
  return async (req: Request, res: Response): Promise<void> => {
    const ok = (code: bigint, text: RcText): ApiCallRc => rc(code, text, ctx.op, ctx.obj)
    try {
      if (ctx.body) checkBody(req.body, ctx.body)
      sendRcs(res, await fn(req, res, ok), successStatus)
    } catch (e) {
      if (e instanceof ApiFailure) sendRcs(res, [rc(e.code, explained(e.code, e.text), ctx.op, ctx.obj)], successStatus)
      else throw e
    }
  }
}

/**
 * Every refusal says why and what to do: specific texts come from where the error is raised;
 * these are the fall-backs by class of error.
 */
export function explained(code: bigint, text: RcText): RcText {
  if (text.cause && text.correction) return text
  const c = BigInt.asUintN(64, code) & 0x7FFFn
  const [cause, correction] =
    c >= 200n && c < 300n ? ['A value in the request is not valid.', 'Correct the value the message names and send the request again.']
      : c >= 300n && c < 400n ? ['The request names an object that does not exist.', 'Check the name with the matching list command (for example `cairn node list`).']
        : c >= 500n && c < 600n ? ['An object with this name already exists.', 'Choose another name, or modify or delete the existing object.']
          : c === 997n ? ['The object is in use.', 'Remove what uses it first.']
            : ['The request could not be carried out.', 'See the details; if they do not help, look at the controller log.']
  return {...text, cause: text.cause ?? cause, correction: text.correction ?? correction}
}

/** Query parameters that may repeat (`?nodes=a&nodes=b`) or be comma-separated; upper-cased. */
export function queryList(req: Request, name: string): Set<string> | undefined {
  const raw = req.query[name]
  if (raw === undefined) return undefined
  const list = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim().toUpperCase()).filter(Boolean)
  return list.length ? new Set(list) : undefined
}

/** `?props=Key=Value` filters: every given pair must match (a bare key must exist). */
export function propsFilter(req: Request): (props: Record<string, string>) => boolean {
  const raw = req.query.props
  const pairs = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String)
  return (props) => pairs.every((p) => {
    const eq = p.indexOf('=')
    return eq < 0 ? p in props : props[p.slice(0, eq)] === p.slice(eq + 1)
  })
}

/** A list endpoint's common filters: `?<nameParam>=` names, `?props=` and paging. */
export function listed<T>(req: Request, items: T[], nameParam: string, nameOf: (x: T) => string, propsOf: (x: T) => Record<string, string>): T[] {
  const names = queryList(req, nameParam)
  const props = propsFilter(req)
  return page(req, items.filter((x) => (!names || names.has(nameOf(x).toUpperCase())) && props(propsOf(x))))
}

/** `limit`/`offset` paging as LINSTOR's list endpoints take it. */
export function page<T>(req: Request, items: T[]): T[] {
  const offset = Math.max(0, Number(req.query.offset ?? 0) || 0)
  const limit = Number(req.query.limit ?? 0) || 0
  return limit > 0 ? items.slice(offset, offset + limit) : items.slice(offset)
}

export const unknownError = (message: string): ApiCallRc => rc(Rc.FAIL_UNKNOWN_ERROR, {message})

/** Deletes are idempotent: deleting what is already gone is a 200 with a warning. */
export const alreadyGone = (ok: (code: bigint, text: RcText) => ApiCallRc, what: string): ApiCallRc[] =>
  [ok(Rc.WARN_NOT_FOUND, {message: `${what} not found.`, details: 'Nothing to delete.'})]

/**
 * A delete that completes in the database alone: `changesOf` answers undefined when the object
 * is already gone (200 with a warning), else the changes that remove it.
 */
export function simpleDelete(store: Store, obj: ObjKind, what: (p: Record<string, string>) => string,
  changesOf: (p: Record<string, string>) => Change[] | undefined) {
  return mutation({op: 'delete', obj}, async (req, _res, ok) => {
    const p = req.params as Record<string, string>
    const changes = changesOf(p)
    if (!changes) return alreadyGone(ok, what(p))
    await store.commit(changes)
    return [ok(Rc.DELETED, {message: `${what(p)} deleted.`})]
  }, 200)
}
