// AES-256-GCM, the one cipher Cairn seals secrets with (the master key in the database, LUKS
// keys and remote credentials under it, secrets inside link messages). Callers choose the key
// and how the parts are stored; the packed form is base64 of iv ‖ tag ‖ ciphertext.
import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto'

export const GCM_IV_BYTES = 12
const TAG_BYTES = 16

export interface GcmParts {iv: Buffer, tag: Buffer, data: Buffer}

/** `aad` binds the ciphertext to a context it cannot be moved out of. */
export function gcmSeal(key: Buffer, plain: Buffer | string, iv: Buffer = randomBytes(GCM_IV_BYTES), aad?: string): GcmParts {
  const c = createCipheriv('aes-256-gcm', key, iv)
  if (aad !== undefined) c.setAAD(Buffer.from(aad, 'utf8'))
  const data = Buffer.concat([c.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), c.final()])
  return {iv, tag: c.getAuthTag(), data}
}

/** Throws when the key, the AAD or the parts do not fit together. */
export function gcmOpen(key: Buffer, p: GcmParts, aad?: string): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, p.iv)
  if (aad !== undefined) d.setAAD(Buffer.from(aad, 'utf8'))
  d.setAuthTag(p.tag)
  return Buffer.concat([d.update(p.data), d.final()])
}

export const packGcm = (p: GcmParts): string => Buffer.concat([p.iv, p.tag, p.data]).toString('base64')

export function unpackGcm(packed: string): GcmParts {
  const raw = Buffer.from(packed, 'base64')
  return {iv: raw.subarray(0, GCM_IV_BYTES), tag: raw.subarray(GCM_IV_BYTES, GCM_IV_BYTES + TAG_BYTES), data: raw.subarray(GCM_IV_BYTES + TAG_BYTES)}
}
