// Resource actions on one controller and three loopback satellites (FILE_THIN pools): the
// property whitelist, effective_props, toggle-disk, activate/deactivate, make-available on a
// storage-only stack, resource-group adjust, spawn with `partial`, and a node's eviction
// timestamp. The hosts have no DRBD kernel module: DRBD resources get their volumes, but DRBD
// itself is reported unsupported, so no replica is ever UpToDate.
import assert from 'node:assert/strict'
import {readdir} from 'node:fs/promises'
import {after, before, describe, test} from 'node:test'
import {api, cli, getJson, waitFor, type CliResult} from '../support/cluster.ts'
import {startLoopbackCluster, type LoopbackCluster, type LoopbackSatellite} from '../support/loopback-cluster.ts'
import {validateAgainst, validateListOf} from '../support/openapi.ts'

interface Entry {ret_code: bigint | number, message: string, cause?: string, details?: string}
interface RscView {name: string, node_name: string, flags?: string[], props?: Record<string, string>, effective_props?: Record<string, unknown>}

/** The low 15 bits of a ret_code: LINSTOR's code without class, operation and object. */
const codeOf = (e: Entry): number => Number(BigInt.asUintN(64, BigInt(e.ret_code)) & 0x7FFFn)

describe('resource actions on three satellites', () => {
  let c: LoopbackCluster
  let ctl: string[]
  const run = (...args: string[]): Promise<CliResult> => cli([...args, ...ctl])
  const call = async (method: string, path: string, body?: unknown): Promise<{status: number, body: Entry[]}> => {
    const r = await api(c.base, method, path, body)
    assert.deepEqual(validateListOf('ApiCallRc', r.body), [], `${method} ${path}: ${r.text}`)
    return {status: r.status, body: r.body as Entry[]}
  }
  const rsc = async (rd: string, node: string): Promise<RscView> => (await getJson(`${c.base}/v1/resource-definitions/${rd}/resources/${node}`)).body as RscView
  const placed = async (rd: string): Promise<string[]> =>
    ((await getJson(`${c.base}/v1/resource-definitions/${rd}/resources`)).body as RscView[]).map((r) => r.node_name).sort()
  const files = async (s: LoopbackSatellite): Promise<string[]> => (await readdir(c.poolDir(s)).catch(() => [] as string[])).filter((f) => f.endsWith('.img'))
  const sat = (name: string): LoopbackSatellite => c.sats.find((s) => s.name === name) as LoopbackSatellite

  before(async () => {
    c = await startLoopbackCluster({satellites: 3})
    ctl = ['--controllers', c.base.replace('http://', '')]
    let r = await call('POST', '/v1/resource-groups', {name: 'pair', select_filter: {place_count: 2, storage_pool: 'thin', layer_stack: ['STORAGE']}})
    assert.equal(r.status, 201)
    r = await call('POST', '/v1/resource-groups/pair/spawn', {resource_definition_name: 'vol1', volume_sizes: [8192]})
    assert.equal(r.status, 201)
    // dr1: DRBD over storage, diskful on node1 and node2, diskless on node3 (placed by hand: the autoplacer wants DRBD support).
    r = await call('POST', '/v1/resource-definitions', {resource_definition: {name: 'dr1', layer_data: [{type: 'DRBD'}, {type: 'STORAGE'}]}})
    assert.equal(r.status, 201)
    r = await call('POST', '/v1/resource-definitions/dr1/volume-definitions', {volume_definition: {size_kib: 8192}})
    assert.equal(r.status, 200)
    await call('POST', '/v1/resource-definitions/dr1/resources', [
      {resource: {node_name: 'node1', props: {StorPoolName: 'thin'}}}, {resource: {node_name: 'node2', props: {StorPoolName: 'thin'}}},
      {resource: {node_name: 'node3', flags: ['DRBD_DISKLESS']}}])
    assert.deepEqual(await placed('dr1'), ['node1', 'node2', 'node3'])
  })

  after(async () => {
    await c?.stop()
  })

  test('the property whitelist refuses unknown DrbdOptions keys and bad values; Aux and other namespaces stay free', async () => {
    const refusals: [string, string, unknown, string][] = [
      ['PUT', '/v1/resource-definitions/dr1', {override_props: {'DrbdOptions/Net/protocoll': 'C'}}, 'Invalid property key'],
      ['PUT', '/v1/resource-definitions/dr1', {override_props: {'DrbdOptions/Net/protocol': 'D'}}, 'Invalid property value'],
      ['PUT', '/v1/resource-groups/pair', {override_props: {'DrbdOptions/Resource/quorum': 'foo'}}, 'Invalid property value'],
      ['POST', '/v1/controller/properties', {override_props: {'DrbdOptions/Net/max-buffers': '1'}}, 'Invalid property value'],
      ['PUT', '/v1/nodes/node1', {override_props: {'DrbdOptions/Nett/protocol': 'C'}}, 'Invalid property key'],
    ]
    for (const [method, path, body, message] of refusals) {
      const r = await call(method, path, body)
      assert.equal(r.status, 500, `${path}: ${r.body.map((e) => e.message).join('; ')}`)
      assert.equal(r.body[0]?.message, message)
      assert.equal(codeOf(r.body[0] as Entry), 213, 'FAIL_INVLD_PROP')
    }
    const rd = (await getJson(`${c.base}/v1/resource-definitions/dr1`)).body as {props?: Record<string, string>}
    assert.equal(Object.keys(rd.props ?? {}).some((k) => k.startsWith('DrbdOptions/')), false, 'nothing of a refused request was stored')
    const out = await run('rd', 'sp', 'dr1', 'DrbdOptions/Net/protocol', 'D')
    assert.equal(out.code, 10)
    assert.match(out.stdout + out.stderr, /The value 'D' is not valid for the key 'DrbdOptions\/Net\/protocol'/)
    const free = await call('PUT', '/v1/resource-definitions/dr1', {override_props: {'Aux/DrbdOptions/whatever': 'D', 'MyTool/setting': 'x'}})
    assert.equal(free.status, 200)
  })

  test('resource views carry effective_props: the DRBD options and where each comes from', async () => {
    assert.equal((await call('PUT', '/v1/resource-definitions/dr1', {override_props: {'DrbdOptions/Net/protocol': 'A'}})).status, 200)
    assert.equal((await call('POST', '/v1/controller/properties', {override_props: {'DrbdOptions/Net/protocol': 'C'}})).status, 201)
    const view = (await getJson(`${c.base}/v1/view/resources?resources=dr1&nodes=node1`)).body as RscView[]
    assert.deepEqual(validateListOf('ResourceWithVolumes', view), [])
    assert.deepEqual(view[0]?.effective_props?.['DrbdOptions/Net/protocol'],
      {type: 'RSC_DFN', value: 'A', descr: "Resource definition 'dr1'", other: [{type: 'CTRL', value: 'C', descr: 'Controller'}]})
    assert.deepEqual((await rsc('dr1', 'node1')).effective_props, view[0]?.effective_props)
    await call('DELETE', `/v1/controller/properties/${encodeURIComponent('DrbdOptions/Net/protocol')}`)
  })

  test('toggle-disk: a diskless replica gets its volume; removing a disk needs an UpToDate peer; no DRBD, no toggle', async () => {
    let r = await call('PUT', '/v1/resource-definitions/dr1/resources/node1/toggle-disk', {operation: 'INTO_DRBD_DISKLESS'})
    assert.equal(r.status, 500)
    assert.equal(codeOf(r.body[0] as Entry), 991, 'FAIL_INSUFFICIENT_REPLICA_COUNT')
    assert.deepEqual((await rsc('dr1', 'node1')).flags ?? [], [])
    r = await call('PUT', `/v1/resource-definitions/vol1/resources/${(await placed('vol1'))[0]}/toggle-disk/diskless`)
    assert.match(r.body[0]?.message ?? '', /only supported in combination with DRBD/)
    r = await call('PUT', '/v1/resource-definitions/dr1/resources/node2/toggle-disk/diskful/thin')
    assert.equal(codeOf(r.body[0] as Entry), 1007, 'WARN_RSC_ALREADY_HAS_DISK')

    assert.equal((await files(sat('node3'))).includes('dr1_00000.img'), false)
    const out = await run('r', 'td', 'node3', 'dr1', '--storage-pool', 'thin')
    // The reply goes on with DRBD's failure on this host (exit code 10); the registration comes first.
    assert.match(out.stdout + out.stderr, /Addition of disk to resource 'dr1' on node 'node3' registered[^]*DRBD/)
    assert.ok((await files(sat('node3'))).includes('dr1_00000.img'))
    const after = await rsc('dr1', 'node3')
    assert.equal(after.flags?.includes('DISKLESS'), false)
    assert.equal(after.props?.StorPoolName, 'thin')
    // Here DRBD cannot attach the disk: the toggle stays under way.
    assert.deepEqual(after.flags, ['DISK_ADDING'])
    r = await call('PUT', '/v1/resource-definitions/dr1/resources/node3/toggle-disk', {})
    assert.equal(codeOf(r.body[0] as Entry), 992, 'FAIL_RSC_BUSY')
  })

  test('deactivate keeps the volumes; activate undoes it; both say so when there is nothing to do', async () => {
    const node = (await placed('vol1'))[0] as string
    let out = await run('r', 'deactivate', node, 'vol1')
    assert.equal(out.code, 0, out.stdout + out.stderr)
    assert.match(out.stdout, new RegExp(`Resource deactivated on ${node}`))
    assert.deepEqual((await rsc('vol1', node)).flags, ['INACTIVE'])
    assert.ok((await files(sat(node))).includes('vol1_00000.img'))
    out = await run('r', 'l', '-r', 'vol1')
    assert.match(out.stdout, /INACTIVE/)
    const r = await call('POST', `/v1/resource-definitions/vol1/resources/${node}/deactivate`)
    assert.equal(r.body[0]?.message, 'Resource is already deactivated. Noop')
    out = await run('r', 'activate', node, 'vol1')
    assert.equal(out.code, 0, out.stdout + out.stderr)
    assert.deepEqual((await rsc('vol1', node)).flags ?? [], [])
  })

  test('make-available on a storage-only stack: refused where the data is elsewhere; activates an inactive replica', async () => {
    const holders = await placed('vol1')
    const first = holders[0] as string
    const other = c.sats.map((s) => s.name).find((n) => !holders.includes(n)) as string
    let r = await call('POST', `/v1/resource-definitions/vol1/resources/${other}/make-available`, {})
    assert.equal(r.status, 500)
    assert.match(r.body[0]?.message ?? '', /has no DRBD/)
    assert.equal(codeOf(r.body[0] as Entry), 225, 'FAIL_INVLD_LAYER_STACK')
    assert.deepEqual(await placed('vol1'), holders)
    assert.equal((await files(sat(other))).includes('vol1_00000.img'), false)
    await call('POST', `/v1/resource-definitions/vol1/resources/${first}/deactivate`)
    r = await call('POST', `/v1/resource-definitions/vol1/resources/${first}/make-available`, {})
    assert.equal(r.status, 200)
    assert.deepEqual((await rsc('vol1', first)).flags ?? [], [])
    r = await call('POST', `/v1/resource-definitions/vol1/resources/${first}/make-available`, {})
    assert.match(r.body[0]?.message ?? '', /already available/)
  })

  test('resource-group adjust places what a raised place count wants, and warns about too many', async () => {
    assert.equal((await call('PUT', '/v1/resource-groups/pair', {select_filter: {place_count: 3}})).status, 200)
    let out = await run('rg', 'adjust', 'pair')
    assert.equal(out.code, 0, out.stdout + out.stderr)
    assert.deepEqual(await placed('vol1'), ['node1', 'node2', 'node3'])
    for (const s of c.sats) assert.ok((await files(s)).includes('vol1_00000.img'), s.name)
    let r = await call('POST', '/v1/resource-groups/adjustall', {})
    assert.equal(r.status, 200)
    assert.ok(r.body.some((e) => /'vol1' is already placed as requested/.test(e.message)))
    assert.equal((await call('PUT', '/v1/resource-groups/pair', {select_filter: {place_count: 2}})).status, 200)
    r = await call('POST', '/v1/resource-groups/pair/adjust', {})
    assert.equal(r.status, 200)
    assert.match(r.body.map((e) => e.message).join('\n'), /The resource 'vol1' was already deployed on 3 nodes/)
    assert.deepEqual(await placed('vol1'), ['node1', 'node2', 'node3'])
    r = await call('POST', '/v1/resource-groups/nosuch/adjust', {})
    assert.equal(r.status, 404)
    out = await run('rg', 'adjust')
    assert.equal(out.code, 0, out.stdout + out.stderr)
  })

  test('spawn with partial: more sizes than volume groups give the extra volumes the next numbers', async () => {
    assert.equal((await call('POST', '/v1/resource-groups', {name: 'vg1', select_filter: {place_count: 1, storage_pool: 'thin', layer_stack: ['STORAGE']}})).status, 201)
    assert.equal((await call('POST', '/v1/resource-groups/vg1/volume-groups', {volume_number: 1})).status, 201)
    let r = await call('POST', '/v1/resource-groups/vg1/spawn', {resource_definition_name: 'multi', volume_sizes: [4096, 4096]})
    assert.equal(r.status, 500)
    assert.match(r.body[0]?.message ?? '', /Invalid count of volume sizes/)
    r = await call('POST', '/v1/resource-groups/vg1/spawn', {resource_definition_name: 'multi', volume_sizes: [4096, 4096], partial: true})
    assert.equal(r.status, 201, r.body.map((e) => e.message).join('; '))
    const vds = (await getJson(`${c.base}/v1/resource-definitions/multi/volume-definitions`)).body as {volume_number: number}[]
    assert.deepEqual(vds.map((v) => v.volume_number), [0, 1])
  })

  test('an offline satellite shows when it will be evicted; the time goes once it is back', async () => {
    const s = sat('node3')
    await s.daemon.stop('SIGKILL')
    const evictAt = await waitFor('eviction timestamp', async () => {
      const n = (await getJson(`${c.base}/v1/nodes/node3`)).body as {eviction_timestamp?: number}
      return n.eviction_timestamp
    }, 40_000)
    // AutoEvictAfterTime defaults to 60 minutes after the satellite was last heard of.
    assert.ok(evictAt > Date.now() + 58 * 60_000 && evictAt <= Date.now() + 60 * 60_000, String(evictAt))
    assert.deepEqual(validateListOf('Node', (await getJson(`${c.base}/v1/nodes`)).body), [])
    assert.deepEqual(validateAgainst('Node', (await getJson(`${c.base}/v1/nodes/node3`)).body), [])
    s.daemon = c.startSatellite(s)
    await waitFor('no eviction timestamp', async () => {
      const n = (await getJson(`${c.base}/v1/nodes/node3`)).body as {eviction_timestamp?: number, connection_status: string}
      return n.connection_status === 'ONLINE' && n.eviction_timestamp === undefined ? true : undefined
    }, 40_000)
  })
})
