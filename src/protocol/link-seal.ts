// Secrets inside link messages (a staged cluster secret, LUKS volume keys) are sealed with a key
// derived from the cluster secret, because the plain link signs its messages but does not
// encrypt them. AES-256-GCM; each purpose has its own derived key.
import {hkdfSync} from 'node:crypto'
import {gcmOpen, gcmSeal, packGcm, unpackGcm} from '../common/aes-gcm.ts'
import type {DesiredState} from './messages.ts'

export type SealPurpose = 'cluster secret rotation' | 'luks volume key' | 'transfer secret'

const keyFrom = (secret: string, purpose: SealPurpose): Buffer => Buffer.from(hkdfSync('sha256', secret, 'cairn', purpose, 32))

/** Packed AES-256-GCM (common/aes-gcm.ts). */
export const seal = (plain: string, secret: string, purpose: SealPurpose): string => packGcm(gcmSeal(keyFrom(secret, purpose), plain))

/** The plain text, or an Error when it was not sealed with `secret` for `purpose`. */
export const unseal = (sealed: string, secret: string, purpose: SealPurpose): string =>
  gcmOpen(keyFrom(secret, purpose), unpackGcm(sealed)).toString('utf8')

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

/** The desired state as it goes on the wire: LUKS keys sealed into `sealedKey`, transfer secrets into `sealedSecret`. */
export function sealLinkSecrets(d: DesiredState, secret: string): DesiredState {
  const out = {...d}
  if (d.luks?.some((l) => l.key !== undefined)) {
    out.luks = d.luks.map(({key, ...l}) => (key === undefined ? l : {...l, sealedKey: seal(key, secret, 'luks volume key')}))
  }
  if (d.transfers?.some((t) => t.secret !== undefined)) {
    out.transfers = d.transfers.map(({secret: s, ...t}) => (s === undefined ? t : {...t, sealedSecret: seal(s, secret, 'transfer secret')}))
  }
  return out
}

/** The satellite's side: the secrets back in the clear, in memory only. */
export function openLinkSecrets(d: DesiredState, secrets: readonly string[]): DesiredState {
  const out = {...d}
  if (d.luks?.some((l) => l.sealedKey !== undefined)) {
    out.luks = d.luks.map(({sealedKey, ...l}) => (sealedKey === undefined ? l : {...l, key: unsealWithAny(sealedKey, secrets, 'luks volume key')}))
  }
  if (d.transfers?.some((t) => t.sealedSecret !== undefined)) {
    out.transfers = d.transfers.map(({sealedSecret, ...t}) => (sealedSecret === undefined ? t : {...t, secret: unsealWithAny(sealedSecret, secrets, 'transfer secret')}))
  }
  return out
}
