// A controller and separate satellite processes on 127.0.0.x: registration over the REST API,
// placement across nodes, and the satellite refusing anyone without the cluster secret.
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {stat} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {stringify} from '../../src/common/json.ts'
import {AUTH_HEADER, signRequest} from '../../src/protocol/auth.ts'
import {SYNC_PATH} from '../../src/protocol/messages.ts'
import {cleanup, cli, freePort, getJson, startDaemon, tempDir, waitFor, waitHealthy, type Daemon} from '../support/cluster.ts'

interface NodeWire {name: string, connection_status?: string, storage_providers?: string[], unsupported_layers?: Record<string, string[]>}

describe('controller with separate satellites', () => {
  const secret = randomBytes(24).toString('base64url')
  const daemons: Daemon[] = []
  const dirs: string[] = []
  let base: string
  let ctl: string[]
  const sats: {name: string, address: string, port: number, dir: string}[] = []

  const post = async (path: string, body: unknown): Promise<{status: number, body: unknown}> => {
    const res = await fetch(`${base}${path}`, {method: 'POST', body: JSON.stringify(body), headers: {'content-type': 'application/json'}})
    return {status: res.status, body: await res.json()}
  }

  before(async () => {
    const ctrlDir = await tempDir()
    dirs.push(ctrlDir)
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    ctl = ['--controllers', `127.0.0.1:${port}`]
    daemons.push(startDaemon(['controller', '--data-dir', ctrlDir, '--rest-address', '127.0.0.1', '--rest-port', String(port)],
      {CAIRN_CLUSTER_SECRET: secret}))
    for (const [i, address] of ['127.0.0.2', '127.0.0.3', '127.0.0.4'].entries()) {
      const dir = await tempDir()
      dirs.push(dir)
      const satPort = await freePort(address)
      // The third satellite holds a different secret: the controller must not be able to drive it.
      const env = {CAIRN_CLUSTER_SECRET: i === 2 ? 'not-the-cluster-secret' : secret}
      daemons.push(startDaemon(['satellite', '--data-dir', dir, '--satellite-address', address, '--satellite-port', String(satPort)], env))
      sats.push({name: `sat${i + 1}`, address, port: satPort, dir})
    }
    await waitHealthy(base)
  })

  after(async () => {
    for (const d of daemons) await d.stop('SIGKILL')
    for (const d of dirs) await cleanup(d)
  })

  test('registers satellites with node create; they come ONLINE and report their providers', async () => {
    for (const s of sats) {
      const r = await post('/v1/nodes', {name: s.name, type: 'satellite', net_interfaces: [
        {name: 'default', address: s.address, satellite_port: s.port, satellite_encryption_type: 'plain'}]})
      assert.equal(r.status, 201, JSON.stringify(r.body))
      assert.equal((r.body as {ret_code: number}[])[0]?.ret_code, 20709377)
    }
    const nodes = await waitFor('two satellites online', async () => {
      const list = (await getJson(`${base}/v1/nodes`)).body as NodeWire[]
      return list.filter((n) => n.connection_status === 'ONLINE').length === 2 ? list : undefined
    })
    const byName = new Map(nodes.map((n) => [n.name, n]))
    assert.ok(byName.get('sat1')?.storage_providers?.includes('FILE_THIN'))
    assert.ok(byName.get('sat1')?.unsupported_layers?.DRBD?.some((reason) => /not implemented|not loaded|not found/.test(reason)))
    // Without nvmet or nvme-cli (as on the machines these tests run on) each role of the NVMe layer says what it lacks.
    const nvme = byName.get('sat1')?.unsupported_layers?.NVME ?? []
    assert.ok(nvme.length && nvme.every((reason) => /^NVMe-oF (target|initiator): .*(nvmet|configfs|nvme-cli)/.test(reason)), nvme.join('; '))
  })

  test('a satellite with another secret shows AUTHENTICATION_ERROR', async () => {
    const status = await waitFor('auth error', async () => {
      const n = (await getJson(`${base}/v1/nodes/sat3`)).body as NodeWire
      return n.connection_status === 'AUTHENTICATION_ERROR' ? n.connection_status : undefined
    })
    assert.equal(status, 'AUTHENTICATION_ERROR')
    const r = await cli(['node', 'list', ...ctl])
    assert.match(r.stdout, /sat3 .*OFFLINE\(AUTHENTICATION_ERROR\)/)
  })

  test('places two replicas on two satellites, each with its own file and loop device', async () => {
    for (const s of sats.slice(0, 2)) {
      const r = await post(`/v1/nodes/${s.name}/storage-pools`, {storage_pool_name: 'pool1', provider_kind: 'FILE_THIN',
        props: {'StorDriver/StorPoolName': join(s.dir, 'pool1')}})
      assert.equal(r.status, 201, JSON.stringify(r.body))
    }
    let r = await cli(['rg', 'create', 'two', '--place-count', '2', '--storage-pool', 'pool1', '--layer-list', 'storage', ...ctl])
    assert.equal(r.code, 0, r.stderr)
    r = await cli(['rg', 'spawn', 'two', 'data', '64M', ...ctl])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /Created resource 'data' on 'sat1'/)
    assert.match(r.stdout, /Created resource 'data' on 'sat2'/)
    for (const s of sats.slice(0, 2)) {
      const st = await stat(join(s.dir, 'pool1', 'data_00000.img'))
      assert.equal(st.size, 64 * 1024 * 1024)
    }
    const rs = (await getJson(`${base}/v1/view/resources?resources=data`)).body as {node_name: string, volumes: {device_path?: string}[]}[]
    assert.deepEqual(rs.map((x) => x.node_name), ['sat1', 'sat2'])
    assert.ok(rs.every((x) => /^\/dev\/loop\d+$/.test(x.volumes[0]?.device_path ?? '')))
  })

  test('the satellite answers strangers and replayed requests with 401 and nothing else', async () => {
    const s = sats[0] as (typeof sats)[number]
    const url = `http://${s.address}:${s.port}${SYNC_PATH}`
    const desired = stringify({protocol: 1, generation: 1, node: s.name, pools: [], volumes: []})
    let res = await fetch(url, {method: 'POST', body: desired})
    assert.equal(res.status, 401)
    assert.equal(await res.text(), '')
    res = await fetch(url, {method: 'POST', body: desired, headers: {[AUTH_HEADER]: signRequest('guess', 'POST', SYNC_PATH, desired).header}})
    assert.equal(res.status, 401)
    const {header} = signRequest(secret, 'POST', SYNC_PATH, desired)
    res = await fetch(url, {method: 'POST', body: desired, headers: {[AUTH_HEADER]: header}})
    assert.equal(res.status, 200)
    res = await fetch(url, {method: 'POST', body: desired, headers: {[AUTH_HEADER]: header}})
    assert.equal(res.status, 401, 'the same signed request twice is a replay')
  })
})

