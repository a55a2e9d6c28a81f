// The master passphrase, as LINSTOR's `encryption` commands manage it. The database keeps only a
// scrypt salt, a verifier and a random master key wrapped (AES-256-GCM) by the passphrase-derived
// key: changing the passphrase re-wraps the same master key, so every secret sealed with it (LUKS
// volume keys, remote credentials) stays valid. The unwrapped key lives only in controller memory
// (crypt-holder.ts). Pure apart from the randomness passed in.
import {createHash, randomBytes, scryptSync, timingSafeEqual} from 'node:crypto'
import {GCM_IV_BYTES, gcmOpen, gcmSeal, packGcm, unpackGcm} from '../../common/aes-gcm.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from './api-failure.ts'
import type {Change, ClusterState} from './state.ts'

/** Where the record lives: a ctrlProps entry of its own, so that no property listing ever shows it. */
export const ENCRYPTION_KEY = 'ENCRYPTION'

export type PassphraseStatus = 'unset' | 'locked' | 'unlocked'

export type Random = (bytes: number) => Buffer

export interface CryptRecord {
  kdf: 'scrypt'
  /** scrypt cost (N), block size (r) and parallelism (p): stored so that later versions may raise them. */
  cost: number
  blockSize: number
  parallel: number
  salt: string
  /** SHA-256 of the second half of the derived bytes: tells a wrong passphrase from a damaged record. */
  verifier: string
  /** iv | tag | ciphertext of the master key, base64. */
  wrappedKey: string
}

const KEY_BYTES = 32
const DEFAULT_COST = {cost: 2 ** 14, blockSize: 8, parallel: 1}

export function cryptRecordOf(state: ClusterState): CryptRecord | undefined {
  const p = state.ctrlProps[ENCRYPTION_KEY]?.props
  if (!p?.wrappedKey || !p.salt || !p.verifier) return undefined
  return {kdf: 'scrypt', cost: Number(p.cost), blockSize: Number(p.blockSize), parallel: Number(p.parallel), salt: p.salt, verifier: p.verifier,
    wrappedKey: p.wrappedKey}
}

export function passphraseStatus(state: ClusterState, masterKey: Buffer | undefined): PassphraseStatus {
  if (!cryptRecordOf(state)) return 'unset'
  return masterKey ? 'unlocked' : 'locked'
}

/** A master key for a first passphrase; the caller keeps the key in memory and commits the changes. */
export function createPassphrase(state: ClusterState, passphrase: unknown, rand: Random = randomBytes): {masterKey: Buffer, changes: Change[]} {
  if (cryptRecordOf(state)) {
    throw new ApiFailure(Rc.FAIL_EXISTS_CRYPT_PASSPHRASE, {message: 'Could not create new crypt passphrase as it already exists',
      cause: 'A passphrase was already defined', correction: 'Use `encryption modify-passphrase` instead of `encryption create-passphrase`.'})
  }
  const masterKey = rand(KEY_BYTES)
  return {masterKey, changes: wrapChanges(masterKey, readPassphrase(passphrase, 'new_passphrase'), rand)}
}

/** The unwrapped master key, or LINSTOR's refusal for a missing record or a wrong passphrase. */
export function enterPassphrase(state: ClusterState, passphrase: unknown): Buffer {
  const rec = cryptRecordOf(state)
  if (!rec) {
    throw new ApiFailure(Rc.FAIL_MISSING_PROPS, {message: 'No master passphrase exists yet: there is nothing to enter.',
      cause: 'The master passphrase was never created.', correction: 'Create it with `encryption create-passphrase`.'})
  }
  return unwrap(rec, typeof passphrase === 'string' ? passphrase : '')
}

/** Re-wraps the same master key under a new passphrase; the old one must be right. */
export function modifyPassphrase(state: ClusterState, oldPassphrase: unknown, newPassphrase: unknown,
  rand: Random = randomBytes): {masterKey: Buffer, changes: Change[]} {
  const rec = cryptRecordOf(state)
  if (!rec) {
    throw new ApiFailure(Rc.FAIL_EXISTS_CRYPT_PASSPHRASE, {message: 'Could not modify crypt passphrase as it does not exist',
      cause: 'No passphrase was defined yet', correction: 'Use `encryption create-passphrase` instead of `encryption modify-passphrase`.'})
  }
  const next = readPassphrase(newPassphrase, 'new_passphrase')
  const masterKey = unwrap(rec, typeof oldPassphrase === 'string' ? oldPassphrase : '')
  return {masterKey, changes: wrapChanges(masterKey, next, rand)}
}

function readPassphrase(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw === '') {
    throw new ApiFailure(Rc.FAIL_INVLD_CRYPT_PASSPHRASE, {message: `The passphrase ('${field}') must be a non-empty string.`,
      cause: 'An empty passphrase would protect nothing.', correction: 'Give a passphrase.'})
  }
  return raw
}

function derive(passphrase: string, salt: Buffer, c: {cost: number, blockSize: number, parallel: number}): {wrapKey: Buffer, verifier: string} {
  const bytes = scryptSync(passphrase, salt, 2 * KEY_BYTES, {N: c.cost, r: c.blockSize, p: c.parallel, maxmem: 256 * c.cost * c.blockSize})
  return {wrapKey: bytes.subarray(0, KEY_BYTES), verifier: createHash('sha256').update(bytes.subarray(KEY_BYTES)).digest('base64')}
}

function wrapChanges(masterKey: Buffer, passphrase: string, rand: Random): Change[] {
  const salt = rand(16)
  const {wrapKey, verifier} = derive(passphrase, salt, DEFAULT_COST)
  const props: Record<string, string> = {kdf: 'scrypt', cost: String(DEFAULT_COST.cost), blockSize: String(DEFAULT_COST.blockSize),
    parallel: String(DEFAULT_COST.parallel), salt: salt.toString('base64'), verifier, wrappedKey: seal(wrapKey, masterKey, rand)}
  return [{t: 'ctrlProps', k: ENCRYPTION_KEY, v: {props}}]
}

function unwrap(rec: CryptRecord, passphrase: string): Buffer {
  const {wrapKey, verifier} = derive(passphrase, Buffer.from(rec.salt, 'base64'), rec)
  const a = Buffer.from(verifier, 'base64')
  const b = Buffer.from(rec.verifier, 'base64')
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ApiFailure(Rc.FAIL_MISSING_PROPS, {message: 'Could not restore master passphrase as the given old passphrase was incorrect',
      cause: 'Wrong passphrase', correction: 'Enter the correct passphrase'})
  }
  try {
    return open(wrapKey, rec.wrappedKey)
  } catch {
    throw new ApiFailure(Rc.FAIL_INVLD_CRYPT_PASSPHRASE, {message: 'Failed to decrypt secrets',
      cause: 'The passphrase is right but the stored master key does not decrypt: the record is damaged.',
      correction: 'Restore the controller database from a backup.'})
  }
}

const seal = (key: Buffer, plain: Buffer, rand: Random): string => packGcm(gcmSeal(key, plain, rand(GCM_IV_BYTES)))
const open = (key: Buffer, sealed: string): Buffer => gcmOpen(key, unpackGcm(sealed))

/** A secret (a LUKS key, a remote's credential) sealed with the master key for the database. */
export const sealSecret = (masterKey: Buffer, plain: string, rand: Random = randomBytes): string => seal(masterKey, Buffer.from(plain, 'utf8'), rand)

/** The inverse of sealSecret; throws when the key is not the one it was sealed with. */
export const openSecret = (masterKey: Buffer, sealed: string): string => open(masterKey, sealed).toString('utf8')
