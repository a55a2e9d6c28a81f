import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {controllerUrl, controllerUrls, globalSection, resolveConnection, tokenOf, type ConnectionInputs} from '../../src/api/connection.ts'
import {altNames, clusterPlan, selfSignedPlan} from '../../src/controller/auth/certificates.ts'
import {issueCertificates} from '../../src/controller/auth/issue-certificates.ts'
import {createRun} from '../../src/satellite/exec.ts'
import {createLogger} from '../../src/common/log.ts'

describe('controller URLs', () => {
  const table: [string, string][] = [
    ['localhost', 'http://localhost:3370'], ['ctl:3380', 'http://ctl:3380'], ['10.0.0.1', 'http://10.0.0.1:3370'],
    ['::1', 'http://[::1]:3370'], ['[::1]:3380', 'http://[::1]:3380'], ['linstor+ssl://ctl', 'https://ctl:3371'],
    ['linstor://ctl', 'http://ctl:3370'], ['https://ctl', 'https://ctl:3371'], ['https://ctl:8443/', 'https://ctl:8443'],
    ['http://ctl', 'http://ctl:3370'],
  ]
  for (const [spec, want] of table) test(`${spec} → ${want}`, () => assert.equal(controllerUrl(spec), want))
  test('several controllers, in order', () => assert.deepEqual(controllerUrls('a, linstor+ssl://b,'), ['http://a:3370', 'https://b:3371']))
})

describe('client connection settings', () => {
  const files: Record<string, string> = {'/ca.pem': 'CA', '/me.pem': 'CERT\n-----BEGIN PRIVATE KEY-----\nK', '/tok': ' tok-from-file \n'}
  const base = (o: Partial<ConnectionInputs>): ConnectionInputs => ({flags: {}, env: {}, confFiles: [],
    readFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), {code: 'ENOENT'})
      return files[p] as string
    }, ...o})

  test('flags win over the environment, which wins over client.conf files (most specific first)', () => {
    const conf = ['[global]\ncontrollers = linstor+ssl://c1\ncafile=/ca.pem\n', '[global]\ncontrollers=c2\ncafile=/other.pem\n']
    assert.deepEqual(resolveConnection(base({confFiles: conf})).urls, ['https://c1:3371'])
    assert.deepEqual(resolveConnection(base({confFiles: conf, env: {LS_CONTROLLERS: 'e1,e2'}})).urls, ['http://e1:3370', 'http://e2:3370'])
    assert.deepEqual(resolveConnection(base({confFiles: conf, env: {LS_CONTROLLERS: 'e1'}, flags: {controllers: 'f1'}})).urls, ['http://f1:3370'])
    assert.deepEqual(resolveConnection(base({confFiles: conf})).tls, {ca: 'CA'})
  })

  test('certificates: inline PEM (golinstor), *_FILE, flags; a combined cert+key file serves as both', () => {
    assert.deepEqual(resolveConnection(base({env: {LS_ROOT_CA: 'INLINE'}})).tls, {ca: 'INLINE'})
    const t = resolveConnection(base({flags: {certfile: '/me.pem', cafile: '/ca.pem'}})).tls
    assert.equal(t?.ca, 'CA')
    assert.equal(t?.cert, files['/me.pem'])
    assert.equal(t?.key, files['/me.pem'])
    assert.throws(() => resolveConnection(base({flags: {cafile: '/missing.pem'}})), /ENOENT/)
  })

  test('bearer tokens: LS_BEARER_TOKEN, LS_BEARER_TOKEN_FILE (bare or auth.json), then /var/lib/linstor.d/auth.json', () => {
    assert.equal(resolveConnection(base({env: {LS_BEARER_TOKEN: 'abc'}, authJson: '{"token":"other"}'})).authorization, 'Bearer abc')
    assert.equal(resolveConnection(base({env: {LS_BEARER_TOKEN_FILE: '/tok'}})).authorization, 'Bearer tok-from-file')
    assert.equal(resolveConnection(base({authJson: '{"token": "from-auth-json"}'})).authorization, 'Bearer from-auth-json')
    assert.equal(resolveConnection(base({authJson: 'not json {'})).authorization, undefined)
    assert.equal(tokenOf('{"token": 5}'), undefined)
  })

  test('Basic: user and password; never over plain HTTP unless allowed', () => {
    assert.throws(() => resolveConnection(base({flags: {user: 'u', password: 'p'}})), /plain HTTP/)
    assert.throws(() => resolveConnection(base({flags: {user: 'u', controllers: 'https://c'}})), /no password/)
    const c = resolveConnection(base({flags: {user: 'u', controllers: 'https://c'}, env: {LS_PASSWORD: 'p:w'}}))
    assert.equal(c.authorization, `Basic ${Buffer.from('u:p:w').toString('base64')}`)
    assert.ok(resolveConnection(base({flags: {user: 'u', password: 'p', 'allow-insecure-auth': true}})).authorization?.startsWith('Basic '))
  })

  test('only the [global] section of a config file counts', () => {
    assert.deepEqual(globalSection('controllers=x\n[other]\nuser=a\n[Global]\n# c\nuser: b\nuser=c\n'), {user: 'b'})
  })
})

describe('certificates (openssl)', () => {
  test('subjectAltName: IPs and host names, anything else refused', () => {
    assert.equal(altNames(['ctl', '10.0.0.1', '::1']), 'DNS:ctl,IP:10.0.0.1,IP:::1')
    assert.throws(() => altNames(['a b']), /neither a host name nor an IP/)
    assert.throws(() => altNames(['x,DNS:evil']), /neither/)
  })

  test('a cluster CA signs a server and a client certificate that openssl verifies; keys are 0600; no overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-certs-'))
    try {
      const run = createRun(createLogger({level: 'error', format: 'text'}))
      const plan = clusterPlan(dir, {names: ['ctl.example', '127.0.0.1'], clients: ['admin'], days: 30})
      await issueCertificates(plan, run)
      const verify = execFileSync('openssl', ['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'server.pem'), join(dir, 'client-admin.pem')]).toString()
      assert.match(verify, /server.pem: OK/)
      assert.match(verify, /client-admin.pem: OK/)
      const text = execFileSync('openssl', ['x509', '-in', join(dir, 'server.pem'), '-noout', '-text']).toString()
      assert.match(text, /DNS:ctl\.example, IP Address:127\.0\.0\.1/)
      assert.match(text, /TLS Web Server Authentication/)
      assert.match(execFileSync('openssl', ['x509', '-in', join(dir, 'client-admin.pem'), '-noout', '-subject']).toString(), /CN ?= ?admin/)
      for (const f of plan.files.filter((x) => x.endsWith('-key.pem'))) assert.equal(statSync(f).mode & 0o777, 0o600, f)
      await assert.rejects(issueCertificates(plan, run), /already exist/)
      const self = selfSignedPlan(join(dir, 'self.pem'), join(dir, 'self-key.pem'), ['ctl'])
      await issueCertificates(self, run)
      assert.match(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'self.pem'), join(dir, 'self.pem')]).toString(), /OK/)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
