import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {NonceCache, signReply, signRequest, verifyReply, verifyRequest} from '../../src/protocol/auth.ts'

const SECRET = 'cluster-secret-1'
const T = 1_767_225_600_000
const BODY = '{"generation":3}'

describe('request signatures', () => {
  test('sign then verify: accepted, and the nonce comes back', () => {
    const {header, nonce} = signRequest(SECRET, 'POST', '/internal/v1/sync', BODY, T)
    assert.match(header, /^v1 ts=\d+ nonce=[0-9a-f]{32} sig=[0-9a-f]{64}$/)
    assert.deepEqual(verifyRequest(SECRET, header, 'POST', '/internal/v1/sync', BODY, new NonceCache(), T), {ok: true, nonce})
  })

  test('each signature has a fresh nonce', () => {
    const a = signRequest(SECRET, 'POST', '/p', BODY, T)
    const b = signRequest(SECRET, 'POST', '/p', BODY, T)
    assert.notEqual(a.nonce, b.nonce)
  })

  // [what changes, secret, header transform, method, path, body, verify time, reason]
  const signed = signRequest(SECRET, 'POST', '/internal/v1/sync', BODY, T)
  const cases: [string, string, string | undefined, string, string, string, number, RegExp][] = [
    ['tampered body', SECRET, signed.header, 'POST', '/internal/v1/sync', '{"generation":4}', T, /bad signature/],
    ['tampered path', SECRET, signed.header, 'POST', '/internal/v1/other', BODY, T, /bad signature/],
    ['tampered method', SECRET, signed.header, 'PUT', '/internal/v1/sync', BODY, T, /bad signature/],
    ['wrong secret', 'other-secret', signed.header, 'POST', '/internal/v1/sync', BODY, T, /bad signature/],
    ['tampered timestamp', SECRET, signed.header.replace(`ts=${T}`, `ts=${T + 1}`), 'POST', '/internal/v1/sync', BODY, T, /bad signature/],
    ['tampered nonce', SECRET, signed.header.replace(/nonce=./, (m) => m.endsWith('0') ? 'nonce=1' : 'nonce=0'), 'POST', '/internal/v1/sync', BODY, T,
      /bad signature/],
    ['clock 61 s ahead', SECRET, signed.header, 'POST', '/internal/v1/sync', BODY, T - 61_000, /clock skew/],
    ['request 61 s old', SECRET, signed.header, 'POST', '/internal/v1/sync', BODY, T + 61_000, /clock skew/],
    ['missing header', SECRET, undefined, 'POST', '/internal/v1/sync', BODY, T, /missing or malformed/],
    ['empty header', SECRET, '', 'POST', '/internal/v1/sync', BODY, T, /missing or malformed/],
    ['unknown version', SECRET, signed.header.replace(/^v1/, 'v2'), 'POST', '/internal/v1/sync', BODY, T, /missing or malformed/],
    ['short signature', SECRET, signed.header.slice(0, -2), 'POST', '/internal/v1/sync', BODY, T, /missing or malformed/],
    ['upper-case hex', SECRET, signed.header.toUpperCase().replace('V1 TS=', 'v1 ts=').replace(' NONCE=', ' nonce=').replace(' SIG=', ' sig='),
      'POST', '/internal/v1/sync', BODY, T, /missing or malformed/],
  ]
  for (const [name, secret, header, method, path, body, now, reason] of cases) {
    test(`${name} is refused`, () => {
      const v = verifyRequest(secret, header, method, path, body, new NonceCache(), now)
      assert.equal(v.ok, false)
      assert.match(v.ok ? '' : v.reason, reason)
    })
  }

  test('within the skew (60 s either way) is accepted', () => {
    for (const now of [T - 60_000, T + 60_000]) {
      assert.equal(verifyRequest(SECRET, signed.header, 'POST', '/internal/v1/sync', BODY, new NonceCache(), now).ok, true)
    }
  })

  test('a replayed request is refused by the nonce cache', () => {
    const nonces = new NonceCache()
    const {header} = signRequest(SECRET, 'POST', '/p', BODY, T)
    assert.equal(verifyRequest(SECRET, header, 'POST', '/p', BODY, nonces, T).ok, true)
    const again = verifyRequest(SECRET, header, 'POST', '/p', BODY, nonces, T + 1000)
    assert.deepEqual(again, {ok: false, reason: 'replayed request'})
  })

  test('a request with a bad signature does not use up its nonce', () => {
    const nonces = new NonceCache()
    const {header} = signRequest(SECRET, 'POST', '/p', BODY, T)
    assert.equal(verifyRequest(SECRET, header, 'POST', '/p', 'forged', nonces, T).ok, false)
    assert.equal(verifyRequest(SECRET, header, 'POST', '/p', BODY, nonces, T).ok, true)
  })
})

describe('NonceCache', () => {
  test('admits a nonce once', () => {
    const c = new NonceCache()
    assert.equal(c.admit('a', T), true)
    assert.equal(c.admit('a', T + 1), false)
    assert.equal(c.admit('b', T + 1), true)
  })

  test('forgets nonces older than twice the skew (when the timestamp check already refuses them)', () => {
    const c = new NonceCache()
    c.admit('a', T)
    assert.equal(c.admit('a', T + 120_000), false)
    assert.equal(c.admit('a', T + 120_001), true)
  })
})

describe('reply signatures', () => {
  const {nonce} = signRequest(SECRET, 'POST', '/p', BODY, T)
  const reply = '{"generation":3,"volumes":[]}'
  const header = signReply(SECRET, nonce, 200, reply)

  test('sign then verify', () => {
    assert.match(header, /^v1 sig=[0-9a-f]{64}$/)
    assert.equal(verifyReply(SECRET, header, nonce, 200, reply), true)
  })

  const other = signRequest(SECRET, 'POST', '/p', BODY, T).nonce
  const cases: [string, string, string | undefined, string, number, string][] = [
    ['bound to the nonce', SECRET, header, other, 200, reply],
    ['bound to the status', SECRET, header, nonce, 500, reply],
    ['bound to the body', SECRET, header, nonce, 200, '{"generation":4}'],
    ['wrong secret', 'x', header, nonce, 200, reply],
    ['missing header', SECRET, undefined, nonce, 200, reply],
    ['malformed header', SECRET, 'v1 sig=zz', nonce, 200, reply],
    ['request signature used as a reply', SECRET, `v1 sig=${signRequest(SECRET, 'POST', '/p', reply, T).header.slice(-64)}`, nonce, 200, reply],
  ]
  for (const [name, secret, h, n, status, body] of cases) {
    test(`refused: ${name}`, () => assert.equal(verifyReply(secret, h, n, status, body), false))
  }
})
