// Shipping snapshots to LINSTOR remotes: from one `cairn combined` to a second one on loopback
// (a separate cluster with its own database), and inside one cluster through a remote that points
// back to it. The target accepts only a cluster it has a remote for; the data arrives verified,
// a first shipment restores into a resource there, the next one is incremental on the last.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {execFile} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {promisify} from 'node:util'
import {api, cleanup, startCombined, waitFor, type Combined} from '../support/cluster.ts'

const exec = promisify(execFile)
const SIZE = 4 * 1024 * 1024

describe('snapshot shipping to LINSTOR remotes', () => {
  let a: Combined
  let b: Combined
  const call = (c: Combined, method: string, path: string, body?: unknown): ReturnType<typeof api> => api(c.base, method, path, body)
  const device = (c: Combined, node: string, rd: string): Promise<string> => waitFor(`${rd} on ${node}`, async () => {
    const vols = (await call(c, 'GET', `/v1/resource-definitions/${rd}/resources/${node}/volumes`)).body as {device_path?: string}[]
    return Array.isArray(vols) && vols[0]?.device_path ? vols[0].device_path : undefined
  }, 30_000)
  const sha = async (path: string): Promise<string> => createHash('sha256').update((await readFile(path)).subarray(0, SIZE)).digest('hex')
  const write = (dev: string, pattern: string, offsetMiB: number): Promise<unknown> =>
    exec('sh', ['-c', 'yes "$1" | head -c 1048576 | dd of="$2" bs=64k seek="$3" oflag=direct status=none', 'sh', pattern, dev, String(offsetMiB * 16)])
  const clusterId = async (c: Combined): Promise<string> => ((await call(c, 'GET', '/v1/controller/properties')).body as Record<string, string>)['Cluster/LocalID'] as string
  const snapshotDone = (c: Combined, rd: string, snap: string): Promise<true> => waitFor(`${rd}/${snap}`, async () => {
    const s = (await call(c, 'GET', `/v1/resource-definitions/${rd}/snapshots/${snap}`)).body as {flags?: string[]}
    return s.flags?.includes('SUCCESSFUL') ? true : undefined
  }, 30_000)
  const ship = async (from: Combined, remote: string, body: Record<string, unknown>): Promise<{snap: string, text: string}> => {
    const r = await call(from, 'POST', `/v1/remotes/${remote}/backups/ship`, body)
    assert.equal(r.status, 201, r.text)
    return {snap: (r.body as {obj_refs?: {Snapshot?: string}}[])[0]?.obj_refs?.Snapshot as string, text: r.text}
  }

  before(async () => {
    a = await startCombined('alpha')
    b = await startCombined('beta')
    for (const c of [a, b]) {
      assert.equal((await call(c, 'POST', '/v1/resource-groups', {name: 'sg', select_filter: {place_count: 1, layer_stack: ['STORAGE']}})).status, 201)
    }
    assert.equal((await call(a, 'POST', '/v1/resource-groups/sg/spawn', {resource_definition_name: 'data', volume_sizes: [SIZE / 1024]})).status, 201)
    assert.equal((await call(a, 'POST', '/v1/remotes/linstor', {remote_name: 'other', url: b.base})).status, 201)
  })

  after(async () => {
    for (const c of [a, b]) {
      await c?.daemon.stop('SIGKILL')
      if (c) await cleanup(c.dir)
    }
  })

  test('an unknown cluster is refused by the target, and nothing is left behind on either side', async () => {
    const r = await call(a, 'POST', '/v1/remotes/other/backups/ship', {src_rsc_name: 'data', dst_rsc_name: 'copy'})
    assert.equal(r.status, 500, r.text)
    assert.match(r.text, /refused the shipment: Unknown Cluster/)
    assert.deepEqual((await call(a, 'GET', '/v1/resource-definitions/data/snapshots')).body, [])
    assert.equal((await call(b, 'GET', '/v1/resource-definitions/copy')).status, 404)
  })

  test('to another cluster: the first shipment restores into a new resource there with the same data', async () => {
    assert.equal((await call(b, 'POST', '/v1/remotes/linstor', {remote_name: 'source', url: a.base, cluster_id: await clusterId(a)})).status, 201)
    const dev = await device(a, 'alpha', 'data')
    await write(dev, 'shipped-first', 1)
    const before = await sha(dev)
    const {snap} = await ship(a, 'other', {src_rsc_name: 'data', dst_rsc_name: 'copy'})
    assert.equal(await sha(await device(b, 'beta', 'copy')), before)
    await snapshotDone(b, 'copy', snap)
    await waitFor('sender done', async () => ((await call(a, 'GET', `/v1/resource-definitions/data/snapshots/${snap}`)).status === 200 ? true : undefined))
  })

  test('the next shipment is incremental on the last one; it lands as a snapshot beside the deployed resource', async () => {
    await new Promise((r) => setTimeout(r, 1100))
    const dev = await device(a, 'alpha', 'data')
    await write(dev, 'shipped-second', 3)
    const now = await sha(dev)
    const {snap, text} = await ship(a, 'other', {src_rsc_name: 'data', dst_rsc_name: 'copy'})
    assert.match(text, /Incremental shipping/)
    await snapshotDone(b, 'copy', snap)
    // Restored there into a fresh resource, the incremental snapshot has the sender's data.
    assert.equal((await call(b, 'POST', '/v1/resource-definitions', {resource_definition: {name: 'check', resource_group_name: 'sg'}})).status, 201)
    assert.equal((await call(b, 'POST', `/v1/resource-definitions/copy/snapshot-restore-volume-definition/${snap}`, {to_resource: 'check'})).status, 200)
    assert.equal((await call(b, 'POST', `/v1/resource-definitions/copy/snapshot-restore-resource/${snap}`, {to_resource: 'check'})).status, 200)
    assert.equal(await sha(await device(b, 'beta', 'check')), now)
  })

  test('inside one cluster, through a remote that points back to it', async () => {
    assert.equal((await call(a, 'POST', '/v1/remotes/linstor', {remote_name: 'self', url: a.base, cluster_id: await clusterId(a)})).status, 201)
    const dev = await device(a, 'alpha', 'data')
    const now = await sha(dev)
    await ship(a, 'self', {src_rsc_name: 'data', dst_rsc_name: 'local-copy'})
    assert.equal(await sha(await device(a, 'alpha', 'local-copy')), now)
    assert.ok((await readFile(join(a.dir, 'pools/default/local-copy_00000.img'))).length >= SIZE)
  })
})
