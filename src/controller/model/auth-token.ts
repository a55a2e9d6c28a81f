// REST API bearer tokens, as LINSTOR's CtrlAuthHandler keeps them: only a SHA-256 of each token
// is stored (tokens are 256 random bits, so a fast hash is enough), a revoked token keeps its
// record with `deleted_at` and leaves the listing, and token authentication is enforced only
// while `Auth/TokenAuthenticationEnabled` is true and at least one token is valid, so that the
// last token expiring cannot lock every client out. Read-only tokens are Cairn's addition.
import {createHash, randomBytes} from 'node:crypto'
import {isIP} from 'node:net'
import type {AuthToken} from '../../api/wire.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {object, optBool, optString} from '../../common/input.ts'
import {ApiFailure, asApiFailure} from './api-failure.ts'
import {ctrlPropsOf} from './controller-props.ts'
import type {Change, ClusterState} from './state.ts'

export const TOKEN_AUTH_PROP = 'Auth/TokenAuthenticationEnabled'

export interface AuthTokenRec {
  id: number
  /** Hex SHA-256 of the token; the token itself is shown once, on creation. */
  hash: string
  description: string
  createdAt: number
  expiresAt?: number
  ipFilter?: string
  isActive: boolean
  deletedAt?: number
  /** False for the per-satellite tokens LINSTOR makes; every token made through the API is a user token. */
  isUserToken: boolean
  readOnly?: boolean
}

/** The wire view, with Cairn's `read_only` beside the contract's fields. */
export type AuthTokenView = AuthToken & {read_only?: boolean}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')
export const newToken = (): string => randomBytes(32).toString('base64url')

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString())

export function tokenView(t: AuthTokenRec): AuthTokenView {
  return {id: t.id, created_at: iso(t.createdAt) as string, description: t.description, is_active: t.isActive, is_user_token: t.isUserToken,
    expires_at: iso(t.expiresAt), ip_filter: t.ipFilter, read_only: t.readOnly || undefined}
}

/** GET /v1/controller/auth/token: every token not revoked, by id. */
export const listTokens = (state: ClusterState): AuthTokenView[] =>
  Object.values(state.authTokens).filter((t) => t.deletedAt === undefined).sort((a, b) => a.id - b.id).map(tokenView)

/** Why a token cannot be used now, or undefined when it can. */
export function tokenProblem(t: AuthTokenRec, now: number): string | undefined {
  if (t.deletedAt !== undefined) return 'Token has been revoked.'
  if (!t.isActive) return 'Token is disabled.'
  if (t.expiresAt !== undefined && t.expiresAt < now) return 'Token has expired.'
  return undefined
}

export function tokenAuthEnabled(state: ClusterState, now: number): boolean {
  return /^(true|yes)$/i.test(ctrlPropsOf(state)[TOKEN_AUTH_PROP] ?? '') &&
    Object.values(state.authTokens).some((t) => tokenProblem(t, now) === undefined)
}

export type TokenCheck = {ok: true, token: AuthTokenRec} | {ok: false, reason: string}

/** A presented token against the stored ones, its validity and its IP filter. */
export function checkToken(state: ClusterState, presented: string, remoteAddr: string | undefined, now: number): TokenCheck {
  const hash = hashToken(presented)
  const t = Object.values(state.authTokens).find((x) => x.hash === hash)
  if (!t) return {ok: false, reason: 'Token not found.'}
  const problem = tokenProblem(t, now)
  if (problem) return {ok: false, reason: problem}
  if (t.ipFilter && t.ipFilter !== unmapped(remoteAddr)) return {ok: false, reason: 'Token IP filter mismatch.'}
  return {ok: true, token: t}
}

/** "::ffff:10.0.0.1" as a dual-stack socket reports an IPv4 peer → "10.0.0.1". */
const unmapped = (addr: string | undefined): string | undefined => addr?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')

const invalid = (message: string, cause: string): ApiFailure => new ApiFailure(Rc.FAIL_INVLD_CONF, {message, cause})

/** LINSTOR takes the date part of `expires_at` and lets the token run until the start of that day, UTC. */
function expiry(raw: string | undefined): number | undefined {
  if (!raw) return undefined
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw)
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== raw.slice(0, 10)) {
    throw invalid(`Invalid expiration date format: ${raw}`, 'The expiration date must start with a valid date (e.g., 2025-12-31)')
  }
  return t
}

function ipFilter(raw: string | undefined): string | undefined {
  if (!raw) return undefined
  if (!isIP(raw)) throw invalid(`Invalid IP filter: ${raw}`, 'The IP filter must be a valid IPv4 or IPv6 address')
  return raw
}

/** A new token record for `body` (CreateAuthToken); `token` is the secret the caller hands out once. */
export function createToken(state: ClusterState, body: unknown, token: string, now: number, isUserToken = true): {rec: AuthTokenRec, changes: Change[]} {
  const o = asApiFailure(() => object(body ?? {}, 'auth token'))
  const description = asApiFailure(() => optString(o.description, 'description', 256)) ?? ''
  const rec: AuthTokenRec = {
    id: Math.max(0, ...Object.values(state.authTokens).map((t) => t.id)) + 1, hash: hashToken(token), description, createdAt: now,
    expiresAt: expiry(asApiFailure(() => optString(o.expires_at, 'expires_at'))), ipFilter: ipFilter(asApiFailure(() => optString(o.ip_filter, 'ip_filter'))),
    isActive: true, isUserToken, readOnly: asApiFailure(() => optBool(o.read_only, 'read_only')) || undefined,
  }
  return {rec, changes: [{t: 'authTokens', k: String(rec.id), v: rec}]}
}

const liveToken = (state: ClusterState, id: number): AuthTokenRec | undefined => {
  const t = state.authTokens[String(id)]
  return t && t.deletedAt === undefined ? t : undefined
}

/** PUT /v1/controller/auth/token/{id} (ModifyAuthToken): description, IP filter, enabled or disabled. */
export function modifyToken(state: ClusterState, id: number, body: unknown): {rec: AuthTokenRec, changes: Change[]} {
  const old = liveToken(state, id)
  // LINSTOR answers a missing token with the node's not-found code (and so 404).
  if (!old) throw new ApiFailure(Rc.FAIL_NOT_FOUND_NODE, {message: 'Auth token not found', cause: 'The specified auth token does not exist',
    correction: 'List the tokens with `cairn controller token list`.'})
  const o = asApiFailure(() => object(body ?? {}, 'auth token modify'))
  const description = asApiFailure(() => optString(o.description, 'description', 256))
  const active = asApiFailure(() => optBool(o.is_active, 'is_active'))
  const filter = asApiFailure(() => optString(o.ip_filter, 'ip_filter'))
  const rec: AuthTokenRec = {...old, description: description ?? old.description, isActive: active ?? old.isActive,
    ipFilter: filter === undefined ? old.ipFilter : ipFilter(filter)}
  return {rec, changes: [{t: 'authTokens', k: String(id), v: rec}]}
}

/**
 * DELETE /v1/controller/auth/token/{id}: the record stays, marked revoked, so the id is never
 * reused. Undefined when there is no such token (already revoked).
 */
export function revokeToken(state: ClusterState, id: number, now: number): Change[] | undefined {
  const old = liveToken(state, id)
  return old && [{t: 'authTokens', k: String(id), v: {...old, deletedAt: now, isActive: false}}]
}
