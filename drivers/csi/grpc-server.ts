// A unary-only gRPC server on node:http2, enough for the CSI sidecars (csi-provisioner,
// node-driver-registrar, ...) and kubelet, which speak gRPC over a unix socket. The runtime
// dependencies are fixed, so this implements the small part of the gRPC-over-HTTP/2 protocol
// unary calls need: one length-prefixed message each way, status in trailers, no compression.

import http2 from 'node:http2'
import net from 'node:net'
import {lstat, unlink} from 'node:fs/promises'
import {decode, DecodeError, encode, type Message, type MessageInit, type MessageSchema} from './protobuf.ts'

/** gRPC status codes (the numbers are fixed by the gRPC spec). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const
export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus]

/** Thrown by a handler to answer with a specific status; anything else becomes INTERNAL. */
export class GrpcError extends Error {
  override name = 'GrpcError'
  readonly code: GrpcStatusCode

  constructor(code: GrpcStatusCode, message: string) {
    super(message)
    this.code = code
  }
}

export interface CallContext {
  /** The gRPC path, e.g. `/csi.v1.Identity/Probe`. */
  readonly method: string
  /** Request headers other than HTTP/2 pseudo-headers (gRPC metadata), lower-case names. */
  readonly metadata: Readonly<Record<string, string>>
  /** Aborted when the client cancels, the connection drops or the deadline passes. */
  readonly signal: AbortSignal
  /** Deadline from `grpc-timeout` as epoch milliseconds, if the client set one. */
  readonly deadline?: number
}

/** Serialized request in, serialized response out. */
export type UnaryHandler = (request: Uint8Array, call: CallContext) => Promise<Uint8Array>

/** gRPC path → handler, e.g. `{'/csi.v1.Identity/Probe': handler}`. */
export type Routes = Readonly<Record<string, UnaryHandler>>

export type TypedHandler<I extends MessageSchema, O extends MessageSchema> =
  (request: Message<I>, call: CallContext) => Promise<MessageInit<O>> | MessageInit<O>

/** Wraps a handler of decoded messages into a UnaryHandler using the two schemas. */
export function unary<I extends MessageSchema, O extends MessageSchema>(input: I, output: O, handler: TypedHandler<I, O>): UnaryHandler {
  return async (bytes, call) => {
    let request: Message<I>
    try {
      request = decode(input, bytes)
    } catch (e) {
      // grpc-go answers an undecodable request the same way.
      if (e instanceof DecodeError) throw new GrpcError(GrpcStatus.INTERNAL, `grpc: error unmarshalling request: ${e.message}`)
      throw e
    }
    return encode(output, await handler(request, call))
  }
}

export type MethodTable = Readonly<Record<string, {readonly request: MessageSchema, readonly response: MessageSchema}>>

export type TypedHandlers<T extends MethodTable> = {[P in keyof T]?: TypedHandler<T[P]['request'], T[P]['response']>}

/** Routes for the handlers given; methods of the table left out answer UNIMPLEMENTED. */
export function routesFor<T extends MethodTable>(table: T, handlers: TypedHandlers<T>): Routes {
  const routes: Record<string, UnaryHandler> = {}
  for (const [path, handler] of Object.entries(handlers) as [string, TypedHandler<MessageSchema, MessageSchema> | undefined][]) {
    const method = table[path]
    if (!method) throw new Error(`${path} is not a method of the table`)
    if (handler) routes[path] = unary(method.request, method.response, handler)
  }
  return routes
}

export type Endpoint = {kind: 'unix', path: string} | {kind: 'tcp', host: string, port: number}

/**
 * Parses an endpoint as CSI drivers receive it (`--endpoint`, CSI_ENDPOINT): `unix:///abs/path`,
 * `unix:path`, a bare path, or `tcp://host:port` (`[v6]` hosts; an empty host means all addresses).
 */
export function parseEndpoint(endpoint: string): Endpoint {
  if (endpoint.startsWith('unix://')) {
    const path = endpoint.slice('unix://'.length)
    if (!path.startsWith('/')) throw new Error(`unix endpoint needs an absolute path (unix:///path): ${endpoint}`)
    return {kind: 'unix', path}
  }
  if (endpoint.startsWith('unix:')) {
    const path = endpoint.slice('unix:'.length)
    if (path === '') throw new Error(`unix endpoint without a path: ${endpoint}`)
    return {kind: 'unix', path}
  }
  if (endpoint.startsWith('tcp://')) {
    const m = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[^:/[\]]*):(\d{1,5})\/?$/.exec(endpoint)
    const port = Number(m?.[2])
    if (!m || port > 65535) throw new Error(`tcp endpoint must be tcp://host:port: ${endpoint}`)
    return {kind: 'tcp', host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port}
  }
  // csi-lib-utils and the sidecars treat a scheme-less address as a socket path.
  if (endpoint.startsWith('/') || endpoint.startsWith('.')) return {kind: 'unix', path: endpoint}
  throw new Error(`unsupported endpoint (expected unix:///path or tcp://host:port): ${endpoint}`)
}

