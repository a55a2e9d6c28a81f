// A small S3 client over node:http(s), signed with SigV4 (s3-signature.ts): objects up, down,
// listed and deleted, and multipart uploads so that a stream of unknown length (a volume being
// backed up) goes up in parts of bounded memory. Errors carry S3's own code and message.
import {createHash} from 'node:crypto'
import http, {type IncomingMessage} from 'node:http'
import https from 'node:https'
import type {LookupFunction} from 'node:net'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {amzDates, authorization, canonicalQuery, EMPTY_SHA256, sha256Hex, UNSIGNED_PAYLOAD, uriEncode} from '../common/s3-signature.ts'
import {completeMultipartBody, parseError, parseListObjectsV2, text, type CompletedPart, type ListPage, type S3Object} from '../common/s3-xml.ts'

/** Where a bucket lives and how to sign for it: an S3 remote's fields, the keys in the clear. */
export interface S3Target {
  endpoint: string
  bucket: string
  region: string
  accessKey: string
  secretKey: string
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key`. */
  usePathStyle: boolean
}

export interface S3ClientOptions {
  now?: () => Date
  /** Bytes per multipart part (buffered in memory); at least 5 MiB, as S3 requires. */
  partSize?: number
  /** A request fails when its socket is idle this long. */
  timeoutMs?: number
  agent?: http.Agent
  /** Name resolution for the endpoint (virtual-host names on a private resolver, tests on loopback). */
  lookup?: LookupFunction
}

export const MIN_PART_SIZE = 5 * 1024 * 1024
export const DEFAULT_PART_SIZE = 16 * 1024 * 1024
const MAX_PARTS = 10_000

export class S3Error extends Error {
  readonly code: string
  readonly status: number | undefined
  readonly requestId: string | undefined
  constructor(code: string, message: string, status?: number, requestId?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : {cause})
    this.name = 'S3Error'
    this.code = code
    this.status = status
    this.requestId = requestId
  }
}

export interface S3Address {
  protocol: 'http:' | 'https:'
  /** Name or address to connect to. */
  hostname: string
  port: number
  /** The Host header (and signed host). */
  host: string
  /** Raw (not yet encoded) path of the object, or of the bucket when the key is empty. */
  path: string
}

/** Where a request for `key` goes. An endpoint without a scheme is https, as in LINSTOR. */
export function s3Address(t: Pick<S3Target, 'endpoint' | 'bucket' | 'usePathStyle'>, key: string): S3Address {
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t.endpoint) ? t.endpoint : `https://${t.endpoint}`)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`S3 endpoint '${t.endpoint}' must be http or https`)
  const protocol = url.protocol
  const base = url.pathname.replace(/\/+$/, '')
  const hostname = t.usePathStyle ? url.hostname : `${t.bucket}.${url.hostname}`
  const port = url.port ? Number(url.port) : protocol === 'https:' ? 443 : 80
  const host = url.port ? `${hostname}:${url.port}` : hostname
  const tail = key ? `/${key}` : ''
  const path = t.usePathStyle ? `${base}/${t.bucket}${tail}` : `${base}${tail || '/'}`
  return {protocol, hostname: hostname.replace(/^\[|\]$/g, ''), port, host, path}
}

type Query = (readonly [string, string])[]
type Body = Buffer | Readable | undefined

interface Call {
  op: string
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE'
  key: string
  query?: Query
  headers?: Record<string, string>
  body?: Body
  payloadHash?: string
}

export interface ObjectInfo {contentLength: number, etag: string, lastModified: string, metadata: Record<string, string>}
export interface PutOptions {
  /** Required for a stream: S3 needs the length up front. */
  contentLength?: number
  /** Hex SHA-256 of the body; a stream without it is sent UNSIGNED-PAYLOAD. */
  sha256?: string
  contentType?: string
  /** Sent as x-amz-meta-<name>. */
  metadata?: Record<string, string>
}
export interface UploadResult {etag: string, size: number, sha256: string, parts: number}

