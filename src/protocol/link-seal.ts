// Secrets inside link messages (a staged cluster secret, LUKS volume keys) are sealed with a key
// derived from the cluster secret, because the plain link signs its messages but does not
// encrypt them. AES-256-GCM; each purpose has its own derived key.
import {createCipheriv, createDecipheriv, hkdfSync, randomBytes} from 'node:crypto'
import type {DesiredState} from './messages.ts'

export type SealPurpose = 'cluster secret rotation' | 'luks volume key'

const keyFrom = (secret: string, purpose: SealPurpose): Buffer => Buffer.from(hkdfSync('sha256', secret, 'cairn', purpose, 32))

/** base64 of iv ‖ tag ‖ ciphertext. */
export function seal(plain: string, secret: string, purpose: SealPurpose): string {
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', keyFrom(secret, purpose), iv)
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')
}

/** The plain text, or an Error when it was not sealed with `secret` for `purpose`. */
export function unseal(sealed: string, secret: string, purpose: SealPurpose): string {
  const raw = Buffer.from(sealed, 'base64')
  const d = createDecipheriv('aes-256-gcm', keyFrom(secret, purpose), raw.subarray(0, 12))
  d.setAuthTag(raw.subarray(12, 28))
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8')
}

/** Unseals with the first of several secrets (a satellite accepts two during a rotation) that fits. */
export function unsealWithAny(sealed: string, secrets: readonly string[], purpose: SealPurpose): string {
  for (const s of secrets) {
    try {
      return unseal(sealed, s, purpose)
    } catch {
      // not this one
    }
  }
  throw new Error(`a ${purpose} in the message was not sealed with the cluster secret`)
}

/** The desired state as it goes on the wire: each LUKS key sealed into `sealedKey`. */
export const sealLuksKeys = (d: DesiredState, secret: string): DesiredState => (!d.luks?.some((l) => l.key !== undefined) ? d
  : {...d, luks: d.luks.map(({key, ...l}) => (key === undefined ? l : {...l, sealedKey: seal(key, secret, 'luks volume key')}))})

/** The satellite's side: the keys back in the clear, in memory only. */
export const openLuksKeys = (d: DesiredState, secrets: readonly string[]): DesiredState => (!d.luks?.some((l) => l.sealedKey !== undefined) ? d
  : {...d, luks: d.luks.map(({sealedKey, ...l}) => (sealedKey === undefined ? l : {...l, key: unsealWithAny(sealedKey, secrets, 'luks volume key')}))})
