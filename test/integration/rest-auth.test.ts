// HTTPS and authentication of the REST API, end to end: the whole route table refused without
// credentials, and a controller with HTTPS, client certificates, a Basic user file and bearer
// tokens driven through the real CLI.
import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import {connect} from 'node:tls'
import {join} from 'node:path'
import {createLogger} from '../../src/common/log.ts'
import {withContext, Rc} from '../../src/common/api-call-rc.ts'
import {startSatelliteLink} from '../../src/controller/link/satellite-link.ts'
import {createToken, TOKEN_AUTH_PROP} from '../../src/controller/model/auth-token.ts'
import {CTRL} from '../../src/controller/model/controller-props.ts'
import {buildApp, routeTable} from '../../src/controller/rest/app.ts'
import {openReportBook} from '../../src/controller/reports/report-book.ts'
import {openJournalStore} from '../../src/controller/store/journal-store.ts'
import {hashPassword} from '../../src/controller/auth/users-file.ts'
import {cleanup, cli, freePort, startDaemon, tempDir, waitFor, type Daemon} from '../support/cluster.ts'

const quiet = createLogger({level: 'error', format: 'text'})

describe('every route needs credentials once token authentication is on', () => {
  let dir: string
  let server: Server
  let base: string
  let routes: [string, string][]
  let stopLink: () => void

  before(async () => {
    dir = await tempDir()
    await mkdir(join(dir, 'db'))
    const store = await openJournalStore({dir: join(dir, 'db')})
    const link = startSatelliteLink({store, secret: 'x'.repeat(32), log: quiet, onReport: async () => undefined})
    stopLink = () => link.stop()
    const reports = await openReportBook(join(dir, 'reports'), quiet)
    const now = Date.now()
    await store.commit([{t: 'ctrlProps', k: CTRL, v: {props: {[TOKEN_AUTH_PROP]: 'true'}}},
      ...createToken(store.state, {description: 'full'}, 'FULL-TOKEN', now).changes])
    await store.commit(createToken(store.state, {description: 'ro', read_only: true}, 'RO-TOKEN', now).changes)
    const app = buildApp({store, link, ids: {uuid: () => crypto.randomUUID(), now: Date.now}, reports, log: quiet, pending: new Set()})
    routes = routeTable(app)
    server = createServer(app).listen(0, '127.0.0.1')
    await new Promise((ok) => server.once('listening', ok))
    base = `http://127.0.0.1:${(server.address() as {port: number}).port}`
  })
  after(async () => {
    stopLink()
    await new Promise((ok) => server.close(ok))
    await cleanup(dir)
  })

  const concrete = (p: string): string => p.replace(/:(\w+)/g, (_m, name: string) => (name === 'vlmNr' || name === 'volume' || name === 'nr' ? '0' : `x${name}`))
  const call = async (method: string, path: string, authorization?: string) =>
    fetch(`${base}${path}`, {method, headers: authorization ? {authorization} : {}, body: ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined,
      signal: AbortSignal.timeout(5000)})

  test('the table is the whole API (sanity: it has the routes clients use most)', () => {
    const ids = new Set(routes.map(([m, p]) => `${m} ${p}`))
    for (const r of ['GET /v1/nodes', 'POST /v1/resource-groups/:rg/spawn', 'GET /v1/view/resources', 'POST /v1/controller/auth/token', 'GET /metrics', 'GET /health']) {
      assert.ok(ids.has(r), `${r} in the route table`)
    }
    assert.ok(routes.length > 100, `${routes.length} routes`)
  })

  test('without credentials: 401 with LINSTOR\'s code and a Bearer challenge everywhere but /health', async () => {
    const refusedCode = withContext(Rc.FAIL_ACC_DENIED_COMMAND)
    for (const [method, p] of routes) {
      const res = await call(method, concrete(p))
      if (p === '/health') {
        assert.equal(res.status, 200)
        continue
      }
      assert.equal(res.status, 401, `${method} ${p}`)
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="linstor-controller"', `${method} ${p}`)
      const body = JSON.parse((await res.text()).replace(/("ret_code":)(-?\d+)/, '$1"$2"')) as [{ret_code: string}]
      assert.equal(BigInt(body[0].ret_code), refusedCode, `${method} ${p}`)
    }
  })

  test('a wrong token is refused the same way; the right one gets through', async () => {
    assert.equal((await call('GET', '/v1/nodes', 'Bearer WRONG')).status, 401)
    assert.equal((await call('GET', '/v1/nodes', 'Bearer FULL-TOKEN')).status, 200)
    const past = await call('POST', '/v1/resource-groups', 'Bearer FULL-TOKEN')
    assert.match(await past.text(), /Invalid resource group name/, 'past the gate: the empty body is the problem now')
  })

  test('a read-only token reads everything and changes nothing: 403 on every writing route', async () => {
    for (const [method, p] of routes) {
      if (p === '/health') continue
      const res = await call(method, concrete(p), 'Bearer RO-TOKEN')
      const read = (method === 'GET' && p !== '/v1/sos-report') || /query-(size-info|max-volume-size)|query-all-size-info|\/queries\//.test(p)
      if (read) assert.notEqual(res.status, 403, `${method} ${p}`)
      else assert.equal(res.status, 403, `${method} ${p}`)
      await res.body?.cancel()
    }
  })
})