export function formatEndpoint(endpoint: Endpoint): string {
  if (endpoint.kind === 'unix') return endpoint.path.startsWith('/') ? `unix://${endpoint.path}` : `unix:${endpoint.path}`
  return `tcp://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`
}

export interface GrpcServerOptions {
  /** Largest request message accepted; gRPC's usual default is 4 MiB. */
  maxMessageBytes?: number
  /** Called with errors that are not GrpcErrors (they answer INTERNAL), e.g. to log the stack;
   *  also with errors of the listening socket itself (method ''). */
  onError?: (error: unknown, method: string) => void
}

export interface GrpcServer {
  /** Where it listens; for TCP with port 0 the port actually bound. */
  readonly endpoint: Endpoint
  /** The endpoint as a string, `unix:///path` or `tcp://host:port`. */
  readonly address: string
  /** Stops accepting, lets calls in flight finish (GOAWAY) and resolves once all are closed. */
  close(): Promise<void>
}

const GRPC_CONTENT_TYPE = 'application/grpc'
const DEFAULT_MAX_MESSAGE = 4 * 1024 * 1024
const FRAME_HEADER = 5

/** grpc-message is percent-encoded UTF-8: everything outside printable ASCII, and '%' itself. */
export function percentEncode(message: string): string {
  let out = ''
  for (const b of Buffer.from(message, 'utf8')) {
    out += b >= 0x20 && b <= 0x7e && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

const TIMEOUT_UNITS: Record<string, number> = {H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6}

/** `grpc-timeout` (e.g. `100m`, `30S`) in milliseconds, or undefined when absent or malformed. */
export function parseTimeout(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^(\d{1,8})([HMSmun])$/.exec(value)
  return m ? Number(m[1]) * (TIMEOUT_UNITS[m[2] ?? ''] ?? 0) : undefined
}

function metadataOf(headers: http2.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || value === undefined) continue
    out[name] = Array.isArray(value) ? value.join(',') : value
  }
  return out
}

/** Splits a request body into its length-prefixed messages; unary calls must carry exactly one. */
function singleMessage(body: Buffer): Uint8Array {
  const messages: Uint8Array[] = []
  let pos = 0
  while (pos < body.length) {
    if (body.length - pos < FRAME_HEADER) throw new GrpcError(GrpcStatus.INTERNAL, 'truncated gRPC message frame')
    const flag = body[pos] as number
    const length = body.readUInt32BE(pos + 1)
    if (flag === 1) throw new GrpcError(GrpcStatus.UNIMPLEMENTED, 'compressed messages are not supported (grpc-accept-encoding: identity)')
    if (flag !== 0) throw new GrpcError(GrpcStatus.INTERNAL, `invalid gRPC frame flag ${flag}`)
    if (body.length - pos - FRAME_HEADER < length) throw new GrpcError(GrpcStatus.INTERNAL, 'truncated gRPC message')
    messages.push(body.subarray(pos + FRAME_HEADER, pos + FRAME_HEADER + length))
    pos += FRAME_HEADER + length
  }
  const [only] = messages
  if (messages.length !== 1 || !only) throw new GrpcError(GrpcStatus.INTERNAL, `a unary call needs exactly one request message, got ${messages.length}`)
  return only
}

function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER + message.length)
  out[0] = 0
  out.writeUInt32BE(message.length, 1)
  out.set(message, FRAME_HEADER)
  return out
}

