// The satellite's listener on 3366: only a controller that proves it holds the cluster secret
// gets anything done; everyone else gets 401 and an empty body.
import {createServer, type Server} from 'node:http'
import type {Logger} from '../common/log.ts'
import {stringify} from '../common/json.ts'
import {AUTH_HEADER, NonceCache, signReply, verifyRequest, type Verdict} from '../protocol/auth.ts'

/** The satellite's endpoints by path: each takes the parsed request body and answers with the reply body. */
export type SatelliteRoutes = Record<string, (body: unknown) => unknown>

const MAX_BODY = 64 * 1024 * 1024

/** `secrets()` answers the accepted cluster secrets (two during a rotation), read for each request. */
export function createSatelliteServer(routes: SatelliteRoutes, secrets: () => readonly string[], log: Logger): Server {
  const nonces = new NonceCache()
  return createServer((req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) req.destroy()
      else chunks.push(c)
    })
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const path = req.url ?? '/'
      const header = req.headers[AUTH_HEADER] as string | undefined
      let secret = ''
      let verdict: Verdict = {ok: false, reason: 'no cluster secret'}
      for (const s of secrets()) {
        verdict = verifyRequest(s, header, req.method ?? '', path, body, nonces)
        secret = s
        if (verdict.ok || verdict.reason !== 'bad signature') break
      }
      if (!verdict.ok) {
        log.warn('rejected unauthenticated request', {from: req.socket.remoteAddress, reason: verdict.reason})
        res.writeHead(401).end()
        return
      }
      const reply = (status: number, value: unknown): void => {
        const text = stringify(value)
        res.writeHead(status, {'content-type': 'application/json', [AUTH_HEADER]: signReply(secret, verdict.nonce, status, text)}).end(text)
      }
      const route = req.method === 'POST' ? routes[path] : undefined
      if (!route) {
        reply(404, {error: `no such endpoint ${req.method} ${path}`})
        return
      }
      let parsed: unknown
      try {
        // No int64 values in the satellite protocol: plain JSON.parse (several times faster).
        parsed = JSON.parse(body)
      } catch (e) {
        reply(400, {error: `bad JSON: ${(e as Error).message}`})
        return
      }
      Promise.resolve().then(() => route(parsed)).then((r) => reply(200, r), (e: Error) => {
        log.error('request failed', {path, error: e})
        reply(500, {error: e.message})
      })
    })
  })
}