export interface S3Client {
  readonly target: Omit<S3Target, 'accessKey' | 'secretKey'>
  putObject(key: string, body: Buffer | string | Readable, opts?: PutOptions): Promise<{etag: string}>
  getObject(key: string, opts?: {range?: string}): Promise<ObjectInfo & {body: Readable}>
  headObject(key: string): Promise<ObjectInfo>
  deleteObject(key: string): Promise<void>
  listObjectsV2(opts?: {prefix?: string, continuationToken?: string, startAfter?: string, maxKeys?: number, delimiter?: string}): Promise<ListPage>
  /** Every object under `prefix`, across pages. */
  listAll(prefix?: string): AsyncGenerator<S3Object>
  createMultipartUpload(key: string, opts?: Pick<PutOptions, 'contentType' | 'metadata'>): Promise<string>
  uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<string>
  completeMultipartUpload(key: string, uploadId: string, parts: readonly CompletedPart[]): Promise<{etag: string}>
  abortMultipartUpload(key: string, uploadId: string): Promise<void>
  /** A stream of any length: one PUT when it fits one part, else a multipart upload (aborted if anything fails). */
  upload(key: string, source: AsyncIterable<Uint8Array>, opts?: Pick<PutOptions, 'contentType' | 'metadata'>): Promise<UploadResult>
}

export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(Buffer.from(c))
  return Buffer.concat(chunks)
}

/** Re-cuts a stream into buffers of exactly `size` bytes (the last one shorter). */
export async function* partsOf(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = []
  let length = 0
  for await (const chunk of source) {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    while (length + buf.length >= size) {
      const take = size - length
      pending.push(buf.subarray(0, take))
      yield Buffer.concat(pending)
      pending = []
      length = 0
      buf = buf.subarray(take)
    }
    if (buf.length) {
      pending.push(buf)
      length += buf.length
    }
  }
  if (length) yield Buffer.concat(pending)
}

const metaHeaders = (m: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [`x-amz-meta-${k.toLowerCase()}`, v]))

function objectInfo(res: IncomingMessage): ObjectInfo {
  const metadata: Record<string, string> = {}
  for (const [k, v] of Object.entries(res.headers)) if (k.startsWith('x-amz-meta-') && typeof v === 'string') metadata[k.slice(11)] = v
  return {contentLength: Number(res.headers['content-length'] ?? 0), etag: res.headers.etag ?? '', lastModified: res.headers['last-modified'] ?? '', metadata}
}

