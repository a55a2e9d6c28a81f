// A typed client for the REST API v1, used by the CLI, the drivers and the tests. int64-exact.
import {isError, type ApiCallRc} from '../common/api-call-rc.ts'
import {parse, stringify} from '../common/json.ts'
import type {Connection} from './connection.ts'
import {httpCall, TransportError, type HttpReply} from './http.ts'
import type {Node, ResourceDefinition, ResourceGroup, ResourceWithVolumes, StoragePool} from './wire.ts'

/** The controller could not be reached at all (the CLI exits 20). */
export class ConnectionError extends Error {}

/** The controller answered with an error list (the CLI exits 10). */
export class ApiError extends Error {
  readonly status: number
  readonly replies: ApiCallRc[]
  constructor(status: number, replies: ApiCallRc[]) {
    super(replies.find((r) => isError(r.ret_code))?.message ?? `HTTP ${status}`)
    this.status = status
    this.replies = replies
  }
}

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>

function queryString(q: Query = {}): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue
    for (const x of Array.isArray(v) ? v : [v]) p.append(k, String(x))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

/** A JSON answer, int64-exact; a status of 400 and above becomes an ApiError. */
function decode<T>(res: HttpReply): {status: number, data: T} {
  const text = res.text
  let data: unknown
  try {
    data = text ? parse(text) : undefined
  } catch {
    throw new ApiError(res.status, [{ret_code: -4611686018427386906n, message: `HTTP-Status(${res.status}): ${text.slice(0, 200)}`}])
  }
  if (res.status >= 400) throw new ApiError(res.status, Array.isArray(data) ? data as ApiCallRc[] : [])
  return {status: res.status, data: data as T}
}

export class LinstorClient {
  /** The controller that answered last; the others are tried in order when it does not. */
  base: string
  private readonly conn: Connection
  constructor(conn: string | Connection) {
    this.conn = typeof conn === 'string' ? {urls: [conn]} : conn
    this.base = (this.conn.urls[0] ?? 'http://localhost:3370').replace(/\/+$/, '')
  }

  async request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<{status: number, data: T}> {
    return decode<T>(await this.exchange(method, path, body, query))
  }

  /** The raw reply of the first controller that answers (after a redirect to its HTTPS). */
  private async exchange(method: string, path: string, body?: unknown, query?: Query): Promise<HttpReply> {
    const headers: Record<string, string> = {...(body === undefined ? {} : {'content-type': 'application/json'}),
      ...(this.conn.authorization ? {authorization: this.conn.authorization} : {})}
    const bases = [this.base, ...this.conn.urls.map((u) => u.replace(/\/+$/, '')).filter((u) => u !== this.base)]
    const failures: string[] = []
    let res: HttpReply | undefined
    for (const base of bases) {
      try {
        res = await httpCall(`${base}${path}${queryString(query)}`, {method, body: body === undefined ? undefined : stringify(body), headers, tls: this.conn.tls})
        this.base = base
        break
      } catch (e) {
        if (!(e instanceof TransportError)) throw e
        failures.push(`${base}: ${e.code} (${e.message})${/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(e.code) ? '; give the CA that signed the controller\'s certificate with --cafile or LS_ROOT_CA_FILE' : ''}`)
      }
    }
    if (!res) throw new ConnectionError(`Unable to connect to ${failures.join('; ')}`)
    // A controller with HTTPS on redirects HTTP requests there, as LINSTOR does; follow it, but only upwards to HTTPS.
    const location = res.headers.location
    if ([301, 302, 307, 308].includes(res.status) && typeof location === 'string' && location.startsWith('https://')) {
      try {
        res = await httpCall(location, {method, body: body === undefined ? undefined : stringify(body), headers, tls: this.conn.tls})
      } catch (e) {
        if (!(e instanceof TransportError)) throw e
        throw new ConnectionError(`Unable to connect to ${location} (the controller's HTTPS, where ${this.base} redirects): ${e.code} (${e.message})`)
      }
    }
    return res
  }

  private async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.request<T>('GET', path, undefined, query)).data
  }

  /** A GET whose answer is a file: its bytes and the name the server gives it. An error list becomes an ApiError. */
  async download(path: string, query?: Query): Promise<{filename?: string, data: Buffer}> {
    const res = await this.exchange('GET', path, undefined, query)
    if (res.status !== 200 || String(res.headers['content-type'] ?? '').includes('json')) {
      const {status, data} = decode<unknown>(res)
      throw new ApiError(status, Array.isArray(data) ? data as ApiCallRc[] : [])
    }
    const disposition = /filename="?([^";]+)"?/.exec(String(res.headers['content-disposition'] ?? ''))
    return {filename: disposition?.[1], data: res.body}
  }

  async mutate(method: 'POST' | 'PUT' | 'DELETE' | 'PATCH', path: string, body?: unknown): Promise<ApiCallRc[]> {
    const {status, data} = await this.request<ApiCallRc[]>(method, path, body)
    const replies = Array.isArray(data) ? data : []
    if (replies.some((r) => isError(r.ret_code))) throw new ApiError(status, replies)
    return replies
  }

  version = (): Promise<{version: string, git_hash?: string, build_time: string, rest_api_version?: string}> => this.get('/v1/controller/version')
  nodes = (q?: Query): Promise<Node[]> => this.get('/v1/nodes', q)
  storagePools = (q?: Query): Promise<StoragePool[]> => this.get('/v1/view/storage-pools', q)
  resourceGroups = (q?: Query): Promise<ResourceGroup[]> => this.get('/v1/resource-groups', q)
  resourceDefinitions = (q?: Query): Promise<ResourceDefinition[]> => this.get('/v1/resource-definitions', q)
  resources = (q?: Query): Promise<ResourceWithVolumes[]> => this.get('/v1/view/resources', q)
}
