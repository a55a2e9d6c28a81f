// `cairn combined` as a real process: first-start bootstrap, the README tour through the CLI,
// error exit codes, clean SIGTERM, restart with the state intact, systemd readiness.
import assert from 'node:assert/strict'
import {execFile, spawn} from 'node:child_process'
import {stat} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {promisify} from 'node:util'
import {validateAgainst, validateListOf} from '../support/openapi.ts'
import {cleanup, cli, freePort, getJson, startDaemon, tempDir, waitFor, waitHealthy, type Daemon} from '../support/cluster.ts'

const exec = promisify(execFile)

describe('cairn combined', () => {
  let dir: string
  let daemon: Daemon
  let base: string
  let args: string[]
  let ctl: string[]

  before(async () => {
    dir = await tempDir()
    const restPort = await freePort()
    const satPort = await freePort()
    base = `http://127.0.0.1:${restPort}`
    ctl = ['--controllers', `127.0.0.1:${restPort}`]
    args = ['combined', '--data-dir', dir, '--rest-address', '127.0.0.1', '--rest-port', String(restPort),
      '--satellite-address', '127.0.0.1', '--satellite-port', String(satPort), '--node-name', 'tour-node']
    daemon = startDaemon(args)
    await waitHealthy(base)
  })

  after(async () => {
    await daemon?.stop('SIGKILL')
    await cleanup(dir)
  })

  test('answers the version handshake python-linstor performs', async () => {
    const {status, body} = await getJson(`${base}/v1/controller/version`)
    assert.equal(status, 200)
    assert.deepEqual(validateAgainst('ControllerVersion', body), [])
    assert.equal((body as {rest_api_version: string}).rest_api_version, '1.28.0')
  })

  test('registers this host as an online COMBINED node on first start', async () => {
    const nodes = await waitFor('node online', async () => {
      const {body} = await getJson(`${base}/v1/nodes`)
      const list = body as {name: string, type: string, connection_status: string}[]
      return list[0]?.connection_status === 'ONLINE' ? list : undefined
    })
    assert.deepEqual(validateListOf('Node', nodes), [])
    assert.deepEqual(nodes.map((n) => [n.name, n.type]), [['tour-node', 'COMBINED']])
    const r = await cli(['n', 'l', ...ctl])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /┊ tour-node ┊ COMBINED ┊ 127\.0\.0\.1:\d+ \(PLAIN\) ┊ Online ┊/)
  })

  test('creates the default FILE_THIN pool and reports its capacity', async () => {
    const {body, text} = await getJson(`${base}/v1/view/storage-pools`)
    assert.deepEqual(validateListOf('StoragePool', body), [])
    const pools = body as {storage_pool_name: string, provider_kind: string, free_capacity?: number}[]
    assert.deepEqual(pools.map((p) => [p.storage_pool_name, p.provider_kind]), [['DfltDisklessStorPool', 'DISKLESS'], ['DfltStorPool', 'FILE_THIN']])
    assert.ok((pools[1]?.free_capacity ?? 0) > 0)
    // Diskless capacity is Long.MAX_VALUE, exact on the wire.
    assert.match(text, /"free_capacity":9223372036854775807/)
    const r = await cli(['storage-pool', 'list', ...ctl])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, new RegExp(`DfltStorPool\\s+┊ tour-node ┊ FILE_THIN ┊ ${join(dir, 'pools/default')}`))
  })

  test('README tour: create a group, spawn a volume, list it', async () => {
    let r = await cli(['rg', 'c', 'tour', '--place-count', '1', '--layer-list', 'storage', ...ctl])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /New resource group 'tour' created/)
    r = await cli(['rg', 'spawn', 'tour', 'vol1', '1G', ...ctl])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /Created resource 'vol1' on 'tour-node'/)
    r = await cli(['r', 'l', ...ctl])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /┊ vol1\s+┊ tour-node ┊ STORAGE ┊ Unused ┊ Ok\s+┊ Created ┊/)
    r = await cli(['v', 'l', ...ctl])
    const device = /\/dev\/loop\d+/.exec(r.stdout)?.[0]
    assert.ok(device, r.stdout)
    assert.ok((await stat(device)).isBlockDevice())
    const {stdout} = await exec('losetup', ['--list', '--noheadings', '--output', 'BACK-FILE', device])
    const file = join(dir, 'pools/default/vol1_00000.img')
    assert.equal(stdout.trim(), file)
    const st = await stat(file)
    assert.equal(st.size, 1024 ** 3)
    assert.ok(st.blocks * 512 < st.size, 'FILE_THIN volumes are sparse')
    const {body} = await getJson(`${base}/v1/view/resources`)
    assert.deepEqual(validateListOf('ResourceWithVolumes', body), [])
  })

  test('machine-readable output is the REST objects', async () => {
    const r = await cli(['resource-group', 'list', '-m', ...ctl])
    const groups = JSON.parse(r.stdout) as {name: string}[]
    assert.deepEqual(groups.map((g) => g.name), ['DfltRscGrp', 'tour'])
  })

  test('errors: API error exits 10, connection error 20, bad size 2', async () => {
    let r = await cli(['rg', 'spawn', 'tour', 'vol1', '1G', ...ctl])
    assert.equal(r.code, 10)
    assert.match(r.stderr, /Resource definition 'vol1' already exists/)
    r = await cli(['rg', 'spawn', 'tour', 'big', '1G', '--place-count', '3', ...ctl])
    assert.equal(r.code, 10)
    assert.match(r.stderr, /Not enough available nodes/)
    r = await cli(['rg', 'spawn', 'tour', 'bad', '12 parsecs', ...ctl])
    assert.equal(r.code, 2)
    r = await cli(['node', 'list', '--controllers', '127.0.0.1:1'])
    assert.equal(r.code, 20)
    assert.match(r.stderr, /Unable to connect/)
    const {status, body} = await getJson(`${base}/v1/resource-definitions`)
    assert.equal(status, 200)
    assert.deepEqual((body as {name: string}[]).map((d) => d.name), ['vol1'], 'failed spawns left nothing behind')
  })

  test('SIGTERM stops cleanly and a restart keeps the state without bootstrapping again', async () => {
    const before = (await getJson(`${base}/v1/nodes/tour-node`)).body as {uuid: string}
    assert.equal(await daemon.stop('SIGTERM'), 0)
    daemon = startDaemon(args)
    await waitHealthy(base)
    const again = (await getJson(`${base}/v1/nodes/tour-node`)).body as {uuid: string}
    assert.equal(again.uuid, before.uuid)
    const rds = (await getJson(`${base}/v1/resource-definitions`)).body as {name: string}[]
    assert.deepEqual(rds.map((d) => d.name), ['vol1'])
    const pools = (await getJson(`${base}/v1/view/storage-pools`)).body as unknown[]
    assert.equal(pools.length, 2)
  })
})

test('sends READY=1 to systemd (Type=notify) once serving', async () => {
  const dir = await tempDir()
  const sock = join(dir, 'notify.sock')
  // A unix datagram listener standing in for systemd (node has no AF_UNIX datagram sockets).
  const listener = spawn('python3', ['-c', [
    'import socket,sys', 's=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)', `s.bind(${JSON.stringify(sock)})`,
    'print("bound", flush=True)', 'print(s.recv(4096).decode(), flush=True)'].join('\n')], {stdio: ['ignore', 'pipe', 'inherit']})
  let got = ''
  listener.stdout.on('data', (d: Buffer) => (got += d.toString()))
  await waitFor('listener', async () => (got.includes('bound') ? true : undefined))
  const port = await freePort()
  const daemon = startDaemon(['controller', '--data-dir', dir, '--rest-address', '127.0.0.1', '--rest-port', String(port)], {NOTIFY_SOCKET: sock})
  try {
    await waitFor('READY=1', async () => (got.includes('READY=1') ? true : undefined))
    assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200)
  } finally {
    listener.kill()
    await daemon.stop()
    await cleanup(dir)
  }
})
