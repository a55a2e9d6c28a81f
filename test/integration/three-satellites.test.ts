// The satellite proof: one controller and three satellites as separate processes on 127.0.0.2–4,
// each with its own FILE_THIN pool. Volumes (files and loop devices) must appear and disappear
// exactly on the right nodes; a satellite killed mid-spawn and a restarted controller converge
// without help and without recreating anything; nothing leaks.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {promisify} from 'node:util'
import {api, getJson, startDaemon, waitFor, waitHealthy} from '../support/cluster.ts'
import {startLoopbackCluster, type LoopbackCluster, type LoopbackSatellite} from '../support/loopback-cluster.ts'

const exec = promisify(execFile)

type Sat = LoopbackSatellite

/** Backing files of attached loop devices. */
async function attachedFiles(): Promise<Map<string, string>> {
  const {stdout} = await exec('losetup', ['--list', '--json', '--output', 'NAME,BACK-FILE'])
  const list = stdout.trim() ? (JSON.parse(stdout) as {loopdevices: {name: string, 'back-file'?: string}[]}).loopdevices : []
  return new Map(list.flatMap((d) => (d['back-file'] ? [[d['back-file'], d.name] as [string, string]] : [])))
}

describe('one controller, three satellites on loopback', () => {
  let c: LoopbackCluster
  let sats: Sat[]
  let base: string

  const call = async (method: string, path: string, body?: unknown): Promise<{status: number, body: {ret_code: bigint, message: string}[]}> => {
    const r = await api(base, method, path, body)
    return {status: r.status, body: (r.body ?? []) as {ret_code: bigint, message: string}[]}
  }
  const poolDir = (s: Sat): string => c.poolDir(s)
  /** Which satellites hold a file for `name` (a volume or snapshot file name) in their pool. */
  const holders = async (name: string): Promise<string[]> => {
    const out: string[] = []
    for (const s of sats) if ((await readdir(poolDir(s)).catch(() => [] as string[])).includes(name)) out.push(s.name)
    return out
  }
  const placed = async (rd: string): Promise<string[]> =>
    ((await getJson(`${base}/v1/resource-definitions/${rd}/resources`)).body as {node_name: string}[]).map((r) => r.node_name).sort()

  before(async () => {
    c = await startLoopbackCluster()
    sats = c.sats
    base = c.base
    const r = await call('POST', '/v1/resource-groups', {name: 'pair', select_filter: {place_count: 2, storage_pool: 'thin', layer_stack: ['STORAGE']}})
    assert.equal(r.status, 201)
  })

  after(async () => {
    await c?.stop()
  })

  test('spawn places two replicas: files and loop devices exist on exactly those two nodes', async () => {
    const r = await call('POST', '/v1/resource-groups/pair/spawn', {resource_definition_name: 'vol1', volume_sizes: [32768]})
    assert.equal(r.status, 201, r.body.map((e) => e.message).join('; '))
    const nodes = await placed('vol1')
    assert.equal(nodes.length, 2)
    assert.deepEqual(await holders('vol1_00000.img'), nodes)
    const loops = await attachedFiles()
    for (const s of sats) assert.equal(loops.has(join(poolDir(s), 'vol1_00000.img')), nodes.includes(s.name), s.name)
  })

  test('a replica added on the third node appears there; one removed disappears, loop device and all', async () => {
    const before = await placed('vol1')
    const third = sats.find((s) => !before.includes(s.name)) as Sat
    let r = await call('POST', `/v1/resource-definitions/vol1/resources/${third.name}`, {resource: {node_name: third.name, props: {StorPoolName: 'thin'}}})
    assert.equal(r.status, 201, r.body.map((e) => e.message).join('; '))
    assert.deepEqual(await holders('vol1_00000.img'), sats.map((s) => s.name))
    const gone = before[0] as string
    r = await call('DELETE', `/v1/resource-definitions/vol1/resources/${gone}`)
    assert.equal(r.status, 200)
    assert.deepEqual(await holders('vol1_00000.img'), sats.map((s) => s.name).filter((n) => n !== gone))
    const goneSat = sats.find((s) => s.name === gone) as Sat
    assert.equal((await attachedFiles()).has(join(poolDir(goneSat), 'vol1_00000.img')), false)
  })

  test('grow resizes every replica; snapshot and restore land on the right nodes', async () => {
    let r = await call('PUT', '/v1/resource-definitions/vol1/volume-definitions/0', {size_kib: 65536})
    assert.equal(r.status, 200)
    const nodes = await placed('vol1')
    for (const s of sats.filter((x) => nodes.includes(x.name))) assert.equal((await stat(join(poolDir(s), 'vol1_00000.img'))).size, 64 * 1024 * 1024)
    r = await call('POST', '/v1/resource-definitions/vol1/snapshots', {name: 'snap1'})
    assert.equal(r.status, 201, r.body.map((e) => e.message).join('; '))
    assert.deepEqual(await holders('vol1_00000@snap1.img'), nodes)
    r = await call('POST', '/v1/resource-definitions', {resource_definition: {name: 'vol1copy', resource_group_name: 'pair'}})
    r = await call('POST', '/v1/resource-definitions/vol1/snapshot-restore-volume-definition/snap1', {to_resource: 'vol1copy'})
    assert.equal(r.status, 200, r.body.map((e) => e.message).join('; '))
    r = await call('POST', '/v1/resource-definitions/vol1/snapshot-restore-resource/snap1', {to_resource: 'vol1copy'})
    assert.equal(r.status, 200, r.body.map((e) => e.message).join('; '))
    assert.deepEqual(await holders('vol1copy_00000.img'), nodes)
  })

  test('kill -9 of a satellite in the middle of a spawn: after its restart the volume is complete', async () => {
    const victim = sats[0] as Sat
    const spawning = call('POST', '/v1/resource-groups/pair/spawn', {resource_definition_name: 'midway', volume_sizes: [16384],
      select_filter: {node_name_list: [victim.name, (sats[1] as Sat).name]}})
    await new Promise((ok) => setTimeout(ok, 15))
    await victim.daemon.stop('SIGKILL')
    const r = await spawning
    assert.ok(r.status === 201 || r.status === 200, `spawn answered ${r.status}`)
    victim.daemon = c.startSatellite(victim)
    const vol = await waitFor('the volume on the restarted satellite', async () => {
      const v = ((await getJson(`${base}/v1/resource-definitions/midway/resources/${victim.name}/volumes`)).body as
        {device_path?: string, usable_size_kib?: number, state?: {disk_state?: string}}[])[0]
      return v?.state?.disk_state === 'Created' ? v : undefined
    }, 20_000).catch((e: Error) => {
      throw new Error(`${e.message}\nsatellite output:\n${victim.daemon.output()}\ncontroller output:\n${c.ctrl.output().slice(-3000)}`)
    })
    assert.equal(vol.usable_size_kib, 16384)
    assert.equal((await stat(join(poolDir(victim), 'midway_00000.img'))).size, 16 * 1024 * 1024)
    assert.equal((await attachedFiles()).get(join(poolDir(victim), 'midway_00000.img')), vol.device_path)
  })

  test('a controller restart: satellites reconnect and nothing is recreated', async () => {
    const files = sats.flatMap((s) => ['vol1_00000.img', 'midway_00000.img'].map((f) => join(poolDir(s), f)))
    const before = new Map<string, number>()
    for (const f of files) {
      const st = await stat(f).catch(() => undefined)
      if (st) before.set(f, st.ino)
    }
    const loopsBefore = await attachedFiles()
    await c.ctrl.stop('SIGTERM')
    c.ctrl = startDaemon(c.ctrlArgs, c.env)
    await waitHealthy(base)
    await waitFor('all satellites online again', async () =>
      (((await getJson(`${base}/v1/nodes`)).body as {connection_status: string}[]).every((n) => n.connection_status === 'ONLINE') ? true : undefined))
    // One more full round of syncs after the reconnect.
    for (const s of sats) await call('PUT', `/v1/nodes/${s.name}/reconnect`)
    for (const [f, ino] of before) assert.equal((await stat(f)).ino, ino, `${f} was recreated`)
    const loopsAfter = await attachedFiles()
    for (const f of before.keys()) assert.equal(loopsAfter.get(f), loopsBefore.get(f), `${f} changed loop device`)
  })

  test('deleting everything leaves no file and no loop device behind on any node', async () => {
    for (const rd of ['vol1copy', 'midway']) assert.equal((await call('DELETE', `/v1/resource-definitions/${rd}`)).status, 200)
    assert.equal((await call('DELETE', '/v1/resource-definitions/vol1/snapshots/snap1')).status, 200)
    assert.equal((await call('DELETE', '/v1/resource-definitions/vol1')).status, 200)
    for (const s of sats) assert.deepEqual(await readdir(poolDir(s)), [], s.name)
    const loops = await attachedFiles()
    assert.deepEqual([...loops.keys()].filter((f) => sats.some((s) => f.startsWith(s.dir))), [])
    assert.deepEqual((await getJson(`${base}/v1/resource-definitions`)).body, [])
  })
})
