// Rotating the cluster secret without downtime, in two steps. `stage`: the controller sends the
// new secret, sealed with a key derived from the current one (the plain link is not encrypted),
// and each satellite then accepts both. Once every satellite has it, the controller switches to
// the new secret and sends `commit`, after which satellites forget the old one. A satellite that
// restarts between the steps keeps accepting both (the staged secret is on disk).
import {createCipheriv, createDecipheriv, hkdfSync, randomBytes} from 'node:crypto'

export const SECRET_PATH = '/internal/v1/cluster-secret'

export type SecretRequest = {protocol: number, op: 'stage', sealed: string} | {protocol: number, op: 'commit'}
export interface SecretReply {protocol: number, error?: string}

const keyFrom = (secret: string): Buffer => Buffer.from(hkdfSync('sha256', secret, 'cairn', 'cluster secret rotation', 32))

/** AES-256-GCM under the current secret: base64 of iv ‖ tag ‖ ciphertext. */
export function sealSecret(next: string, current: string): string {
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', keyFrom(current), iv)
  const body = Buffer.concat([c.update(next, 'utf8'), c.final()])
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')
}

/** The staged secret, or an Error when it was not sealed with `current`. */
export function openSecret(sealed: string, current: string): string {
  const raw = Buffer.from(sealed, 'base64')
  const d = createDecipheriv('aes-256-gcm', keyFrom(current), raw.subarray(0, 12))
  d.setAuthTag(raw.subarray(12, 28))
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8')
}

/** The secrets a satellite accepts: the current one first, then a staged one. */
export interface SecretRing {
  current: string
  staged?: string
}

export const accepted = (ring: SecretRing): string[] => (ring.staged ? [ring.current, ring.staged] : [ring.current])