describe('a controller with HTTPS, client certificates, Basic users and tokens, through the CLI', () => {
  let dir: string
  let daemon: Daemon
  let http: string
  let httpsPort: number
  let tls: string
  let usersFile: string
  const env: Record<string, string> = {}

  before(async () => {
    dir = await tempDir()
    tls = join(dir, 'tls')
    const made = await cli(['controller', 'certs', 'create', '--out-dir', tls, '--name', 'localhost', '--name', '127.0.0.1', '--client', 'admin', '--days', '30'])
    assert.equal(made.code, 0, made.stderr)
    usersFile = join(dir, 'users')
    await writeFile(usersFile, `alice:${hashPassword('alice-pw')}\nviewer:${hashPassword('viewer-pw')}:read-only\n`, {mode: 0o600})
    const port = await freePort()
    httpsPort = await freePort()
    http = `http://127.0.0.1:${port}`
    daemon = startDaemon(['combined', '--data-dir', dir, '--rest-address', '127.0.0.1', '--rest-port', String(port), '--https-port', String(httpsPort),
      '--https-client-ca', join(tls, 'ca.pem'), '--users-file', usersFile,
      '--satellite-address', '127.0.0.1', '--satellite-port', String(await freePort()), '--node-name', 'auth1'])
    await waitFor('health', async () => ((await fetch(`${http}/health`)).status === 200 ? true : undefined), 20_000)
    // No client config of the host may leak in.
    Object.assign(env, {CAIRN_CLIENT_CONF: join(dir, 'no-client.conf'), CAIRN_AUTH_JSON: join(dir, 'no-auth.json')})
  })
  after(async () => {
    await daemon.stop()
    await cleanup(dir)
  })

  const https = (): string => `linstor+ssl://127.0.0.1:${httpsPort}`
  const asAdmin = (): string[] => ['--cafile', join(tls, 'ca.pem'), '--certfile', join(tls, 'client-admin.pem'), '--keyfile', join(tls, 'client-admin-key.pem')]

  test('HTTP keeps /health and redirects /v1 to HTTPS with 302', async () => {
    const res = await fetch(`${http}/v1/nodes`, {redirect: 'manual'})
    assert.equal(res.status, 302)
    assert.equal(res.headers.get('location'), `https://127.0.0.1:${httpsPort}/v1/nodes`)
  })

  test('no credentials: exit 10 with the 401 message; an untrusted certificate: exit 20 naming --cafile', async () => {
    const r = await cli(['--controllers', https(), '--cafile', join(tls, 'ca.pem'), 'node', 'list'], env)
    assert.equal(r.code, 10, r.stderr)
    assert.match(r.stderr, /credentials required/)
    const untrusted = await cli(['node', 'list', '--controllers', https()], env)
    assert.equal(untrusted.code, 20, untrusted.stderr)
    assert.match(untrusted.stderr, /--cafile/)
  })

  test('a client certificate signed by the cluster CA authenticates, also after following the HTTP redirect', async () => {
    const r = await cli(['node', 'list', '--controllers', https(), ...asAdmin()], env)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /auth1/)
    const viaHttp = await cli(['n', 'l', '--controllers', http, ...asAdmin()], env)
    assert.equal(viaHttp.code, 0, viaHttp.stderr)
    assert.match(viaHttp.stdout, /auth1/)
  })

  test('Basic users from the user file: right and wrong passwords, read-only users, no passwords over HTTP', async () => {
    const ca = ['--controllers', https(), '--cafile', join(tls, 'ca.pem')]
    const ok = await cli(['rg', 'c', 'by-alice', '--user', 'alice', ...ca], {...env, LS_PASSWORD: 'alice-pw'})
    assert.equal(ok.code, 0, ok.stderr)
    const wrong = await cli(['rg', 'l', '--user', 'alice', ...ca], {...env, LS_PASSWORD: 'nope'})
    assert.equal(wrong.code, 10)
    assert.match(wrong.stderr, /Sign in failed/)
    const viewerReads = await cli(['rg', 'l', '--user', 'viewer', ...ca], {...env, LS_PASSWORD: 'viewer-pw'})
    assert.equal(viewerReads.code, 0, viewerReads.stderr)
    assert.match(viewerReads.stdout, /by-alice/)
    const viewerWrites = await cli(['rg', 'd', 'by-alice', '--user', 'viewer', ...ca], {...env, LS_PASSWORD: 'viewer-pw'})
    assert.equal(viewerWrites.code, 10)
    assert.match(viewerWrites.stderr, /may only read/)
    const plain = await cli(['rg', 'l', '--user', 'alice', '--controllers', http], {...env, LS_PASSWORD: 'alice-pw'})
    assert.equal(plain.code, 2)
    assert.match(plain.stderr, /plain HTTP/)
  })

  test('bearer tokens: made, used from a token file and the environment, read-only refused, revoked refused', async () => {
    const save = join(dir, 'auth.json')
    const made = await cli(['controller', 'token', 'create', '--description', 'ci', '--save', save, '--controllers', https(), ...asAdmin()], env)
    assert.equal(made.code, 0, made.stderr)
    const token = (JSON.parse(await readFile(save, 'utf8')) as {token: string}).token
    const ca = ['--controllers', https(), '--cafile', join(tls, 'ca.pem')]
    assert.equal((await cli(['n', 'l', ...ca], {...env, CAIRN_AUTH_JSON: save})).code, 0, 'from auth.json')
    assert.equal((await cli(['n', 'l', ...ca], {...env, LS_BEARER_TOKEN_FILE: save})).code, 0, 'from LS_BEARER_TOKEN_FILE')
    const ro = await cli(['controller', 'token', 'create', '--description', 'dashboard', '--read-only', '-m', '--controllers', https(), ...asAdmin()], env)
    const roToken = (JSON.parse(ro.stdout) as [[{obj_refs: {token: string}}]])[0][0].obj_refs.token
    assert.equal((await cli(['rg', 'l', ...ca], {...env, LS_BEARER_TOKEN: roToken})).code, 0)
    const refused = await cli(['rg', 'c', 'by-dashboard', ...ca], {...env, LS_BEARER_TOKEN: roToken})
    assert.equal(refused.code, 10)
    assert.match(refused.stderr, /may only read/)

    const list = await cli(['controller', 'token', 'list', '--controllers', https(), ...asAdmin()], env)
    assert.match(list.stdout, /ci .*full/)
    assert.match(list.stdout, /dashboard .*read-only/)
    assert.ok(!list.stdout.includes(token) && !list.stdout.includes(roToken), 'the listing never shows a token')
    const id = /┊ (\d+)\s+┊ ci /.exec(list.stdout)?.[1]
    assert.ok(id, list.stdout)
    assert.equal((await cli(['controller', 'token', 'revoke', id, '--controllers', https(), ...asAdmin()], env)).code, 0)
    const revoked = await cli(['n', 'l', ...ca], {...env, LS_BEARER_TOKEN: token})
    assert.equal(revoked.code, 10)
    assert.ok(!daemon.output().includes(token) && !daemon.output().includes(roToken) && !daemon.output().includes('alice-pw'), 'no secret in the log')
  })

  test('a renewed server certificate is served without a restart', async () => {
    const fingerprint = (): Promise<string> => new Promise((ok, fail) => {
      const s = connect({host: '127.0.0.1', port: httpsPort, rejectUnauthorized: false}, () => {
        ok(s.getPeerCertificate().fingerprint256)
        s.end()
      })
      s.once('error', fail)
    })
    const before = await fingerprint()
    const again = await cli(['controller', 'certs', 'create', '--out-dir', join(dir, 'tls2'), '--name', 'localhost', '--name', '127.0.0.1'])
    assert.equal(again.code, 0, again.stderr)
    // Replace key first, then the certificate, as a renewal tool would; the reload happens on the certificate's change.
    await writeFile(join(tls, 'server-key.pem'), await readFile(join(dir, 'tls2', 'server-key.pem')))
    await writeFile(join(tls, 'server.pem'), await readFile(join(dir, 'tls2', 'server.pem')))
    const want = execFileSync('openssl', ['x509', '-in', join(tls, 'server.pem'), '-noout', '-fingerprint', '-sha256']).toString().split('=')[1]?.trim()
    await waitFor('the new certificate', async () => ((await fingerprint()) === want ? true : undefined), 20_000)
    assert.notEqual(before, want)
  })
})

