// Snapshots on a combined node with the default FILE_THIN pool: a snapshot keeps the data it
// saw, a restore brings it back in a new resource, and deletes go through the satellite.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {execFile} from 'node:child_process'
import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {promisify} from 'node:util'
import {Rc, withContext} from '../../src/common/api-call-rc.ts'
import {validateAgainst, validateListOf} from '../support/openapi.ts'
import {api, cleanup, startCombined, type Combined, type Daemon} from '../support/cluster.ts'

const exec = promisify(execFile)
const sha = async (device: string, bytes: number): Promise<string> => {
  const data = (await readFile(device)).subarray(0, bytes)
  return createHash('sha256').update(data).digest('hex')
}

describe('snapshots', () => {
  let dir: string
  let daemon: Daemon
  let base: string
  const node = 'snapnode'
  const first = (r: {body: unknown}): bigint => BigInt((r.body as {ret_code: bigint}[])[0]?.ret_code ?? 0)
  const device = async (rd: string): Promise<string> => {
    const vols = (await api(base, 'GET', `/v1/resource-definitions/${rd}/resources/${node}/volumes`)).body as {device_path: string}[]
    return vols[0]?.device_path as string
  }
  const write = (dev: string, pattern: string): Promise<unknown> =>
    exec('sh', ['-c', 'yes "$1" | head -c 1048576 | dd of="$2" bs=64k oflag=direct status=none', 'sh', pattern, dev])

  before(async () => {
    ;({dir, base, daemon} = await startCombined(node))
    assert.equal((await api(base, 'POST', '/v1/resource-groups', {name: 'sg', select_filter: {place_count: 1, layer_stack: ['STORAGE']}})).status, 201)
    assert.equal((await api(base, 'POST', '/v1/resource-groups/sg/spawn', {resource_definition_name: 'data', volume_sizes: [4096]})).status, 201)
  })

  after(async () => {
    await daemon?.stop('SIGKILL')
    await cleanup(dir)
  })

  test('a snapshot keeps the data it saw; restore brings it back in a new resource', async () => {
    const dev = await device('data')
    await write(dev, 'before-snapshot')
    const original = await sha(dev, 1048576)
    let r = await api(base, 'POST', '/v1/resource-definitions/data/snapshots', {name: 'snap1'})
    assert.equal(r.status, 201, r.text)
    assert.equal(first(r), withContext(Rc.CREATED, 'create', 'snapshot'))
    const snap = (await api(base, 'GET', '/v1/resource-definitions/data/snapshots/snap1')).body as {flags: string[], snapshots: {node_name: string}[]}
    assert.deepEqual(validateAgainst('Snapshot', snap), [])
    assert.deepEqual([snap.flags, snap.snapshots.map((s) => s.node_name)], [['SUCCESSFUL'], [node]])
    assert.ok((await stat(join(dir, 'pools/default/data_00000@snap1.img'))).isFile())
    await write(dev, 'after-snapshot')
    assert.notEqual(await sha(dev, 1048576), original)

    assert.equal((await api(base, 'POST', '/v1/resource-definitions', {resource_definition: {name: 'restored', resource_group_name: 'sg'}})).status, 201)
    r = await api(base, 'POST', '/v1/resource-definitions/data/snapshot-restore-volume-definition/snap1', {to_resource: 'restored'})
    assert.equal(r.status, 200, r.text)
    r = await api(base, 'POST', '/v1/resource-definitions/data/snapshot-restore-resource/snap1', {to_resource: 'restored'})
    assert.equal(r.status, 200, r.text)
    assert.equal(await sha(await device('restored'), 1048576), original)
    const view = (await api(base, 'GET', '/v1/view/snapshots')).body
    assert.deepEqual(validateListOf('Snapshot', view), [])
    const named = (await api(base, 'GET', '/v1/view/snapshots?snapshots=SNAP1&snapshots=nosuch')).body as {name: string}[]
    assert.deepEqual(named.map((x) => x.name), ['snap1'], 'the snapshots= filter, case-insensitive')
  })

  test('rollback returns the volume to its newest snapshot; an older one is refused while newer ones exist', async () => {
    const dev = await device('data')
    await write(dev, 'at-snap2')
    const atSnap2 = await sha(dev, 1048576)
    let r = await api(base, 'POST', '/v1/resource-definitions/data/snapshots', {name: 'snap2'})
    assert.equal(r.status, 201, r.text)
    await write(dev, 'after-snap2')
    r = await api(base, 'POST', '/v1/resource-definitions/data/snapshot-rollback/snap1', {})
    assert.equal(first(r), withContext(Rc.FAIL_IN_USE, 'modify', 'rscDfn'))
    assert.match(r.text, /not the most recent snapshot.*Newer snapshots exist: snap2/s)
    r = await api(base, 'POST', '/v1/resource-definitions/data/snapshot-rollback/snap2', {})
    assert.equal(r.status, 200, r.text)
    assert.equal(first(r), withContext(Rc.MODIFIED, 'modify', 'rscDfn'))
    assert.equal(await sha(await device('data'), 1048576), atSnap2)
    r = await api(base, 'POST', '/v1/resource-definitions/data/snapshot-rollback/nosuch', {})
    assert.equal(r.status, 404)
    assert.equal((await api(base, 'DELETE', '/v1/resource-definitions/data/snapshots/snap2')).status, 200)
  })

  test('a definition with snapshots cannot be deleted; the snapshot delete removes the file', async () => {
    let r = await api(base, 'DELETE', '/v1/resource-definitions/data')
    assert.equal(first(r), withContext(Rc.FAIL_EXISTS_SNAPSHOT_DFN, 'delete', 'rscDfn'))
    r = await api(base, 'DELETE', '/v1/resource-definitions/data/snapshots/snap1')
    assert.equal(r.status, 200, r.text)
    assert.equal(first(r), withContext(Rc.DELETED, 'delete', 'snapshot'))
    assert.equal(await stat(join(dir, 'pools/default/data_00000@snap1.img')).then(() => true, () => false), false)
    assert.equal((await api(base, 'GET', '/v1/resource-definitions/data/snapshots/snap1')).status, 404)
    r = await api(base, 'DELETE', '/v1/resource-definitions/data/snapshots/snap1')
    assert.equal(first(r), withContext(Rc.WARN_NOT_FOUND, 'delete', 'snapshot'))
    r = await api(base, 'DELETE', '/v1/resource-definitions/data')
    assert.equal(first(r), withContext(Rc.DELETED, 'delete', 'rscDfn'))
  })

  test('refused: a fat FILE pool, a bad name, a duplicate, an unknown definition', async () => {
    assert.equal((await api(base, 'POST', `/v1/nodes/${node}/storage-pools`, {storage_pool_name: 'fat', provider_kind: 'FILE',
      props: {'StorDriver/FileDir': join(dir, 'fat')}})).status, 201)
    assert.equal((await api(base, 'POST', '/v1/resource-groups/sg/spawn', {resource_definition_name: 'fatvol', volume_sizes: [1024],
      select_filter: {storage_pool: 'fat'}})).status, 201)
    let r = await api(base, 'POST', '/v1/resource-definitions/fatvol/snapshots', {name: 's1'})
    assert.equal(first(r), withContext(Rc.FAIL_INVLD_STOR_DRIVER, 'create', 'snapshot'))
    assert.match((r.body as {message: string}[])[0]?.message ?? '', /cannot take snapshots/)
    r = await api(base, 'POST', '/v1/resource-definitions/restored/snapshots', {name: '../x'})
    assert.equal(first(r), withContext(Rc.FAIL_INVLD_SNAPSHOT_NAME, 'create', 'snapshot'))
    assert.equal((await api(base, 'POST', '/v1/resource-definitions/restored/snapshots', {name: 'once'})).status, 201)
    r = await api(base, 'POST', '/v1/resource-definitions/restored/snapshots', {name: 'ONCE'})
    assert.equal(first(r), withContext(Rc.FAIL_EXISTS_SNAPSHOT_DFN, 'create', 'snapshot'))
    r = await api(base, 'POST', '/v1/resource-definitions/nosuch/snapshots', {name: 'x1'})
    assert.equal(r.status, 404)
    assert.equal((await api(base, 'GET', '/v1/resource-definitions/fatvol/snapshots')).text, '[]')
  })
})

