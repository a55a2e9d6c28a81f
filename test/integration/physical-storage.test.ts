// `physical-storage list` and `create-device-pool` through a real `cairn combined`: the controller
// asks its own satellite, which runs the real lsblk of this host. This host has only a mounted
// /dev/vda, zram0 and loop devices, so no disk is offered, and every device pool request is
// refused before anything runs; nothing may appear in the database either.
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'
import {isError, Rc, type ApiCallRc} from '../../src/common/api-call-rc.ts'
import {validateListOf} from '../support/openapi.ts'
import {api, cleanup, startCombined, waitFor, type Combined} from '../support/cluster.ts'

const NODE = 'phys-node'

describe('physical storage (real combined daemon; this host has no unused disk)', () => {
  let c: Combined
  let poolsBefore: string

  const pools = async (): Promise<string> => {
    const sp = await api(c.base, 'GET', '/v1/view/storage-pools')
    const spd = await api(c.base, 'GET', '/v1/storage-pool-definitions')
    return JSON.stringify([sp.body, spd.body].map((l) => (l as {storage_pool_name: string, node_name?: string}[])
      .map((p) => `${p.node_name ?? ''}/${p.storage_pool_name}`).sort()))
  }

  /** The reply is an error list whose first entry is `code`, and the pools are as before. */
  async function refused(r: {status: number, body: unknown, text: string}, code: bigint, status: number, message?: RegExp): Promise<ApiCallRc> {
    assert.equal(r.status, status, r.text)
    const first = (r.body as ApiCallRc[])[0]
    assert.ok(first && isError(first.ret_code), r.text)
    assert.equal(BigInt.asUintN(64, BigInt(first.ret_code)) & 0x7FFFn, BigInt.asUintN(64, code) & 0x7FFFn, r.text)
    if (message) assert.match(first.message, message)
    assert.equal(await pools(), poolsBefore, 'no storage pool (definition) was created')
    return first
  }

  before(async () => {
    c = await startCombined(NODE)
    await waitFor('node online', async () => {
      const nodes = (await api(c.base, 'GET', '/v1/nodes')).body as {name: string, connection_status: string}[]
      return nodes.some((n) => n.name === NODE && n.connection_status === 'ONLINE') ? true : undefined
    })
    // A satellite that never answers: its node stays OFFLINE.
    const ghost = await api(c.base, 'POST', '/v1/nodes', {name: 'ghost', type: 'satellite',
      net_interfaces: [{name: 'default', address: '127.0.0.1', satellite_port: 1}]})
    assert.equal(ghost.status, 201, ghost.text)
    poolsBefore = await pools()
  })

  after(async () => {
    await c?.daemon.stop('SIGKILL')
    if (c) await cleanup(c.dir)
  })

  test('GET /v1/physical-storage: 200 with an empty list (offline nodes skipped), as the contract describes it', async () => {
    const r = await api(c.base, 'GET', '/v1/physical-storage')
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.body, [])
    assert.deepEqual(validateListOf('PhysicalStorage', r.body), [])
    const paged = await api(c.base, 'GET', '/v1/physical-storage?limit=10&offset=0')
    assert.deepEqual(paged.body, [])
  })

  test('GET /v1/physical-storage/{node}: 200 with an empty list for this host', async () => {
    const r = await api(c.base, 'GET', `/v1/physical-storage/${NODE}`)
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.body, [])
    assert.deepEqual(validateListOf('PhysicalStorageNode', r.body), [])
  })

  test('GET /v1/physical-storage/{node}: an unknown node is 404, an offline one an error naming its state', async () => {
    await refused(await api(c.base, 'GET', '/v1/physical-storage/nosuchnode'), Rc.FAIL_NOT_FOUND_NODE, 404, /^Node 'nosuchnode' not found\.$/)
    await refused(await api(c.base, 'GET', '/v1/physical-storage/ghost'), Rc.FAIL_UNKNOWN_ERROR, 500,
      /^The physical storage of node 'ghost' could not be listed: Satellite 'ghost' is OFFLINE/)
  })

  test('POST with bad input: refused with the field named, nothing created', async () => {
    const post = (body: unknown): ReturnType<typeof api> => api(c.base, 'POST', `/v1/physical-storage/${NODE}`, body)
    await refused(await post({provider_kind: 'LVM', device_paths: ['/dev/sdb'], bogus: 1}), Rc.API_CALL_PARSE_ERROR, 400)
    await refused(await post({device_paths: ['/dev/sdb']}), Rc.FAIL_INVLD_PROVIDER, 500, /'provider_kind' is required/)
    await refused(await post({provider_kind: 'FILE_THIN', device_paths: ['/dev/sdb']}), Rc.FAIL_INVLD_PROVIDER, 500, /cannot be of provider kind FILE_THIN/)
    await refused(await post({provider_kind: 'LVM', device_paths: []}), Rc.FAIL_INVLD_REQUEST, 500, /'device_paths' is empty/)
    await refused(await post({provider_kind: 'LVM', device_paths: ['vda']}), Rc.FAIL_INVLD_REQUEST, 500, /'vda' in 'device_paths' is not an absolute path/)
    await refused(await post({provider_kind: 'ZFS', device_paths: ['/dev/sdb'], pool_name: '-f'}), Rc.FAIL_INVLD_STOR_POOL_NAME, 500, /Invalid pool name '-f'/)
    await refused(await post({provider_kind: 'LVM', device_paths: ['/dev/sdb'], with_storage_pool: {name: 'x'}}), Rc.FAIL_INVLD_STOR_POOL_NAME, 500,
      /Invalid storage pool name 'x'/)
    await refused(await post({provider_kind: 'LVM', device_paths: ['/dev/sdb'], with_storage_pool: {name: 'DfltStorPool'}}), Rc.FAIL_EXISTS_STOR_POOL, 500,
      /Storage pool 'DfltStorPool' already exists/)
    await refused(await api(c.base, 'POST', '/v1/physical-storage/nosuchnode', {provider_kind: 'LVM', device_paths: ['/dev/sdb']}), Rc.FAIL_NOT_FOUND_NODE, 404)
  })

  test('POST with devices that are not unused disks: the satellite refuses, naming each device and why; nothing created', async () => {
    const first = await refused(await api(c.base, 'POST', `/v1/physical-storage/${NODE}`, {provider_kind: 'LVM_THIN',
      device_paths: ['/dev/vda', '/dev/zram0', '/dev/nosuchdisk'], pool_name: 'fast', with_storage_pool: {name: 'physpool'}}), Rc.FAIL_INVLD_REQUEST, 500)
    assert.equal(first.message, `Node '${NODE}' refused to create the device pool. Refused: ` +
      "Device '/dev/vda' is not an unused disk: it is mounted at /; " +
      "Device '/dev/zram0' is not an unused disk: it is a zram (compressed RAM) device; " +
      "Device '/dev/nosuchdisk' does not exist on this node")
    assert.equal(first.details, 'Nothing was changed on the node.')
    assert.ok(first.cause && first.correction)
  })

  test('POST to an offline node: a clear error, nothing created', async () => {
    await refused(await api(c.base, 'POST', '/v1/physical-storage/ghost', {provider_kind: 'ZFS', device_paths: ['/dev/sdb']}), Rc.FAIL_UNKNOWN_ERROR, 500,
      /^Node 'ghost' could not be asked to create the device pool: Satellite 'ghost' is OFFLINE/)
  })

  test('the node stays ONLINE after all of this (errors travel in 200 replies, not as satellite failures)', async () => {
    const nodes = (await api(c.base, 'GET', '/v1/nodes')).body as {name: string, connection_status: string}[]
    assert.equal(nodes.find((n) => n.name === NODE)?.connection_status, 'ONLINE')
  })
})
