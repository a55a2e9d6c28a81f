// Request and reply signatures for the satellite link. Both sides hold the cluster secret; a
// request carries a timestamp, a nonce and an HMAC over them and the body, and the reply is
// signed over the request's nonce, so neither side can be impersonated or replayed.
import {createHmac, randomBytes, timingSafeEqual} from 'node:crypto'

export const AUTH_HEADER = 'x-cairn-auth'
const MAX_SKEW_MS = 60_000

const mac = (secret: string, ...parts: string[]): string => createHmac('sha256', secret).update(parts.join('\n')).digest('hex')

export function signRequest(secret: string, method: string, path: string, body: string, now = Date.now()): {header: string, nonce: string} {
  const nonce = randomBytes(16).toString('hex')
  return {header: `v1 ts=${now} nonce=${nonce} sig=${mac(secret, 'req', method, path, String(now), nonce, body)}`, nonce}
}

export const signReply = (secret: string, nonce: string, status: number, body: string): string =>
  `v1 sig=${mac(secret, 'rep', nonce, String(status), body)}`

function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y)
}

/** Remembers recent nonces so that a captured request cannot be sent again. */
export class NonceCache {
  private seen = new Map<string, number>()
  /** True when the nonce is new; records it. */
  admit(nonce: string, now: number): boolean {
    for (const [n, t] of this.seen) if (now - t > 2 * MAX_SKEW_MS) this.seen.delete(n)
    if (this.seen.has(nonce)) return false
    this.seen.set(nonce, now)
    return true
  }
}

export type Verdict = {ok: true, nonce: string} | {ok: false, reason: string}

export function verifyRequest(secret: string, header: string | undefined, method: string, path: string, body: string,
  nonces: NonceCache, now = Date.now()): Verdict {
  const m = /^v1 ts=(\d+) nonce=([0-9a-f]{32}) sig=([0-9a-f]{64})$/.exec(header ?? '')
  if (!m) return {ok: false, reason: 'missing or malformed signature'}
  const [, ts, nonce, sig] = m as unknown as [string, string, string, string]
  if (Math.abs(now - Number(ts)) > MAX_SKEW_MS) return {ok: false, reason: 'timestamp outside the allowed clock skew'}
  if (!equalHex(sig, mac(secret, 'req', method, path, ts, nonce, body))) return {ok: false, reason: 'bad signature'}
  if (!nonces.admit(nonce, now)) return {ok: false, reason: 'replayed request'}
  return {ok: true, nonce}
}

export function verifyReply(secret: string, header: string | undefined, nonce: string, status: number, body: string): boolean {
  const m = /^v1 sig=([0-9a-f]{64})$/.exec(header ?? '')
  return !!m && equalHex(m[1] as string, mac(secret, 'rep', nonce, String(status), body))
}
