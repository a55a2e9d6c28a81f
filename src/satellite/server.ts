// The satellite's listener on 3366: only a controller that proves it holds the cluster secret
// gets anything done; everyone else gets 401 and an empty body.
import {createServer, type Server} from 'node:http'
import type {Logger} from '../common/log.ts'
import {stringify} from '../common/json.ts'
import {AUTH_HEADER, NonceCache, signReply, verifyRequest} from '../protocol/auth.ts'
import {PING_PATH, SYNC_PATH, type DesiredState} from '../protocol/messages.ts'
import type {Satellite} from './satellite.ts'

const MAX_BODY = 64 * 1024 * 1024

export function createSatelliteServer(sat: Satellite, secret: string, log: Logger): Server {
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
      const verdict = verifyRequest(secret, req.headers[AUTH_HEADER] as string | undefined, req.method ?? '', path, body, nonces)
      if (!verdict.ok) {
        log.warn('rejected unauthenticated request', {from: req.socket.remoteAddress, reason: verdict.reason})
        res.writeHead(401).end()
        return
      }
      const reply = (status: number, value: unknown): void => {
        const text = stringify(value)
        res.writeHead(status, {'content-type': 'application/json', [AUTH_HEADER]: signReply(secret, verdict.nonce, status, text)}).end(text)
      }
      if (req.method === 'POST' && path === PING_PATH) {
        reply(200, sat.ping())
        return
      }
      if (req.method !== 'POST' || path !== SYNC_PATH) {
        reply(404, {error: `no such endpoint ${req.method} ${path}`})
        return
      }
      let desired: DesiredState
      try {
        // No int64 values in the satellite protocol: plain JSON.parse (several times faster).
        desired = JSON.parse(body) as DesiredState
      } catch (e) {
        reply(400, {error: `bad JSON: ${(e as Error).message}`})
        return
      }
      sat.sync(desired).then((r) => reply(200, r), (e: Error) => {
        log.error('sync failed', {error: e})
        reply(500, {error: e.message})
      })
    })
  })
}
