// /v1/controller/auth: bearer tokens (initialise token authentication, create, list, modify,
// revoke). A token is returned once, in `obj_refs.token`, as LINSTOR does; it is never logged.
import type {Router} from 'express'
import {Rc} from '../../common/api-call-rc.ts'
import {optBool} from '../../common/input.ts'
import {ApiFailure, asApiFailure} from '../model/api-failure.ts'
import {createToken, listTokens, modifyToken, newToken, revokeToken, TOKEN_AUTH_PROP, tokenAuthEnabled} from '../model/auth-token.ts'
import {CTRL, ctrlPropsOf} from '../model/controller-props.ts'
import type {RestDeps} from './deps.ts'
import {mutation, sendJson} from './reply.ts'

function tokenId(raw: unknown): number {
  const id = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN
  if (Number.isNaN(id)) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `'${String(raw)}' is not a token id.`, correction: 'Token ids are the numbers `cairn controller token list` shows.'})
  return id
}

export function authTokenRoutes(r: Router, deps: RestDeps): void {
  const {store, ids} = deps

  r.post('/v1/controller/auth/initialize-token-auth', mutation({op: 'create', obj: 'ctrlConf', body: 'InitAuthTokenRequest'}, async (req, _res, ok) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const noHttps = asApiFailure(() => optBool(body.no_https, 'no_https')) === true
    if (tokenAuthEnabled(store.state, ids.now())) {
      return [ok(Rc.INFO_NOOP, asApiFailure(() => optBool(body.only_satellites, 'only_satellites'))
        ? {message: 'Satellites authenticate with the cluster secret; there are no satellite tokens to re-initialize.'}
        : {message: 'Token authentication is already enabled'})]
    }
    const token = newToken()
    const {rec, changes} = createToken(store.state, {description: body.description ?? 'init-client'}, token, ids.now())
    const props = {...ctrlPropsOf(store.state), [TOKEN_AUTH_PROP]: 'true'}
    // HTTPS first: a token must not start being required before the channel that carries it is encrypted.
    const httpsUrl = noHttps || !deps.autoHttps ? undefined : await deps.autoHttps()
    await store.commit([...changes, {t: 'ctrlProps', k: CTRL, v: {props}}])
    deps.log.info('token authentication initialized', {id: rec.id})
    return [ok(Rc.CREATED, {message: `Token authentication initialized successfully. Init token ${token}`, obj_refs: {token},
      details: httpsUrl ? `HTTPS is on at ${httpsUrl}; send the token there as 'Authorization: Bearer <token>'.` : undefined})]
  }, 201))

  r.get('/v1/controller/auth/token', (_req, res) => {
    const list = listTokens(store.state)
    sendJson(res, 200, {count: list.length, list})
  })

  r.post('/v1/controller/auth/token', mutation({op: 'create', obj: 'ctrlConf', body: 'CreateAuthToken'}, async (req, _res, ok) => {
    const token = newToken()
    const {rec, changes} = createToken(store.state, req.body, token, ids.now())
    await store.commit(changes)
    deps.log.info('auth token created', {id: rec.id, read_only: rec.readOnly === true})
    return [ok(Rc.CREATED, {message: `Auth token created successfully: ${token}`, obj_refs: {token, id: String(rec.id)}})]
  }, 201))

  r.put('/v1/controller/auth/token/:id', mutation({op: 'modify', obj: 'ctrlConf', body: 'ModifyAuthToken'}, async (req, _res, ok) => {
    const {rec, changes} = modifyToken(store.state, tokenId(req.params.id), req.body)
    await store.commit(changes)
    return [ok(Rc.MODIFIED, {message: 'Auth token modified successfully', obj_refs: {id: String(rec.id)}})]
  }, 200))

  r.delete('/v1/controller/auth/token/:id', mutation({op: 'delete', obj: 'ctrlConf'}, async (req, _res, ok) => {
    const changes = revokeToken(store.state, tokenId(req.params.id), ids.now())
    if (!changes) return [ok(Rc.WARN_NOT_FOUND, {message: 'Auth token not found or already revoked', cause: 'The specified auth token does not exist or was already revoked'})]
    await store.commit(changes)
    return [ok(Rc.DELETED, {message: 'Auth token revoked successfully'})]
  }, 200))
}
