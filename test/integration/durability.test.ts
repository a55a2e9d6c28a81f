// Durable state: kill -9 loses no acknowledged change and leaves no half of one; allocations stay
// unique under concurrency; db export/import round-trips; one controller per data directory.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {test} from 'node:test'
import {cleanup, cli, freePort, getJson, startDaemon, tempDir, waitHealthy} from '../support/cluster.ts'

async function controller(dir: string, port: number): Promise<ReturnType<typeof startDaemon>> {
  const d = startDaemon(['controller', '--data-dir', dir, '--rest-address', '127.0.0.1', '--rest-port', String(port)])
  await waitHealthy(`http://127.0.0.1:${port}`)
  return d
}

const post = (base: string, path: string, body: unknown): Promise<Response> =>
  fetch(`${base}${path}`, {method: 'POST', body: JSON.stringify(body), headers: {'content-type': 'application/json'}})

interface Rd {name: string, volume_definitions?: {volume_number: number, layer_data?: {data: {minor_number: number}}[]}[], layer_data?: {data?: {port?: number}}[]}

test('kill -9 during a burst of spawns: every acknowledged definition survives, none is half there', async () => {
  const dir = await tempDir()
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  let d = await controller(dir, port)
  try {
    const acked: string[] = []
    const inFlight: Promise<void>[] = []
    for (let i = 0; i < 400; i++) {
      const name = `burst${i}`
      inFlight.push(post(base, '/v1/resource-groups/DfltRscGrp/spawn', {resource_definition_name: name, volume_sizes: [1024, 2048], definitions_only: true})
        .then((r) => {
          if (r.status === 201) acked.push(name)
          // Kill while most of the burst is still in flight.
          if (acked.length === 60) d.proc.kill('SIGKILL')
        }, () => undefined))
    }
    await Promise.all(inFlight)
    assert.equal(await d.exited, null)
    assert.ok(acked.length >= 60 && acked.length < 400, `the kill came mid-burst (${acked.length} of 400 acknowledged)`)
    d = await controller(dir, port)
    const rds = (await getJson(`${base}/v1/resource-definitions?with_volume_definitions=true`)).body as Rd[]
    const names = new Set(rds.map((r) => r.name))
    for (const name of acked) assert.ok(names.has(name), `acknowledged ${name} was lost`)
    for (const rd of rds) assert.deepEqual(rd.volume_definitions?.map((v) => v.volume_number), [0, 1], `${rd.name} is whole`)
  } finally {
    await d.stop('SIGKILL')
    await cleanup(dir)
  }
})

test('50 concurrent spawns and resource creates never share a port, a minor or a node-id', async () => {
  const dir = await tempDir()
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const d = await controller(dir, port)
  try {
    for (const n of ['a1', 'a2', 'a3']) {
      // Satellites that never answer: allocation happens on the controller alone.
      assert.equal((await post(base, '/v1/nodes', {name: n, type: 'satellite', net_interfaces: [{name: 'default', address: '127.0.0.1', satellite_port: 1}]})).status, 201)
      assert.equal((await post(base, `/v1/nodes/${n}/storage-pools`, {storage_pool_name: 'DfltStorPool', provider_kind: 'FILE_THIN',
        props: {'StorDriver/FileDir': join(dir, 'pool')}})).status, 201)
    }
    const names = Array.from({length: 50}, (_, i) => `par${i}`)
    const spawned = await Promise.all(names.map((name) =>
      post(base, '/v1/resource-groups/DfltRscGrp/spawn', {resource_definition_name: name, volume_sizes: [1024], definitions_only: true})))
    assert.ok(spawned.every((r) => r.status === 201))
    await Promise.all(names.map((name) => post(base, `/v1/resource-definitions/${name}/resources`,
      ['a1', 'a2', 'a3'].map((node) => ({resource: {node_name: node}})))))
    const rds = (await getJson(`${base}/v1/resource-definitions?with_volume_definitions=true`)).body as Rd[]
    const ports = rds.map((r) => r.layer_data?.[0]?.data?.port)
    const minors = rds.flatMap((r) => r.volume_definitions?.map((v) => v.layer_data?.[0]?.data.minor_number) ?? [])
    assert.equal(new Set(ports).size, 50)
    assert.equal(new Set(minors).size, 50)
    assert.ok(ports.every((p) => p !== undefined && p >= 7000) && minors.every((m) => m !== undefined && m >= 1000))
    const rscs = (await getJson(`${base}/v1/view/resources`)).body as {name: string, layer_object: {drbd?: {node_id?: number}}}[]
    assert.equal(rscs.length, 150)
  } finally {
    await d.stop('SIGKILL')
    await cleanup(dir)
  }
})

test('db export and import move a cluster to a new data directory; a running controller blocks import', async () => {
  const [src, dst] = [await tempDir(), await tempDir()]
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  let d = await controller(src, port)
  try {
    await post(base, '/v1/resource-groups', {name: 'moved', select_filter: {place_count: 3}})
    await post(base, '/v1/resource-groups/moved/spawn', {resource_definition_name: 'data1', volume_sizes: [4096], definitions_only: true})
    const file = join(src, 'export.json')
    let r = await cli(['controller', 'db', 'export', '--data-dir', src, '--output', file])
    assert.equal(r.code, 0, r.stderr)
    r = await cli(['controller', 'db', 'import', file, '--data-dir', src, '--force'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /a controller \(pid \d+\) is running/)
    const second = startDaemon(['controller', '--data-dir', src, '--rest-address', '127.0.0.1', '--rest-port', String(await freePort())])
    assert.equal(await second.exited, 1)
    assert.match(second.output(), /another controller \(pid \d+\) is using/)
    const before = (await getJson(`${base}/v1/resource-definitions?with_volume_definitions=true`)).text
    await d.stop()
    r = await cli(['controller', 'db', 'import', file, '--data-dir', dst])
    assert.equal(r.code, 0, r.stderr)
    d = await controller(dst, port)
    assert.equal((await getJson(`${base}/v1/resource-definitions?with_volume_definitions=true`)).text, before)
    assert.equal(((await getJson(`${base}/v1/resource-groups/moved`)).body as {select_filter: {place_count: number}}).select_filter.place_count, 3)
    r = await cli(['controller', 'db', 'import', file, '--data-dir', dst])
    assert.equal(r.code, 1, 'a running controller, or existing objects without --force, stop the import')
  } finally {
    await d.stop('SIGKILL')
    await cleanup(src)
    await cleanup(dst)
  }
})
