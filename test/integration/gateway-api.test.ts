// linstor-gateway's REST API v2 served by Cairn, driven with the bodies its users send, against a
// controller and three satellites on loopback. The promoter configs must appear and disappear on
// exactly the nodes of each target; every satellite writes them below its own root directory.
//
// This host has no DRBD module and no drbd-reactor: the targets' resources use the storage layer,
// and nothing can take a target over, so requests pass resource_timeout=0 (do not wait for it).
import assert from 'node:assert/strict'
import {readFile, readdir} from 'node:fs/promises'
import type {Server} from 'node:http'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {parse as parseToml} from 'smol-toml'
import {LinstorClient} from '../../src/api/client.ts'
import {gatewayApi} from '../../gateway/gateway-api.ts'
import {gatewayService} from '../../gateway/gateway-service.ts'
import {api, freePort, startDaemon, waitFor} from '../support/cluster.ts'
import {startLoopbackCluster, type LoopbackCluster, type LoopbackSatellite} from '../support/loopback-cluster.ts'

const IQN = 'iqn.2019-08.com.linbit:target1'
const GiB = 1024 * 1024

describe('gateway REST API v2', () => {
  let c: LoopbackCluster
  let server: Server
  let gw: string
  const root = (s: LoopbackSatellite): string => join(s.dir, 'root')
  const reactorDir = (s: LoopbackSatellite): string => join(root(s), 'etc/drbd-reactor.d')
  /** The satellites holding `file` in their drbd-reactor directory. */
  const holders = async (file: string): Promise<string[]> => {
    const out: string[] = []
    for (const s of c.sats) if ((await readdir(reactorDir(s)).catch(() => [] as string[])).includes(file)) out.push(s.name)
    return out
  }
  const placed = async (rd: string): Promise<string[]> =>
    ((await api(c.base, 'GET', `/v1/resource-definitions/${rd}/resources`)).body as {node_name: string}[]).map((r) => r.node_name).sort()
  const call = async (method: string, path: string, body?: unknown): Promise<{status: number, body: Record<string, unknown>, headers: Headers}> => {
    const res = await fetch(`${gw}${path}`, {method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? {} : {'content-type': 'application/json'}})
    return {status: res.status, body: await res.json() as Record<string, unknown>, headers: res.headers}
  }

  before(async () => {
    c = await startLoopbackCluster({satelliteArgs: (_i, dir) => ['--allow-ext-files', '/etc/drbd-reactor.d', '--ext-files-root', join(dir, 'root')]})
    // The default group is what gateway targets use unless told otherwise.
    const rg = await api(c.base, 'PUT', '/v1/resource-groups/DfltRscGrp', {select_filter: {place_count: 2, storage_pool: 'thin', layer_stack: ['STORAGE']}})
    assert.equal(rg.status, 200, rg.text)
    const app = gatewayApi(gatewayService(new LinstorClient(c.base), {pollMs: 100, settleMs: 0}))
    server = await new Promise<Server>((ok) => { const s = app.listen(0, '127.0.0.1', () => ok(s)) })
    gw = `http://127.0.0.1:${(server.address() as {port: number}).port}`
  })
  after(async () => {
    await new Promise((ok) => server?.close(ok))
    await c?.stop()
  })

  test('status and the Server header', async () => {
    const r = await call('GET', '/api/v2/status')
    assert.deepEqual([r.status, r.body], [200, {status: 'ok'}])
    assert.match(r.headers.get('server') ?? '', /^linstor-gateway\//)
  })

  test('iSCSI create: 201, Location, the config without CHAP secrets, the file on exactly the resource\'s nodes', async () => {
    const r = await call('POST', '/api/v2/iscsi', {iqn: IQN, service_ips: ['192.168.122.181/24'], username: 'chapuser', password: 's3cretpass12',
      volumes: [{number: 1, size_kib: GiB}], resource_timeout: 0})
    assert.equal(r.status, 201, JSON.stringify(r.body))
    assert.equal(r.headers.get('location'), `./iscsi/${IQN}`)
    assert.equal(r.body.iqn, IQN)
    assert.deepEqual([r.body.username, r.body.password], ['', ''], 'secrets are not returned')
    assert.deepEqual((r.body.volumes as {number: number}[]).map((v) => v.number), [0, 1])
    const nodes = await placed('target1')
    assert.equal(nodes.length, 2)
    assert.deepEqual(await holders('linstor-gateway-iscsi-target1.toml'), nodes)
    const holder = c.sats.find((s) => s.name === nodes[0]) as LoopbackSatellite
    const toml = parseToml(await readFile(join(reactorDir(holder), 'linstor-gateway-iscsi-target1.toml'), 'utf8')) as
      {promoter: {resources: Record<string, {start: string[], 'target-as': string}>}[]}
    const options = toml.promoter[0]?.resources.target1
    assert.equal(options?.['target-as'], 'Requires')
    assert.ok(options?.start.some((s) => s.startsWith('ocf:heartbeat:iSCSITarget target ') && s.includes('incoming_password=s3cretpass12')))
    // The definition carries the quorum options drbd-reactor needs.
    const rd = (await api(c.base, 'GET', '/v1/resource-definitions/target1')).body as {props: Record<string, string>}
    assert.equal(rd.props['DrbdOptions/Resource/auto-promote'], 'no')
    assert.equal(rd.props['files/etc/drbd-reactor.d/linstor-gateway-iscsi-target1.toml'], 'True')
  })

  test('list and get; a repeated create of the same config answers the existing one', async () => {
    const list = await fetch(`${gw}/api/v2/iscsi`).then((r) => r.json()) as {iqn: string, password: string, status: {service: string, nodes: string[]}}[]
    assert.deepEqual(list.map((x) => [x.iqn, x.password]), [[IQN, '']])
    assert.equal(list[0]?.status.service, 'Stopped', 'attached, but no node has taken it over')
    assert.equal(list[0]?.status.nodes.length, 2)
    const again = await call('POST', '/api/v2/iscsi', {iqn: IQN, service_ips: ['192.168.122.181/24'], username: 'chapuser', password: 's3cretpass12',
      volumes: [{number: 1, size_kib: GiB}], resource_timeout: 0})
    assert.equal(again.status, 201, JSON.stringify(again.body))
    const other = await call('POST', '/api/v2/iscsi', {iqn: IQN, service_ips: ['192.168.122.182/24'], volumes: [{number: 1, size_kib: GiB}], resource_timeout: 0})
    assert.deepEqual([other.status, other.body.message], [400, 'failed to create iscsi resource: resource already exists with incompatible config'])
    const lun = await call('GET', `/api/v2/iscsi/${IQN}/1`)
    assert.deepEqual((lun.body.volume as {size_kib: number}).size_kib, GiB)
  })

  test('stop removes the file from the nodes; a volume can then be added; start brings the file back', async () => {
    const nodes = await placed('target1')
    let r = await call('POST', `/api/v2/iscsi/${IQN}/stop?resource_timeout=0`)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.deepEqual(await holders('linstor-gateway-iscsi-target1.toml'), [])
    r = await call('PUT', `/api/v2/iscsi/${IQN}/2`, {size_kib: GiB / 2})
    assert.equal(r.status, 200, JSON.stringify(r.body))
    r = await call('POST', `/api/v2/iscsi/${IQN}/start?resource_timeout=0`)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.equal(r.headers.get('location'), './')
    assert.deepEqual(await holders('linstor-gateway-iscsi-target1.toml'), nodes)
    const holder = c.sats.find((s) => s.name === nodes[0]) as LoopbackSatellite
    const text = await readFile(join(reactorDir(holder), 'linstor-gateway-iscsi-target1.toml'), 'utf8')
    assert.match(text, /iSCSILogicalUnit lu2 lun=2 path=\/dev\/drbd\/by-res\/target1\/2/)
  })

  test('NVMe-oF: two targets get distinct nvmet port ids; NFS exports carry their own agents', async () => {
    for (const [nqn, ip] of [['linbit:nvme:nvme1', '10.0.0.10/24'], ['linbit:nvme:nvme2', '10.0.0.11/24']]) {
      const r = await call('POST', '/api/v2/nvme-of', {nqn, service_ip: ip, volumes: [{number: 1, size_kib: GiB}], resource_timeout: 0})
      assert.equal(r.status, 201, JSON.stringify(r.body))
    }
    const ports: string[] = []
    for (const rsc of ['nvme1', 'nvme2']) {
      const [node] = await placed(rsc)
      const sat = c.sats.find((s) => s.name === node) as LoopbackSatellite
      const text = await readFile(join(reactorDir(sat), `linstor-gateway-nvmeof-${rsc}.toml`), 'utf8')
      ports.push(/nvmet-port port .*port_id=(\d+)/.exec(text)?.[1] ?? '')
    }
    assert.equal(new Set(ports).size, 2, `port ids ${ports.join(', ')}`)
    const nfs = await call('POST', '/api/v2/nfs', {name: 'share1', service_ip: '10.0.0.20/24', allowed_ips: ['10.0.0.0/24'],
      volumes: [{number: 1, size_kib: GiB, export_path: '/'}], resource_timeout: 0})
    assert.equal(nfs.status, 201, JSON.stringify(nfs.body))
    const list = await fetch(`${gw}/api/v2/nfs`).then((r) => r.json()) as {name: string, allowed_ips: string[]}[]
    assert.deepEqual(list.map((x) => [x.name, x.allowed_ips]), [['share1', ['10.0.0.0/24']]])
  })

  test('bad input: 400 with linstor-gateway\'s messages, nothing created', async () => {
    const before = ((await api(c.base, 'GET', '/v1/resource-definitions')).body as unknown[]).length
    const cases: [string, unknown, RegExp][] = [
      ['/api/v2/iscsi', {iqn: 'iqn.2019-08.com.linbit:Bad_Name', service_ips: ['10.1.0.1/24'], volumes: [{number: 1, size_kib: GiB}]}, /not a valid IQN/],
      ['/api/v2/iscsi', {iqn: 'iqn.2019-08.com.linbit:t2', service_ips: ['10.1.0.1'], volumes: [{number: 1, size_kib: GiB}]}, /invalid CIDR address: 10\.1\.0\.1/],
      ['/api/v2/iscsi', {iqn: 'iqn.2019-08.com.linbit:t2', service_ips: ['10.1.0.1/24'], volumes: [{number: 1, size_kib: 0}]}, /volume size must be positive/],
      ['/api/v2/iscsi', {iqn: 'iqn.2019-08.com.linbit:t2', service_ips: ['10.1.0.1/24'], password: 'short', username: 'u', volumes: [{number: 1, size_kib: GiB}]}, /CHAP|password/i],
      ['/api/v2/iscsi', {iqn: 'iqn.2019-08.com.linbit:t3', service_ips: ['192.168.122.181/24'], volumes: [{number: 1, size_kib: GiB}], resource_timeout: 0},
        /IP address 192\.168\.122\.181 already in use by config target1/],
      ['/api/v2/nvme-of', {nqn: 'nonsense', service_ip: '10.1.0.2/24', volumes: [{number: 1, size_kib: GiB}]}, /NQN 'nonsense' malformed/],
    ]
    for (const [path, body, message] of cases) {
      const r = await call('POST', path, body)
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`)
      assert.equal(r.body.code, 'Bad Request')
      assert.match(String(r.body.message), message)
    }
    const broken = await fetch(`${gw}/api/v2/iscsi`, {method: 'POST', body: '{"iqn": ', headers: {'content-type': 'application/json'}})
    assert.equal(broken.status, 400)
    assert.match(((await broken.json()) as {message: string}).message, /^failed to parse request body/)
    assert.equal(((await api(c.base, 'GET', '/v1/resource-definitions')).body as unknown[]).length, before, 'no definition left behind')
    const missing = await call('GET', '/api/v2/iscsi/iqn.2019-08.com.linbit:nosuch')
    assert.deepEqual([missing.status, missing.body.message], [404, 'no resource found for iqn iqn.2019-08.com.linbit:nosuch'])
    const malformed = await call('GET', '/api/v2/iscsi/not-an-iqn')
    assert.equal(malformed.status, 400)
  })

  test('a create that fails after the definition exists rolls it back: nothing half-made stays', async () => {
    const rg = await api(c.base, 'POST', '/v1/resource-groups', {name: 'toomany', select_filter: {place_count: 4, storage_pool: 'thin', layer_stack: ['STORAGE']}})
    assert.equal(rg.status, 201, rg.text)
    const before = ((await api(c.base, 'GET', '/v1/resource-definitions')).body as unknown[]).length
    const r = await call('POST', '/api/v2/iscsi', {iqn: 'iqn.2019-08.com.linbit:unplaceable', service_ips: ['10.2.0.1/24'], resource_group: 'toomany',
      volumes: [{number: 1, size_kib: GiB}], resource_timeout: 0})
    assert.equal(r.status, 400, JSON.stringify(r.body))
    assert.match(String(r.body.message), /^failed to create iscsi resource: /)
    assert.equal(((await api(c.base, 'GET', '/v1/resource-definitions')).body as unknown[]).length, before)
    assert.equal((await api(c.base, 'GET', '/v1/resource-definitions/unplaceable')).status, 404)
    assert.ok(!((await api(c.base, 'GET', '/v1/files')).body as {path: string}[]).some((f) => f.path.includes('unplaceable')))
  })

  test('`cairn gateway server` serves the same API from its own process', async () => {
    const port = await freePort()
    const d = startDaemon(['gateway', 'server', '--addr', `127.0.0.1:${port}`, '--controllers', c.base.replace('http://', '')])
    try {
      const list = await waitFor('gateway server', async () => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v2/iscsi`).catch(() => undefined)
        return res?.status === 200 ? await res.json() as {iqn: string}[] : undefined
      })
      assert.deepEqual(list.map((x) => x.iqn), [IQN])
    } finally {
      await d.stop()
    }
  })

  test('delete removes file, definition and volumes everywhere', async () => {
    for (const path of [`/api/v2/iscsi/${IQN}`, '/api/v2/nvme-of/linbit:nvme:nvme1', '/api/v2/nvme-of/linbit:nvme:nvme2', '/api/v2/nfs/share1']) {
      const r = await call('DELETE', `${path}?resource_timeout=0`)
      assert.deepEqual([r.status, r.body], [200, {}], path)
    }
    for (const s of c.sats) assert.deepEqual(await readdir(reactorDir(s)).catch(() => []), [], s.name)
    assert.deepEqual((await api(c.base, 'GET', '/v1/resource-definitions')).body, [])
    assert.deepEqual((await api(c.base, 'GET', '/v1/files')).body, [])
    for (const s of c.sats) assert.deepEqual(await readdir(c.poolDir(s)), [], `${s.name} pool`)
  })
})