describe('token init turns on HTTPS with a self-signed certificate (LINSTOR\'s automatic HTTPS)', () => {
  test('init, then the saved token works over HTTPS and HTTP redirects', async () => {
    const dir = await tempDir()
    const port = await freePort()
    const httpsPort = await freePort()
    const daemon = startDaemon(['combined', '--data-dir', dir, '--rest-address', '127.0.0.1', '--rest-port', String(port), '--https-port', String(httpsPort),
      '--satellite-address', '127.0.0.1', '--satellite-port', String(await freePort()), '--node-name', 'auto1'])
    const env = {CAIRN_CLIENT_CONF: join(dir, 'none'), CAIRN_AUTH_JSON: join(dir, 'none')}
    try {
      await waitFor('health', async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined), 20_000)
      const save = join(dir, 'auth.json')
      const init = await cli(['c', 'token', 'init', '--save', save, '--controllers', `127.0.0.1:${port}`], env)
      assert.equal(init.code, 0, init.stderr)
      assert.match(init.stdout, /HTTPS is on/)
      const again = await cli(['c', 'token', 'init', '--controllers', `127.0.0.1:${port}`, '--cafile', join(dir, 'tls', 'server.pem')], {...env, LS_BEARER_TOKEN_FILE: save})
      assert.equal(again.code, 0, again.stderr)
      assert.match(again.stdout, /already enabled/)
      const r = await cli(['n', 'l', '--controllers', `linstor+ssl://127.0.0.1:${httpsPort}`, '--cafile', join(dir, 'tls', 'server.pem')], {...env, LS_BEARER_TOKEN_FILE: save})
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stdout, /auto1/)
      assert.equal((await cli(['n', 'l', '--controllers', `linstor+ssl://127.0.0.1:${httpsPort}`, '--cafile', join(dir, 'tls', 'server.pem')], env)).code, 10)
    } finally {
      await daemon.stop()
      await cleanup(dir)
    }
  })
})
