import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {Rc, withContext} from '../../src/common/api-call-rc.ts'
import {authRequired, decide, isRead, type AuthMethods, type Principal} from '../../src/controller/auth/authentication.ts'
import {checkToken, createToken, hashToken, listTokens, modifyToken, revokeToken, TOKEN_AUTH_PROP, tokenAuthEnabled} from '../../src/controller/model/auth-token.ts'
import {CTRL} from '../../src/controller/model/controller-props.ts'
import {emptyState, type ClusterState} from '../../src/controller/model/state.ts'
import {hashPassword, parseUsersFile, upsertUser, verifyPassword} from '../../src/controller/auth/users-file.ts'
import {httpsRedirect} from '../../src/daemon/rest-listeners.ts'
import {apply, failsWith, NOW} from '../support/model.ts'

const DAY = 86_400_000
const none: AuthMethods = {basic: false, clientCertificates: false}

/** A state with token auth on and the given tokens (description → token secret). */
function withTokens(tokens: Record<string, {secret: string, body?: Record<string, unknown>}>, enabled = true): ClusterState {
  const s = emptyState()
  if (enabled) apply(s, [{t: 'ctrlProps', k: CTRL, v: {props: {[TOKEN_AUTH_PROP]: 'true'}}}])
  for (const [description, t] of Object.entries(tokens)) apply(s, createToken(s, {description, ...t.body}, t.secret, NOW).changes)
  return s
}

describe('auth tokens (model)', () => {
  test('only a hash is stored; ids count up; the listing hides revoked tokens and never shows a secret', () => {
    const s = withTokens({a: {secret: 'secret-a'}, b: {secret: 'secret-b', body: {read_only: true, ip_filter: '10.0.0.1', expires_at: '2030-01-02T00:00:00Z'}}})
    assert.deepEqual(Object.values(s.authTokens).map((t) => [t.id, t.hash]), [[1, hashToken('secret-a')], [2, hashToken('secret-b')]])
    assert.ok(!JSON.stringify(s).includes('secret-a'))
    assert.deepEqual(listTokens(s).map((t) => [t.id, t.description, t.read_only, t.ip_filter, t.expires_at]),
      [[1, 'a', undefined, undefined, undefined], [2, 'b', true, '10.0.0.1', '2030-01-02T00:00:00.000Z']])
    apply(s, revokeToken(s, 1, NOW) ?? [])
    assert.deepEqual(listTokens(s).map((t) => t.id), [2])
    assert.equal(revokeToken(s, 1, NOW), undefined, 'revoking twice is a no-op (the route answers a warning)')
    apply(s, createToken(s, {description: 'c'}, 'secret-c', NOW).changes)
    assert.deepEqual(listTokens(s).map((t) => t.id), [2, 3], 'a revoked id is never reused')
  })

  test('token auth is enforced only with the property set and a usable token (no lock-out)', () => {
    assert.equal(tokenAuthEnabled(withTokens({a: {secret: 'x'}}), NOW), true)
    assert.equal(tokenAuthEnabled(withTokens({a: {secret: 'x'}}, false), NOW), false)
    assert.equal(tokenAuthEnabled(withTokens({}), NOW), false)
    const expired = withTokens({a: {secret: 'x', body: {expires_at: new Date(NOW - DAY).toISOString()}}})
    assert.equal(tokenAuthEnabled(expired, NOW), false)
  })

  test('checkToken: unknown, revoked, disabled, expired, IP filter (IPv4-mapped addresses included)', () => {
    const s = withTokens({ok: {secret: 'ok'}, ip: {secret: 'ip', body: {ip_filter: '10.1.1.1'}}, old: {secret: 'old', body: {expires_at: '2020-01-01'}},
      off: {secret: 'off'}, gone: {secret: 'gone'}})
    apply(s, modifyToken(s, 4, {is_active: false}).changes)
    apply(s, revokeToken(s, 5, NOW) ?? [])
    const why = (secret: string, addr?: string): string => {
      const c = checkToken(s, secret, addr, NOW)
      return c.ok ? 'ok' : c.reason
    }
    assert.equal(why('ok'), 'ok')
    assert.equal(why('nope'), 'Token not found.')
    assert.equal(why('ip', '10.1.1.2'), 'Token IP filter mismatch.')
    assert.equal(why('ip', '::ffff:10.1.1.1'), 'ok')
    assert.equal(why('old'), 'Token has expired.')
    assert.equal(why('off'), 'Token is disabled.')
    assert.equal(why('gone'), 'Token has been revoked.')
  })

  test('bad input: LINSTOR\'s codes and texts', () => {
    const s = withTokens({})
    failsWith(() => createToken(s, {description: 'x', expires_at: '2025-13-40'}, 't', NOW), Rc.FAIL_INVLD_CONF, /Invalid expiration date format/)
    failsWith(() => createToken(s, {description: 'x', ip_filter: 'host.example'}, 't', NOW), Rc.FAIL_INVLD_CONF, /Invalid IP filter/)
    failsWith(() => createToken(s, {description: 7}, 't', NOW), Rc.FAIL_INVLD_REQUEST)
    failsWith(() => modifyToken(s, 9, {description: 'x'}), Rc.FAIL_NOT_FOUND_NODE, /Auth token not found/)
  })
})

