// Node lifecycle on one controller and three satellites (loopback processes, FILE_THIN pools):
// evacuating a node moves every resource off it while each keeps its place count, on the REST
// view and on disk; restore lets it take resources again. Auto-evict marks a dead satellite
// EVICTED after DrbdOptions/AutoEvictAfterTime; it then cannot be deleted or reconnected until
// it is restored.
import assert from 'node:assert/strict'
import {readdir} from 'node:fs/promises'
import {after, before, describe, test} from 'node:test'
import {api, cli, getJson, waitFor, type CliResult} from '../support/cluster.ts'
import {startLoopbackCluster, type LoopbackCluster, type LoopbackSatellite} from '../support/loopback-cluster.ts'

interface NodeView {name: string, flags?: string[], connection_status: string}
interface RscView {name: string, node_name: string, flags?: string[]}

describe('node lifecycle on three satellites', () => {
  let c: LoopbackCluster
  let ctl: string[]
  const vols = ['vol1', 'vol2', 'vol3', 'vol4']

  const run = (...args: string[]): Promise<CliResult> => cli([...args, ...ctl])
  const node = async (name: string): Promise<NodeView> => (await getJson(`${c.base}/v1/nodes/${name}`)).body as NodeView
  const rscs = async (): Promise<RscView[]> => (await getJson(`${c.base}/v1/view/resources`)).body as RscView[]
  /** The volume files in a satellite's pool directory. */
  const files = async (s: LoopbackSatellite): Promise<string[]> => (await readdir(c.poolDir(s)).catch(() => [] as string[])).filter((f) => f.endsWith('.img'))

  before(async () => {
    c = await startLoopbackCluster({satellites: 3})
    ctl = ['--controllers', c.base.replace('http://', '')]
    const rg = await api(c.base, 'POST', '/v1/resource-groups', {name: 'pair', select_filter: {place_count: 2, storage_pool: 'thin', layer_stack: ['STORAGE']}})
    assert.equal(rg.status, 201, rg.text)
    for (const v of vols) {
      const r = await api(c.base, 'POST', '/v1/resource-groups/pair/spawn', {resource_definition_name: v, volume_sizes: [16384]})
      assert.equal(r.status, 201, r.text)
    }
  })

  after(async () => {
    await c?.stop()
  })

  test('evacuate: every resource keeps two replicas and nothing stays on the node, in the database or on disk', async () => {
    const counts = new Map<string, number>()
    for (const r of await rscs()) counts.set(r.node_name, (counts.get(r.node_name) ?? 0) + 1)
    const busiest = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] as string
    const sat = c.sats.find((s) => s.name === busiest) as LoopbackSatellite
    assert.ok((await files(sat)).length > 0)

    const out = await run('n', 'evac', busiest)
    assert.equal(out.code, 0, out.stderr + out.stdout)
    assert.match(out.stdout, new RegExp(`Node '${busiest}' is being evacuated`))
    assert.match(out.stdout, /is moving from/)
    assert.deepEqual((await node(busiest)).flags, ['EVACUATE'])

    await waitFor('evacuation done', async () => {
      const all = await rscs()
      return all.some((r) => r.node_name === busiest) || (await files(sat)).length ? undefined : true
    }, 30_000)
    const all = await rscs()
    for (const v of vols) {
      const on = all.filter((r) => r.name === v).map((r) => r.node_name)
      assert.equal(on.length, 2, `${v} on ${on.join(', ')}`)
      assert.ok(!on.includes(busiest), v)
      for (const n of on) assert.ok((await files(c.sats.find((s) => s.name === n) as LoopbackSatellite)).includes(`${v}_00000.img`), `${v} on ${n}`)
    }
    assert.equal((await node(busiest)).flags?.includes('EVACUATE'), true)

    // The node list shows it, as linstor's does.
    const list = await run('node', 'list')
    assert.match(list.stdout, new RegExp(`${busiest}.*EVACUATE`))

    // Nothing new lands there while it is evacuating; after restore, it takes resources again.
    const three = await api(c.base, 'POST', '/v1/resource-definitions/vol1/autoplace', {select_filter: {place_count: 3}})
    assert.equal(three.status, 500, three.text)
    const restored = await run('n', 'rst', busiest)
    assert.equal(restored.code, 0, restored.stderr + restored.stdout)
    assert.deepEqual((await node(busiest)).flags ?? [], [])
    const placed = await api(c.base, 'POST', '/v1/resource-definitions/vol1/autoplace', {select_filter: {place_count: 3}})
    assert.equal(placed.status, 201, placed.text)
    assert.ok((await files(sat)).includes('vol1_00000.img'))
  })

  test('evacuating with no node left for a replica warns; that replica stays', async () => {
    // vol1 is on all three nodes now.
    const out = await run('n', 'evac', c.sats[0]?.name as string)
    assert.equal(out.code, 0, out.stderr + out.stdout)
    assert.match(out.stdout, /No node can take over resource 'vol1'/)
    const r = await run('n', 'rst', c.sats[0]?.name as string)
    assert.equal(r.code, 0, r.stderr)
    assert.equal((await rscs()).filter((x) => x.name === 'vol1').length, 3)
  })

  test('auto-evict: a satellite dead for AutoEvictAfterTime is EVICTED, cannot be deleted or reconnected, and comes back with restore', async () => {
    const sat = c.sats[2] as LoopbackSatellite
    const props = await api(c.base, 'POST', '/v1/controller/properties', {override_props: {'DrbdOptions/AutoEvictAfterTime': '1'}})
    assert.equal(props.status, 201, props.text)
    await sat.daemon.stop('SIGKILL')
    await waitFor('node evicted', async () => ((await node(sat.name)).flags?.includes('EVICTED') ? true : undefined), 120_000)

    const del = await run('node', 'delete', sat.name)
    assert.notEqual(del.code, 0)
    assert.match(del.stderr + del.stdout, /evicted and cannot be deleted/)
    sat.daemon = c.startSatellite(sat)
    const rc = await run('node', 'reconnect', sat.name)
    assert.match(rc.stdout + rc.stderr, /is evicted/)
    await new Promise((r) => setTimeout(r, 4000))
    assert.notEqual((await node(sat.name)).connection_status, 'ONLINE')

    const restored = await run('node', 'restore', sat.name)
    assert.equal(restored.code, 0, restored.stderr)
    await waitFor('node back online', async () => ((await node(sat.name)).connection_status === 'ONLINE' ? true : undefined), 30_000)
    // Storage-only resources are not DRBD resources: eviction left them where they were.
    assert.ok((await rscs()).some((r) => r.node_name === sat.name))
  })
})
