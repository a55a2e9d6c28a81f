// Rotating the cluster secret on a running cluster: one satellite on the plain link, one on
// TLS-PSK; neither drops out while the secret changes, the old secret is refused afterwards, and
// a controller restart keeps using the new one.
import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {httpCall} from '../../src/api/http.ts'
import {signRequest, AUTH_HEADER} from '../../src/protocol/auth.ts'
import {PING_PATH} from '../../src/protocol/messages.ts'
import {api, cleanup, cli, freePort, startDaemon, tempDir, waitFor, waitHealthy, type Daemon} from '../support/cluster.ts'

interface Sat {name: string, address: string, port: number, tlsPort: number, dir: string, daemon?: Daemon}

describe('cluster secret rotation', () => {
  let ctrlDir: string
  let ctrl: Daemon
  let ctrlArgs: string[]
  let base: string
  const sats: Sat[] = []
  const secretOf = async (dir: string): Promise<string> => (await readFile(join(dir, 'cluster-secret'), 'utf8')).trim()
  const statuses = async (): Promise<string[]> => ((await api(base, 'GET', '/v1/nodes')).body as {connection_status: string}[]).map((n) => n.connection_status)
  const satArgs = (s: Sat): string[] => ['satellite', '--data-dir', s.dir, '--satellite-address', s.address, '--satellite-port', String(s.port),
    '--satellite-tls-port', String(s.tlsPort)]

  before(async () => {
    ctrlDir = await tempDir()
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    ctrlArgs = ['controller', '--data-dir', ctrlDir, '--rest-address', '127.0.0.1', '--rest-port', String(port), '--https-port', String(await freePort())]
    ctrl = startDaemon(ctrlArgs)
    await waitHealthy(base)
    const secret = await secretOf(ctrlDir)
    for (const [i, ssl] of [[0, false], [1, true]] as const) {
      const address = `127.0.0.${i + 2}`
      const s: Sat = {name: `rot${i + 1}`, address, port: await freePort(address), tlsPort: await freePort(address), dir: await tempDir()}
      await writeFile(join(s.dir, 'cluster-secret'), secret + '\n', {mode: 0o600})
      s.daemon = startDaemon(satArgs(s))
      sats.push(s)
      const made = await api(base, 'POST', '/v1/nodes', {name: s.name, type: 'SATELLITE', net_interfaces: [{name: 'default', address,
        satellite_port: ssl ? s.tlsPort : s.port, satellite_encryption_type: ssl ? 'SSL' : 'PLAIN'}]})
      assert.equal(made.status, 201, made.text)
    }
    await waitFor('satellites online', async () => ((await statuses()).every((x) => x === 'ONLINE') ? true : undefined), 30_000)
  })
  after(async () => {
    for (const s of sats) await s.daemon?.stop('SIGKILL')
    await ctrl.stop('SIGKILL')
    for (const d of [ctrlDir, ...sats.map((s) => s.dir)]) await cleanup(d)
  })

  test('rotates on every satellite with no moment offline, and the old secret is refused afterwards', async () => {
    const old = await secretOf(ctrlDir)
    const seen = new Set<string>()
    let watching = true
    const watcher = (async () => {
      while (watching) {
        for (const x of await statuses()) seen.add(x)
        await new Promise((r) => setTimeout(r, 50))
      }
    })()
    const r = await cli(['controller', 'rotate-secret', '--controllers', base])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /2 satellite\(s\) switched/)
    // A few sync rounds on the new secret.
    await api(base, 'PUT', '/v1/nodes/rot1/reconnect')
    await api(base, 'PUT', '/v1/nodes/rot2/reconnect')
    watching = false
    await watcher
    assert.deepEqual([...seen], ['ONLINE'], 'no satellite dropped out')

    const next = await secretOf(ctrlDir)
    assert.notEqual(next, old)
    for (const s of sats) {
      assert.equal(await secretOf(s.dir), next, `${s.name} holds the new secret`)
      await assert.rejects(readFile(join(s.dir, 'cluster-secret.staged')), /ENOENT/)
    }
    const ping = async (secret: string): Promise<number> => {
      const {header} = signRequest(secret, 'POST', PING_PATH, '{}')
      return (await httpCall(`http://${sats[0]?.address}:${sats[0]?.port}${PING_PATH}`, {method: 'POST', body: '{}', headers: {[AUTH_HEADER]: header}})).status
    }
    assert.equal(await ping(old), 401)
    assert.equal(await ping(next), 200)
    assert.ok(!ctrl.output().includes(next) && !sats.some((s) => s.daemon?.output().includes(next)), 'the secret is never logged')
  })

  test('after a controller restart the new secret is used', async () => {
    await ctrl.stop()
    ctrl = startDaemon(ctrlArgs)
    await waitHealthy(base)
    await waitFor('satellites online again', async () => ((await statuses()).every((x) => x === 'ONLINE') ? true : undefined), 30_000)
  })

  test('with a satellite down the rotation stops before anything changes, unless forced', async () => {
    const before = await secretOf(ctrlDir)
    await sats[1]?.daemon?.stop('SIGKILL')
    await waitFor('rot2 offline', async () => ((await statuses()).includes('OFFLINE') ? true : undefined), 30_000)
    const r = await cli(['c', 'rotate-secret', '--controllers', base])
    assert.equal(r.code, 10)
    assert.match(r.stderr, /not rotated/)
    assert.match(r.stderr, /rot2/)
    assert.equal(await secretOf(ctrlDir), before)
    assert.equal(await secretOf(sats[0]?.dir as string), before, 'rot1 still uses the current secret (it only staged the next)')
    await waitFor('rot1 still online', async () => ((await statuses())[0] === 'ONLINE' ? true : undefined), 10_000)
  })
})