describe('authentication decisions', () => {
  const basic = (user: string, password: string): Principal | undefined =>
    (user === 'admin' && password === 'pw' ? {kind: 'user', name: 'user admin', readOnly: false}
      : user === 'viewer' && password === 'pw' ? {kind: 'user', name: 'user viewer', readOnly: true} : undefined)
  const b64 = (s: string): string => Buffer.from(s).toString('base64')
  const tokens = withTokens({full: {secret: 'FULL'}, ro: {secret: 'RO', body: {read_only: true}}})
  const run = (state: ClusterState, methods: AuthMethods, req: {method?: string, path?: string, authorization?: string, certificateSubject?: string}) =>
    decide(state, methods, {method: req.method ?? 'GET', path: req.path ?? '/v1/nodes', authorization: req.authorization, certificateSubject: req.certificateSubject}, NOW, basic)

  const table: [string, ClusterState, AuthMethods, Parameters<typeof run>[2], string][] = [
    ['nothing configured: open', emptyState(), none, {method: 'DELETE'}, 'allow anonymous'],
    ['/health is always open', tokens, none, {path: '/health'}, 'allow anonymous'],
    ['no credentials with tokens on', tokens, none, {}, `401 ${withContext(Rc.FAIL_ACC_DENIED_COMMAND)} Bearer realm="linstor-controller"`],
    ['no credentials with Basic on', emptyState(), {basic: true, clientCertificates: false}, {}, `401 ${withContext(Rc.FAIL_SIGN_IN_MISSING_CREDENTIALS)} Basic realm="Linstor"`],
    ['wrong token', tokens, none, {authorization: 'Bearer nope'}, `401 ${withContext(Rc.FAIL_ACC_DENIED_COMMAND)} Bearer realm="linstor-controller"`],
    ['good token, scheme in any case', tokens, none, {method: 'POST', authorization: 'bearer FULL'}, 'allow token'],
    ['read-only token reads', tokens, none, {authorization: 'Bearer RO'}, 'allow token'],
    ['read-only token queries sizes', tokens, none, {method: 'POST', path: '/v1/resource-groups/rg/query-size-info', authorization: 'Bearer RO'}, 'allow token'],
    ['read-only token cannot write', tokens, none, {method: 'POST', path: '/v1/nodes', authorization: 'Bearer RO'}, `403 ${withContext(Rc.FAIL_ACC_DENIED_COMMAND)} `],
    ['Basic user', emptyState(), {basic: true, clientCertificates: false}, {method: 'PUT', authorization: `Basic ${b64('admin:pw')}`}, 'allow user'],
    ['Basic wrong password', emptyState(), {basic: true, clientCertificates: false}, {authorization: `Basic ${b64('admin:no')}`}, `403 ${withContext(Rc.FAIL_SIGN_IN)} `],
    ['Basic read-only user cannot delete', emptyState(), {basic: true, clientCertificates: false}, {method: 'DELETE', authorization: `Basic ${b64('viewer:pw')}`}, `403 ${withContext(Rc.FAIL_ACC_DENIED_COMMAND)} `],
    ['client certificate', emptyState(), {basic: false, clientCertificates: true}, {method: 'POST', certificateSubject: 'admin'}, 'allow certificate'],
    ['certificates asked for, none sent', emptyState(), {basic: false, clientCertificates: true}, {}, `401 ${withContext(Rc.FAIL_SIGN_IN_MISSING_CREDENTIALS)} `],
  ]
  for (const [name, state, methods, req, want] of table) {
    test(name, () => {
      const d = run(state, methods, req)
      assert.equal(d.allow ? `allow ${d.principal.kind}` : `${d.status} ${d.reply.ret_code} ${d.challenges.join(', ')}`, want)
    })
  }

  test('authentication is required as soon as any method is configured', () => {
    assert.equal(authRequired(none, tokenAuthEnabled(emptyState(), NOW)), false)
    assert.equal(authRequired({basic: true, clientCertificates: false}, tokenAuthEnabled(emptyState(), NOW)), true)
    assert.equal(authRequired(none, tokenAuthEnabled(tokens, NOW)), true)
    assert.equal(isRead('GET', '/v1/nodes') && !isRead('PATCH', '/v1/encryption/passphrase') && isRead('POST', '/v1/query-all-size-info'), true)
    assert.equal(isRead('GET', '/v1/sos-report'), false, 'creating an SOS report writes a file')
    assert.equal(isRead('GET', '/v1/sos-report/download'), true)
  })
})

