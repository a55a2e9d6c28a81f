// A small HTTP/1.1 client on node:http. Used instead of fetch because loading undici costs tens
// of milliseconds at CLI start and megabytes in the daemons.
import {request as httpRequest, type IncomingHttpHeaders} from 'node:http'
import type {ConnectionOptions} from 'node:tls'

/** `body` is the raw answer (a downloaded archive); `text` the same as UTF-8. */
export interface HttpReply {status: number, headers: IncomingHttpHeaders, text: string, body: Buffer}

/** A transport failure (refused, reset, timeout): the server gave no HTTP answer. */
export class TransportError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.code = code
  }
}

export async function httpCall(url: string, opts: {method?: string, body?: string, headers?: Record<string, string>, timeoutMs?: number,
  tls?: ConnectionOptions} = {}): Promise<HttpReply> {
  const u = new URL(url)
  // node:https (and with it node:tls) only when needed: loading them is a tenth of a CLI command's start.
  const send = u.protocol === 'https:' ? (await import('node:https')).request : httpRequest
  return new Promise((resolve, reject) => {
    const req = send(u, {...opts.tls, method: opts.method ?? 'GET', headers: {...opts.headers,
      ...(opts.body !== undefined ? {'content-length': String(Buffer.byteLength(opts.body))} : {})}}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks)
        resolve({status: res.statusCode ?? 0, headers: res.headers, text: body.toString('utf8'), body})
      })
      res.on('error', (e: NodeJS.ErrnoException) => reject(new TransportError(e.code ?? 'ERESET', e.message)))
    })
    req.setTimeout(opts.timeoutMs ?? 60_000, () => req.destroy(Object.assign(new Error('timed out'), {code: 'ETIMEDOUT'})))
    req.on('error', (e: NodeJS.ErrnoException) => reject(new TransportError(e.code ?? 'EUNKNOWN', e.message)))
    req.end(opts.body)
  })
}