// HEAD answers have no body to read S3's code from.
const statusCodes: Record<number, string> = {301: 'PermanentRedirect', 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict', 412: 'PreconditionFailed'}

export function createS3Client(target: S3Target, opts: S3ClientOptions = {}): S3Client {
  const now = opts.now ?? (() => new Date())
  const partSize = opts.partSize ?? DEFAULT_PART_SIZE
  if (partSize < MIN_PART_SIZE) throw new RangeError(`S3 part size ${partSize} is below the minimum of ${MIN_PART_SIZE} bytes`)
  const timeoutMs = opts.timeoutMs ?? 60_000
  const where = (key: string): string => (key ? `${target.bucket}/${key}` : target.bucket)

  function exchange(c: Call): Promise<IncomingMessage> {
    const addr = s3Address(target, c.key)
    const date = now()
    const payloadHash = c.payloadHash ?? EMPTY_SHA256
    const signed: Record<string, string> = {host: addr.host, 'x-amz-date': amzDates(date).amzDate, 'x-amz-content-sha256': payloadHash, ...c.headers}
    const {authorization: auth} = authorization({method: c.method, path: addr.path, query: c.query, headers: signed, payloadHash}, target, target.region, date)
    const qs = canonicalQuery(c.query)
    // Sent exactly as signed: S3 does not normalise the path.
    const path = uriEncode(addr.path, true)
    const headers: Record<string, string> = {...signed, authorization: auth}
    if (Buffer.isBuffer(c.body)) headers['content-length'] = String(c.body.length)
    else if (c.body === undefined && (c.method === 'PUT' || c.method === 'POST')) headers['content-length'] = '0'
    return new Promise((resolve, reject) => {
      const fail = (e: Error & {code?: string}): void =>
        reject(e instanceof S3Error ? e : new S3Error(e.code ?? 'NetworkError', `S3 ${c.op} ${where(c.key)} at ${addr.host}: ${e.message}`, undefined, undefined, e))
      const req = (addr.protocol === 'https:' ? https : http).request({method: c.method, hostname: addr.hostname, port: addr.port,
        path: qs ? `${path}?${qs}` : path, headers, agent: opts.agent, lookup: opts.lookup, timeout: timeoutMs}, (res) => {
        if ((res.statusCode ?? 0) < 300) return resolve(res)
        readAll(res).then((body) => reject(errorOf(c, res.statusCode ?? 0, body.toString('utf8'), res.headers['x-amz-request-id'])), fail)
      })
      req.on('error', fail)
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), {code: 'ETIMEDOUT'})))
      if (c.body instanceof Readable) pipeline(c.body, req).catch(fail)
      else req.end(c.body)
    })
  }

  function errorOf(c: Call, status: number, body: string, requestId?: string | string[]): S3Error {
    const doc = parseError(body)
    const code = doc?.code ?? statusCodes[status] ?? `HTTP${status}`
    const message = doc?.message || body.slice(0, 200) || http.STATUS_CODES[status] || ''
    return new S3Error(code, `S3 ${c.op} ${where(c.key)}: ${code}: ${message} (HTTP ${status})`, status,
      doc?.requestId ?? (typeof requestId === 'string' ? requestId : undefined))
  }

  /** A call whose answer is read whole (small XML documents or nothing). */
  async function call(c: Call): Promise<{res: IncomingMessage, body: string}> {
    const res = await exchange(c)
    return {res, body: (await readAll(res)).toString('utf8')}
  }

  const putHeaders = (o: Pick<PutOptions, 'contentType' | 'metadata'> = {}): Record<string, string> =>
    ({...(o.contentType ? {'content-type': o.contentType} : {}), ...metaHeaders(o.metadata)})

  const client: S3Client = {
    target: {endpoint: target.endpoint, bucket: target.bucket, region: target.region, usePathStyle: target.usePathStyle},

    async putObject(key, body, o = {}) {
      const headers = putHeaders(o)
      let payloadHash: string
      let sendBody: Body
      if (body instanceof Readable) {
        if (o.contentLength === undefined) throw new TypeError('putObject of a stream needs contentLength; use upload() for a stream of unknown length')
        headers['content-length'] = String(o.contentLength)
        payloadHash = o.sha256 ?? UNSIGNED_PAYLOAD
        sendBody = body
      } else {
        sendBody = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')
        payloadHash = o.sha256 ?? sha256Hex(sendBody)
      }
      const {res} = await call({op: 'PutObject', method: 'PUT', key, headers, body: sendBody, payloadHash})
      return {etag: res.headers.etag ?? ''}
    },

    async getObject(key, o = {}) {
      const res = await exchange({op: 'GetObject', method: 'GET', key, headers: o.range ? {range: o.range} : {}})
      return {...objectInfo(res), body: res}
    },

    async headObject(key) {
      const {res} = await call({op: 'HeadObject', method: 'HEAD', key})
      return objectInfo(res)
    },

    async deleteObject(key) {
      await call({op: 'DeleteObject', method: 'DELETE', key})
    },

    async listObjectsV2(o = {}) {
      const query: Query = [['list-type', '2']]
      if (o.prefix !== undefined) query.push(['prefix', o.prefix])
      if (o.continuationToken !== undefined) query.push(['continuation-token', o.continuationToken])
      if (o.startAfter !== undefined) query.push(['start-after', o.startAfter])
      if (o.maxKeys !== undefined) query.push(['max-keys', String(o.maxKeys)])
      if (o.delimiter !== undefined) query.push(['delimiter', o.delimiter])
      return parseListObjectsV2((await call({op: 'ListObjectsV2', method: 'GET', key: '', query})).body)
    },

    async* listAll(prefix) {
      let token: string | undefined
      do {
        const page = await client.listObjectsV2({prefix, continuationToken: token})
        yield* page.objects
        token = page.isTruncated ? page.nextContinuationToken : undefined
      } while (token)
    },

    async createMultipartUpload(key, o = {}) {
      const {body} = await call({op: 'CreateMultipartUpload', method: 'POST', key, query: [['uploads', '']], headers: putHeaders(o)})
      const id = text(body, 'UploadId')
      if (!id) throw new S3Error('InvalidResponse', `S3 CreateMultipartUpload ${where(key)}: the answer has no UploadId`)
      return id
    },

    async uploadPart(key, uploadId, partNumber, body) {
      const {res} = await call({op: 'UploadPart', method: 'PUT', key, query: [['partNumber', String(partNumber)], ['uploadId', uploadId]],
        body, payloadHash: sha256Hex(body)})
      return res.headers.etag ?? ''
    },

    async completeMultipartUpload(key, uploadId, parts) {
      const xml = Buffer.from(completeMultipartBody(parts), 'utf8')
      const c: Call = {op: 'CompleteMultipartUpload', method: 'POST', key, query: [['uploadId', uploadId]], body: xml,
        payloadHash: sha256Hex(xml), headers: {'content-type': 'application/xml'}}
      const {res, body} = await call(c)
      // S3 may answer 200 and still report a failure in the body.
      if (parseError(body)) throw errorOf(c, res.statusCode ?? 200, body, res.headers['x-amz-request-id'])
      return {etag: text(body, 'ETag') ?? ''}
    },

    async abortMultipartUpload(key, uploadId) {
      await call({op: 'AbortMultipartUpload', method: 'DELETE', key, query: [['uploadId', uploadId]]})
    },

    async upload(key, source, o = {}) {
      const hash = createHash('sha256')
      let size = 0
      const parts = partsOf(source, partSize)[Symbol.asyncIterator]()
      const counted = (b: Buffer): Buffer => {
        hash.update(b)
        size += b.length
        return b
      }
      const first = await parts.next()
      const second = first.done ? first : await parts.next()
      if (second.done) {
        const body = first.done ? Buffer.alloc(0) : counted(first.value)
        const {etag} = await client.putObject(key, body, o)
        return {etag, size, sha256: hash.digest('hex'), parts: 1}
      }
      const uploadId = await client.createMultipartUpload(key, o)
      const done: CompletedPart[] = []
      try {
        const put = async (b: Buffer): Promise<void> => {
          if (done.length >= MAX_PARTS) throw new S3Error('TooManyParts', `S3 upload ${where(key)}: more than ${MAX_PARTS} parts of ${partSize} bytes; use a larger part size`)
          const partNumber = done.length + 1
          done.push({partNumber, etag: await client.uploadPart(key, uploadId, partNumber, counted(b))})
        }
        await put(first.value as Buffer)
        await put(second.value)
        for (let p = await parts.next(); !p.done; p = await parts.next()) await put(p.value)
        const {etag} = await client.completeMultipartUpload(key, uploadId, done)
        return {etag, size, sha256: hash.digest('hex'), parts: done.length}
      } catch (e) {
        // The failure that matters is the first one; an abort that fails too leaves parts for the bucket's lifecycle rules.
        await client.abortMultipartUpload(key, uploadId).catch(() => undefined)
        throw e
      }
    },
  }
  return client
}