describe('the Basic user file', () => {
  test('scrypt hashes verify only the right password, with a fresh salt each time', () => {
    const h = hashPassword('correct horse')
    assert.match(h, /^scrypt\$16384\$8\$1\$/)
    assert.notEqual(h, hashPassword('correct horse'))
    assert.equal(verifyPassword('correct horse', h), true)
    assert.equal(verifyPassword('wrong', h), false)
    assert.equal(verifyPassword('x', 'plain-text'), false)
  })

  test('parse, upsert, and errors that name the line', () => {
    const h = hashPassword('pw')
    let text = upsertUser('# users\n', {name: 'alice', hash: h, readOnly: false})
    text = upsertUser(text, {name: 'bob', hash: h, readOnly: true})
    text = upsertUser(text, {name: 'alice', hash: h, readOnly: true})
    assert.deepEqual(parseUsersFile(text).map((u) => [u.name, u.readOnly]), [['alice', true], ['bob', true]])
    assert.ok(text.startsWith('# users\n'))
    assert.throws(() => parseUsersFile(`alice:${h}\nbob:plain\n`), /line 2/)
    assert.throws(() => parseUsersFile(`al ice:${h}\n`), /line 1/)
    assert.throws(() => parseUsersFile(`alice:${h}:admin\n`), /line 1/)
  })
})

describe('HTTP next to HTTPS', () => {
  test('/v1 requests are redirected to the HTTPS port on the same host; /health and /metrics stay', () => {
    assert.equal(httpsRedirect('/v1/nodes?limit=1', 'ctl.example:3370', 3371), 'https://ctl.example:3371/v1/nodes?limit=1')
    assert.equal(httpsRedirect('/v1/controller/version', '[::1]:3370', 3371), 'https://[::1]:3371/v1/controller/version')
    assert.equal(httpsRedirect('/health', 'x', 3371), undefined)
    assert.equal(httpsRedirect('/metrics', 'x', 3371), undefined)
  })
})