describe('clone', () => {
  let c: Combined
  const node = 'clonenode'
  before(async () => {
    c = await startCombined(node)
    assert.equal((await api(c.base, 'POST', '/v1/resource-groups', {name: 'cg', select_filter: {place_count: 1, layer_stack: ['STORAGE']}})).status, 201)
    assert.equal((await api(c.base, 'POST', '/v1/resource-groups/cg/spawn', {resource_definition_name: 'src', volume_sizes: [2048],
      resource_definition_props: {'Aux/owner': 'me'}})).status, 201)
  })
  after(async () => {
    await c?.daemon.stop('SIGKILL')
    await cleanup(c.dir)
  })

  test('copies the volumes; the status goes to COMPLETE; props follow with overrides', async () => {
    const vols = (await api(c.base, 'GET', `/v1/resource-definitions/src/resources/${node}/volumes`)).body as {device_path: string}[]
    const dev = vols[0]?.device_path as string
    await exec('sh', ['-c', 'yes clone-me | head -c 1048576 | dd of="$1" bs=64k oflag=direct status=none', 'sh', dev])
    const r = await api(c.base, 'POST', '/v1/resource-definitions/src/clone', {name: 'copy', override_props: {'Aux/copy': 'yes'}})
    assert.equal(r.status, 201, r.text)
    assert.deepEqual(validateAgainst('ResourceDefinitionCloneStarted', r.body), [])
    assert.deepEqual((r.body as {clone_name: string, location: string}).location, '/v1/resource-definitions/src/clone/copy')
    const status = await api(c.base, 'GET', '/v1/resource-definitions/src/clone/copy')
    assert.deepEqual(status.body, {status: 'COMPLETE'})
    const copyVols = (await api(c.base, 'GET', `/v1/resource-definitions/copy/resources/${node}/volumes`)).body as {device_path: string}[]
    assert.equal(await sha(copyVols[0]?.device_path as string, 1048576), await sha(dev, 1048576))
    const rd = (await api(c.base, 'GET', '/v1/resource-definitions/copy')).body as {props: Record<string, string>, flags?: string[]}
    assert.deepEqual([rd.props['Aux/owner'], rd.props['Aux/copy'], rd.flags ?? []], ['me', 'yes', []])
    assert.equal((await api(c.base, 'GET', '/v1/resource-definitions/src/clone/nope')).status, 404)
    assert.equal((await api(c.base, 'POST', '/v1/resource-definitions/src/clone', {name: 'copy'})).status, 500)
  })
})
