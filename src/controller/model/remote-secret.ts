// Secrets a remote keeps (S3 keys, another cluster's passphrase), sealed at rest with the master
// key: AES-256-GCM under a key derived from it, bound to where the secret is stored so that a
// sealed value cannot be moved to another field or remote. Without a master key nothing can be
// sealed or opened, and the caller gets LINSTOR's "no master key" refusal.
import {hkdfSync} from 'node:crypto'
import {gcmOpen, gcmSeal} from '../../common/aes-gcm.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from './api-failure.ts'

/** A sealed secret as stored: base64 fields, version 1 = AES-256-GCM with an HKDF-SHA256 key. */
export interface SealedSecret {v: 1, iv: string, tag: string, data: string}

/** Seals a plaintext for one place (`context`); passed to the model so that it stays free of keys. */
export type Sealer = (plaintext: string, context: string) => SealedSecret
export type Opener = (sealed: SealedSecret, context: string) => string

const INFO = 'cairn remote secret v1'

function keyFrom(masterKey: Buffer | undefined, what: string): Buffer {
  if (!masterKey?.length) {
    throw new ApiFailure(Rc.FAIL_NOT_FOUND_CRYPT_KEY, {message: `Unable to ${what} the remote's secrets without having a master key`,
      cause: 'The master passphrase was not created yet, or not entered since the controller started',
      correction: 'Create or enter the master passphrase'})
  }
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), INFO, 32))
}

export function sealSecret(plaintext: string, masterKey: Buffer | undefined, context: string): SealedSecret {
  const {iv, tag, data} = gcmSeal(keyFrom(masterKey, 'encrypt'), plaintext, undefined, context)
  return {v: 1, iv: iv.toString('base64'), tag: tag.toString('base64'), data: data.toString('base64')}
}

export function openSecret(sealed: SealedSecret, masterKey: Buffer | undefined, context: string): string {
  const key = keyFrom(masterKey, 'decrypt')
  try {
    const parts = {iv: Buffer.from(sealed.iv, 'base64'), tag: Buffer.from(sealed.tag, 'base64'), data: Buffer.from(sealed.data, 'base64')}
    return gcmOpen(key, parts, context).toString('utf8')
  } catch {
    // Never echo the sealed value or the key: only that they do not fit together.
    throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: `Decrypting a remote's secret (${context}) failed`,
      cause: 'The stored value was sealed with another master key, or it was altered',
      correction: 'Enter the master passphrase this cluster was using, or set the remote\'s keys again'})
  }
}

/** The sealer and opener for a master key that may not be there (yet). */
export const sealerFor = (masterKey: () => Buffer | undefined): Sealer => (p, c) => sealSecret(p, masterKey(), c)
export const openerFor = (masterKey: () => Buffer | undefined): Opener => (s, c) => openSecret(s, masterKey(), c)