/** Serves one stream: read the request, run the route, answer with a message or a status. */
function serveStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, routes: Routes, options: GrpcServerOptions): void {
  // Errors (resets, broken connections) also close the stream; 'close' below handles those.
  stream.on('error', () => {})
  const method = headers[':path'] ?? ''
  const contentType = headers['content-type'] ?? ''
  if (headers[':method'] !== 'POST') {
    stream.respond({':status': 405, 'allow': 'POST'}, {endStream: true})
    return
  }
  // The gRPC spec asks for HTTP 415 so non-gRPC clients get a plain HTTP answer.
  if (contentType !== GRPC_CONTENT_TYPE && !contentType.startsWith(`${GRPC_CONTENT_TYPE}+`) && !contentType.startsWith(`${GRPC_CONTENT_TYPE};`)) {
    stream.respond({':status': 415}, {endStream: true})
    return
  }

  const controller = new AbortController()
  let answered = false
  // Trailers-only response: one HEADERS frame carrying the status and ending the stream.
  const fail = (code: GrpcStatusCode, message: string): void => {
    if (answered || stream.destroyed || stream.headersSent) return
    answered = true
    stream.respond({
      ':status': 200,
      'content-type': GRPC_CONTENT_TYPE,
      // Tells clients that tried compression to send identity from now on.
      'grpc-accept-encoding': 'identity',
      'grpc-status': String(code),
      'grpc-message': percentEncode(message),
    }, {endStream: true})
  }
  const succeed = (response: Uint8Array): void => {
    if (answered || stream.destroyed || stream.headersSent) return
    answered = true
    stream.respond({':status': 200, 'content-type': GRPC_CONTENT_TYPE, 'grpc-accept-encoding': 'identity'}, {waitForTrailers: true})
    stream.once('wantTrailers', () => stream.sendTrailers({'grpc-status': String(GrpcStatus.OK)}))
    stream.end(frame(response))
  }

  // Closed before an answer: the client cancelled or the connection went away.
  stream.once('close', () => {
    if (!answered && !controller.signal.aborted) controller.abort(new GrpcError(GrpcStatus.CANCELLED, 'the call was closed'))
  })
  const timeout = parseTimeout(headers['grpc-timeout'] as string | undefined)
  const deadline = timeout === undefined ? undefined : Date.now() + timeout
  if (timeout !== undefined) {
    const timer = setTimeout(() => {
      controller.abort(new GrpcError(GrpcStatus.DEADLINE_EXCEEDED, 'deadline exceeded'))
      fail(GrpcStatus.DEADLINE_EXCEEDED, 'deadline exceeded')
    }, timeout)
    timer.unref()
    stream.once('close', () => clearTimeout(timer))
  }

  const handler = Object.hasOwn(routes, method) ? routes[method] : undefined
  if (!handler) {
    fail(GrpcStatus.UNIMPLEMENTED, `unknown method ${method}`)
    stream.resume()
    return
  }
  const limit = (options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE) + FRAME_HEADER
  const chunks: Buffer[] = []
  let received = 0
  stream.on('data', (chunk: Buffer) => {
    if (answered) return
    received += chunk.length
    if (received > limit) {
      chunks.length = 0
      fail(GrpcStatus.RESOURCE_EXHAUSTED, `request larger than ${limit - FRAME_HEADER} bytes`)
      return
    }
    chunks.push(chunk)
  })
  stream.once('end', () => {
    if (answered) return
    const call: CallContext = {method, metadata: metadataOf(headers), signal: controller.signal, ...(deadline === undefined ? {} : {deadline})}
    Promise.resolve()
      .then(() => handler(singleMessage(Buffer.concat(chunks)), call))
      .then(succeed, (error: unknown) => {
        if (error instanceof GrpcError) return fail(error.code, error.message)
        options.onError?.(error, method)
        fail(GrpcStatus.INTERNAL, error instanceof Error ? error.message : String(error))
      })
  })
}

/** A live server on the socket path means the endpoint is taken; a dead one is a leftover to remove. */
async function removeStaleSocket(path: string): Promise<void> {
  const stats = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined
    throw e
  })
  if (!stats) return
  if (!stats.isSocket()) throw new Error(`${path} exists and is not a socket; not removing it`)
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect(path)
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', () => resolve(false))
  })
  if (live) throw Object.assign(new Error(`${path} is in use by a running server`), {code: 'EADDRINUSE'})
  await unlink(path)
}

/** Starts serving `routes` on `endpoint` (see parseEndpoint); resolves once listening. */
export async function serveGrpc(endpoint: string | Endpoint, routes: Routes, options: GrpcServerOptions = {}): Promise<GrpcServer> {
  const where = typeof endpoint === 'string' ? parseEndpoint(endpoint) : endpoint
  const server = http2.createServer()
  server.on('stream', (stream, headers) => serveStream(stream, headers, routes, options))

  if (where.kind === 'unix') await removeStaleSocket(where.path)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    const done = (): void => {
      server.off('error', reject)
      resolve()
    }
    if (where.kind === 'unix') server.listen(where.path, done)
    else server.listen(where.port, where.host === '' ? undefined : where.host, done)
  })
  // Later server errors (e.g. accept failing on EMFILE) must not crash the process.
  server.on('error', (e) => options.onError?.(e, ''))

  let bound: Endpoint = where
  const address = server.address()
  if (where.kind === 'tcp' && address !== null && typeof address === 'object') bound = {kind: 'tcp', host: where.host, port: address.port}

  let closing: Promise<void> | undefined
  return {
    endpoint: bound,
    address: formatEndpoint(bound),
    close() {
      // Http2Server.close() also closes every open session gracefully (GOAWAY, in-flight
      // streams finish), so idle client connections do not keep it open.
      closing ??= new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())))
      return closing
    },
  }
}
