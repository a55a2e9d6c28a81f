// The whole life of objects on a real combined node: modify, resize, explicit create,
// make-available, the two-step deletes (record stays until the satellite removed the volume),
// idempotent deletes and the refusals that protect data.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {promisify} from 'node:util'
import {Rc, withContext, type ObjKind, type OpKind} from '../../src/common/api-call-rc.ts'
import {validateAgainst, validateListOf} from '../support/openapi.ts'
import {api, cleanup, getJson, startCombined, type Daemon} from '../support/cluster.ts'

const exec = promisify(execFile)

describe('object lifecycle on a combined node', () => {
  let dir: string
  let daemon: Daemon
  let base: string
  const node = 'life'

  const call = async (method: string, path: string, body?: unknown): Promise<{status: number, body: {ret_code: bigint | number, message: string}[]}> => {
    const r = await api(base, method, path, body)
    return {status: r.status, body: (r.body ?? []) as {ret_code: bigint, message: string}[]}
  }
  const code = (c: bigint, op: OpKind, obj: ObjKind): bigint => withContext(c, op, obj)
  const first = (r: {body: {ret_code: bigint | number}[]}): bigint => BigInt(r.body[0]?.ret_code ?? 0)
  const file = (rd: string, nr = 0): string => join(dir, 'pools/default', `${rd}_${String(nr).padStart(5, '0')}.img`)
  const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false)

  before(async () => {
    ;({dir, base, daemon} = await startCombined(node))
    const r = await call('POST', '/v1/resource-groups', {name: 'life', select_filter: {place_count: 1, layer_stack: ['STORAGE']}})
    assert.equal(r.status, 201)
  })

  after(async () => {
    await daemon?.stop('SIGKILL')
    await cleanup(dir)
  })

  test('resource group modify is a partial update of the select filter', async () => {
    let r = await call('PUT', '/v1/resource-groups/life', {select_filter: {}, override_props: {'Aux/owner': 'tests'}, description: 'life cycle'})
    assert.equal(r.status, 200)
    assert.equal(first(r), code(Rc.MODIFIED, 'modify', 'rscGrp'))
    const rg = (await getJson(`${base}/v1/resource-groups/life`)).body as {select_filter: {place_count: number, layer_stack: string[]}, props: Record<string, string>, description: string}
    assert.deepEqual(validateAgainst('ResourceGroup', rg), [])
    assert.deepEqual([rg.select_filter.place_count, rg.select_filter.layer_stack, rg.props['Aux/owner'], rg.description], [1, ['STORAGE'], 'tests', 'life cycle'])
    r = await call('PUT', '/v1/resource-groups/life', {select_filter: {place_count: 'two'}})
    assert.equal(r.status, 500)
    assert.equal(((await getJson(`${base}/v1/resource-groups/life`)).body as {select_filter: {place_count: number}}).select_filter.place_count, 1)
  })

  test('query-all-size-info reports the group\'s space like Proxmox reads it', async () => {
    const {status, body} = await api(base, 'POST', '/v1/queries/resource-groups/query-all-size-info', {})
    assert.equal(status, 200)
    assert.deepEqual(validateAgainst('QueryAllSizeInfoResponse', body), [])
    const info = (body as {result: Record<string, {space_info: {max_vlm_size_in_kib: number, capacity_in_kib: number}}>}).result.life?.space_info
    assert.ok(info && info.max_vlm_size_in_kib > 0 && info.capacity_in_kib >= info.max_vlm_size_in_kib)
  })

  test('a volume grows: file, loop device and the reported size follow', async () => {
    let r = await call('POST', '/v1/resource-groups/life/spawn', {resource_definition_name: 'grow', volume_sizes: [8192]})
    assert.equal(r.status, 201, JSON.stringify(r.body))
    r = await call('PUT', '/v1/resource-definitions/grow/volume-definitions/0', {size_kib: 16384})
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.equal(r.body.length, 1, 'no warning: the satellite resized before the reply')
    assert.equal((await stat(file('grow'))).size, 16 * 1024 * 1024)
    const vols = (await getJson(`${base}/v1/resource-definitions/grow/resources/${node}/volumes`)).body as {device_path: string, usable_size_kib: number}[]
    assert.deepEqual(validateListOf('Volume', vols), [])
    assert.equal(vols[0]?.usable_size_kib, 16384)
    const {stdout} = await exec('blockdev', ['--getsize64', vols[0]?.device_path as string])
    assert.equal(Number(stdout), 16 * 1024 * 1024)
    r = await call('PUT', '/v1/resource-definitions/grow/volume-definitions/0', {size_kib: 4096})
    assert.equal(r.status, 500)
    assert.equal(first(r), code(Rc.FAIL_INVLD_VLM_SIZE, 'modify', 'vlmDfn'))
    await call('PUT', '/v1/resource-definitions/grow', {override_props: {'DrbdOptions/ExactSize': 'True'}})
    r = await call('PUT', '/v1/resource-definitions/grow/volume-definitions/0', {size_kib: 32768})
    assert.match(r.body[0]?.message ?? '', /ExactSize/)
  })

  test('FileSystem/Type formats a new volume once: a later grow keeps the filesystem and its data', async () => {
    let r = await call('POST', '/v1/resource-groups', {name: 'fs', props: {'FileSystem/Type': 'ext4', 'FileSystem/MkfsParams': '-L cairnfs'},
      select_filter: {place_count: 1, layer_stack: ['STORAGE']}})
    assert.equal(r.status, 201)
    r = await call('POST', '/v1/resource-groups/fs/spawn', {resource_definition_name: 'formatted', volume_sizes: [16384]})
    assert.equal(r.status, 201, r.body.map((e) => e.message).join('; '))
    const dev = ((await getJson(`${base}/v1/resource-definitions/formatted/resources/${node}/volumes`)).body as {device_path: string}[])[0]?.device_path as string
    const blkid = async (): Promise<string> => (await exec('blkid', ['-p', '-o', 'export', dev])).stdout
    assert.match(await blkid(), /TYPE=ext4/)
    assert.match(await blkid(), /LABEL=cairnfs/, 'MkfsParams were passed to mkfs')
    await exec('e2label', [dev, 'kept'])
    r = await call('PUT', '/v1/resource-definitions/formatted/volume-definitions/0', {size_kib: 32768})
    assert.equal(r.status, 200)
    assert.match(await blkid(), /LABEL=kept/, 'growing did not format again')
    r = await call('PUT', '/v1/resource-groups/fs', {override_props: {'FileSystem/Type': 'zfs-on-a-floppy'}})
    r = await call('POST', '/v1/resource-groups/fs/spawn', {resource_definition_name: 'badfs', volume_sizes: [4096]})
    assert.match(r.body.map((e) => String((e as {details?: string}).details)).join(' '), /FileSystem\/Type 'zfs-on-a-floppy' is not supported/)
    // Nothing half-made stays behind to be taken for a good volume on the next sync.
    assert.equal(await exists(file('badfs')), false)
    await call('PUT', `/v1/nodes/${node}/reconnect`)
    const vol = ((await getJson(`${base}/v1/resource-definitions/badfs/resources/${node}/volumes`)).body as {state?: {disk_state?: string}}[])[0]
    assert.equal(vol?.state?.disk_state, 'Failed')
    for (const rd of ['formatted', 'badfs']) await call('DELETE', `/v1/resource-definitions/${rd}`)
    await call('DELETE', '/v1/resource-groups/fs')
  })

  test('a volume definition added to a deployed definition reaches every resource; a missing pool refuses it whole', async () => {
    let r = await call('POST', '/v1/resource-groups/life/spawn', {resource_definition_name: 'addvol', volume_sizes: [4096]})
    assert.equal(r.status, 201)
    r = await call('POST', '/v1/resource-definitions/addvol/volume-definitions', {volume_definition: {size_kib: 8192}})
    assert.equal(r.status, 200, r.body.map((e) => e.message).join('; '))
    assert.match(r.body.map((e) => e.message).join('\n'), new RegExp(`Added volume 1 to resource 'addvol' on '${node}'`))
    assert.equal((await stat(file('addvol', 1))).size, 8 * 1024 * 1024)
    r = await call('POST', '/v1/resource-definitions/addvol/volume-definitions', {volume_definition: {size_kib: 4096, props: {StorPoolName: 'nosuchpool'}}})
    assert.equal(first(r), code(Rc.FAIL_NOT_FOUND_STOR_POOL, 'create', 'vlmDfn'))
    assert.equal(((await getJson(`${base}/v1/resource-definitions/addvol/volume-definitions`)).body as unknown[]).length, 2, 'nothing half-created')
    assert.equal((await call('DELETE', '/v1/resource-definitions/addvol')).status, 200)
  })

  test('resource delete removes the volume first, then the record; deleting again warns', async () => {
    await call('POST', '/v1/resource-groups/life/spawn', {resource_definition_name: 'gone', volume_sizes: [4096]})
    assert.ok(await exists(file('gone')))
    let r = await call('DELETE', `/v1/resource-definitions/gone/resources/${node}`)
    assert.equal(r.status, 200)
    assert.equal(first(r), code(Rc.DELETED, 'delete', 'rsc'))
    assert.equal(await exists(file('gone')), false)
    assert.equal((await getJson(`${base}/v1/resource-definitions/gone/resources/${node}`)).status, 404)
    r = await call('DELETE', `/v1/resource-definitions/gone/resources/${node}`)
    assert.equal(r.status, 200)
    assert.equal(first(r), code(Rc.WARN_NOT_FOUND, 'delete', 'rsc'))
  })

  test('explicit create uses the StorPoolName chain and says when DfltStorPool is missing', async () => {
    let r = await call('POST', '/v1/resource-definitions', {resource_definition: {name: 'explicit', resource_group_name: 'life', layer_data: [{type: 'STORAGE'}]}})
    assert.equal(r.status, 201, JSON.stringify(r.body))
    r = await call('POST', '/v1/resource-definitions/explicit/volume-definitions', {volume_definition: {size_kib: 4096}})
    assert.equal(r.status, 200)
    r = await call('POST', '/v1/resource-definitions/explicit/resources', [{resource: {node_name: node, props: {StorPoolName: 'nosuchpool'}}}])
    assert.equal(r.status, 404)
    assert.equal(first(r), code(Rc.FAIL_NOT_FOUND_STOR_POOL, 'create', 'rsc'))
    r = await call('POST', '/v1/resource-definitions/explicit/resources', [{resource: {node_name: node}}])
    assert.equal(r.status, 201, JSON.stringify(r.body))
    assert.ok(await exists(file('explicit')), 'DfltStorPool is the fallback')
    r = await call('POST', `/v1/resource-definitions/explicit/resources/${node}/make-available`, {})
    assert.equal(r.status, 200)
    assert.equal(first(r), withContext(Rc.INFO_NOOP, 'create', 'rsc'))
  })

  test('refusals protect data: group with definitions, node with resources, pool with volumes', async () => {
    let r = await call('DELETE', '/v1/resource-groups/life')
    assert.equal(first(r), code(Rc.FAIL_EXISTS_RSC_DFN, 'delete', 'rscGrp'))
    assert.match(r.body[0]?.message ?? '', /Cannot delete resource group 'life' because it has existing resource definitions/)
    r = await call('DELETE', `/v1/nodes/${node}`)
    assert.equal(first(r), code(Rc.FAIL_IN_USE, 'delete', 'node'))
    r = await call('DELETE', `/v1/nodes/${node}/storage-pools/DfltStorPool`)
    assert.equal(first(r), code(Rc.FAIL_IN_USE, 'delete', 'storPool'))
    r = await call('DELETE', '/v1/resource-groups/DfltRscGrp')
    assert.equal(first(r), code(Rc.FAIL_IN_USE, 'delete', 'rscGrp'))
  })

  test('resource definition delete takes its resources and volumes along', async () => {
    for (const rd of ['grow', 'explicit', 'gone']) {
      const r = await call('DELETE', `/v1/resource-definitions/${rd}`)
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.equal(first(r), code(Rc.DELETED, 'delete', 'rscDfn'))
      assert.equal(await exists(file(rd)), false)
    }
    const {body} = await getJson(`${base}/v1/resource-definitions`)
    assert.deepEqual(body, [])
    const r = await call('DELETE', '/v1/resource-groups/life')
    assert.equal(first(r), code(Rc.DELETED, 'delete', 'rscGrp'))
  })

  test('net interfaces: add, modify, refuse deleting the last, delete', async () => {
    let r = await call('POST', `/v1/nodes/${node}/net-interfaces`, {name: 'backup', address: '127.0.0.9'})
    assert.equal(r.status, 201)
    r = await call('PUT', `/v1/nodes/${node}/net-interfaces/backup`, {address: '127.0.0.10'})
    assert.equal(r.status, 200)
    const ifs = (await getJson(`${base}/v1/nodes/${node}/net-interfaces`)).body as {name: string, address: string}[]
    assert.deepEqual(validateListOf('NetInterface', ifs), [])
    assert.deepEqual(ifs.map((i) => [i.name, i.address]).find(([n]) => n === 'backup'), ['backup', '127.0.0.10'])
    r = await call('DELETE', `/v1/nodes/${node}/net-interfaces/backup`)
    assert.equal(first(r), code(Rc.DELETED, 'delete', 'netIf'))
    r = await call('DELETE', `/v1/nodes/${node}/net-interfaces/default`)
    assert.equal(first(r), code(Rc.FAIL_IN_USE, 'delete', 'netIf'))
  })

  test('a satellite failure becomes an error report: its id in the reply, listed, shown, deleted', async () => {
    // A pool directory below a regular file: every create in it fails on the node.
    await writeFile(join(dir, 'not-a-dir'), 'x')
    let r = await call('POST', `/v1/nodes/${node}/storage-pools`, {storage_pool_name: 'broken', provider_kind: 'FILE_THIN',
      props: {'StorDriver/FileDir': join(dir, 'not-a-dir', 'pool')}})
    assert.equal(r.status, 201, r.body[0]?.message)
    // Placed by hand: the autoplacer would skip a pool that reports no capacity.
    r = await call('POST', '/v1/resource-definitions', {resource_definition: {name: 'doomed', layer_data: [{type: 'STORAGE'}]}})
    assert.equal(r.status, 201, r.body[0]?.message)
    await call('POST', '/v1/resource-definitions/doomed/volume-definitions', {volume_definition: {size_kib: 4096}})
    r = await call('POST', '/v1/resource-definitions/doomed/resources', [{resource: {node_name: node, props: {StorPoolName: 'broken'}}}])
    const failure = (r.body as {ret_code: bigint, message: string, error_report_ids?: string[]}[]).find((e) => /could not be created/.test(e.message))
    assert.ok(failure?.error_report_ids?.length, r.body.map((e) => e.message).join('; '))
    const id = failure.error_report_ids[0] as string
    assert.match(id, /^[0-9A-F]{8}-[0-9A-F]{5}-\d{6}$/)

    const list = await getJson(`${base}/v1/error-reports?node=${node}`)
    validateListOf('ErrorReport', list.body)
    const listed = (list.body as {filename: string, node_name: string, text?: string, exception_message: string}[]).find((x) => x.filename === `ErrorReport-${id}.log`)
    assert.ok(listed, list.text)
    assert.equal(listed.node_name, node)
    assert.equal(listed.text, undefined, 'the list leaves the text out unless withContent=true')
    assert.match(listed.exception_message, /doomed/)

    const shown = await getJson(`${base}/v1/error-reports/${id}`)
    assert.equal(shown.status, 200)
    assert.match((shown.body as {text: string}[])[0]?.text ?? '', new RegExp(`ERROR REPORT ${id}[\\s\\S]*Node: +${node}`))
    const before = ((await getJson(`${base}/v1/stats/error-reports`)).body as {count: number}).count
    assert.ok(before >= 1)

    // A repeated sync of the same failure keeps its one report.
    await call('PUT', `/v1/nodes/${node}/reconnect`)
    assert.equal(((await getJson(`${base}/v1/stats/error-reports`)).body as {count: number}).count, before)

    await call('DELETE', '/v1/resource-definitions/doomed')
    await call('DELETE', `/v1/nodes/${node}/storage-pools/broken`)
    r = await call('DELETE', `/v1/error-reports/${id}`)
    assert.equal(r.status, 200)
    assert.equal((await getJson(`${base}/v1/error-reports/${id}`)).status, 404)
    // The satellite still sends its recent errors with every sync: a deleted report stays deleted.
    await call('PUT', `/v1/nodes/${node}/reconnect`)
    assert.equal((await getJson(`${base}/v1/error-reports/${id}`)).status, 404)
    r = await call('PATCH', '/v1/error-reports', {nodes: [node]})
    assert.equal(r.status, 200)
    assert.deepEqual((await getJson(`${base}/v1/error-reports?node=${node}`)).body, [])
    assert.equal((await getJson(`${base}/v1/error-reports?since=yesterday`)).status, 400)
  })

  test('node lost forgets a dead node and its resources without asking it', async () => {
    let r = await call('POST', '/v1/nodes', {name: 'dead', type: 'satellite', net_interfaces: [{name: 'default', address: '127.0.0.1', satellite_port: 1}]})
    assert.equal(r.status, 201)
    r = await call('DELETE', '/v1/nodes/dead/lost')
    assert.equal(r.status, 200)
    assert.equal((await getJson(`${base}/v1/nodes/dead`)).status, 404)
    assert.equal(((await getJson(`${base}/v1/view/storage-pools?nodes=dead`)).body as unknown[]).length, 0)
  })
})