test('a satellite that dies goes OFFLINE and is ONLINE again, fully synced, after it restarts', async () => {
  const secret = randomBytes(24).toString('base64url')
  const [ctrlDir, satDir] = [await tempDir(), await tempDir()]
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const satPort = await freePort('127.0.0.5')
  const satArgs = ['satellite', '--data-dir', satDir, '--satellite-address', '127.0.0.5', '--satellite-port', String(satPort)]
  const ctrl = startDaemon(['controller', '--data-dir', ctrlDir, '--rest-address', '127.0.0.1', '--rest-port', String(port)], {CAIRN_CLUSTER_SECRET: secret})
  let sat = startDaemon(satArgs, {CAIRN_CLUSTER_SECRET: secret})
  const status = async (): Promise<string | undefined> => ((await getJson(`${base}/v1/nodes/s5`)).body as NodeWire).connection_status
  try {
    await waitHealthy(base)
    assert.equal((await fetch(`${base}/v1/nodes`, {method: 'POST', body: JSON.stringify({name: 's5', type: 'satellite',
      net_interfaces: [{name: 'default', address: '127.0.0.5', satellite_port: satPort}]})})).status, 201)
    assert.equal((await fetch(`${base}/v1/nodes/s5/storage-pools`, {method: 'POST', body: JSON.stringify({storage_pool_name: 'pool5',
      provider_kind: 'FILE_THIN', props: {'StorDriver/FileDir': join(satDir, 'pool5')}})})).status, 201)
    await waitFor('online', async () => ((await status()) === 'ONLINE' ? true : undefined))
    await sat.stop('SIGKILL')
    await waitFor('offline', async () => ((await status()) === 'OFFLINE' ? true : undefined), 10_000)
    sat = startDaemon(satArgs, {CAIRN_CLUSTER_SECRET: secret})
    await waitFor('online again', async () => ((await status()) === 'ONLINE' ? true : undefined), 10_000)
    const pools = (await getJson(`${base}/v1/nodes/s5/storage-pools/pool5`)).body as {free_capacity?: number}
    assert.ok((pools.free_capacity ?? 0) > 0, 'the restarted satellite reported its pool again')
  } finally {
    await sat.stop('SIGKILL')
    await ctrl.stop('SIGKILL')
    await cleanup(ctrlDir)
    await cleanup(satDir)
  }
})
