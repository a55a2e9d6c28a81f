// Every GET the API serves, with objects of every kind present, is checked against the OpenAPI
// contract; so are the error lists of missing objects (404) and the mutation replies.
import assert from 'node:assert/strict'
import {after, before, test} from 'node:test'
import {validateAgainst, validateListOf} from '../support/openapi.ts'
import {api, cleanup, getJson, startCombined, type Daemon} from '../support/cluster.ts'

let dir: string
let daemon: Daemon
let base: string
const node = 'contract-node'
const replies: unknown[] = []

async function call(method: string, path: string, body?: unknown): Promise<void> {
  const r = await api(base, method, path, body)
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`)
  replies.push(r.body)
}

before(async () => {
  ;({dir, base, daemon} = await startCombined(node))
  await call('POST', '/v1/resource-groups', {name: 'cg', description: 'contract', select_filter: {place_count: 1, layer_stack: ['STORAGE'], storage_pool: 'DfltStorPool'}})
  await call('POST', '/v1/resource-groups/cg/volume-groups', {volume_number: 0})
  await call('POST', '/v1/resource-groups/cg/spawn', {resource_definition_name: 'crd', volume_sizes: [4096]})
  await call('POST', '/v1/nodes', {name: 'other', type: 'satellite', net_interfaces: [{name: 'default', address: '127.0.0.1', satellite_port: 1}]})
  await call('PUT', `/v1/node-connections/${node}/other`, {override_props: {'DrbdOptions/Net/ping-timeout': '20'}})
  await call('PUT', '/v1/key-value-store/ckv', {override_props: {k: 'v'}})
  await call('POST', '/v1/controller/properties', {override_props: {'Aux/site': 'lab'}})
})

after(async () => {
  await daemon?.stop('SIGKILL')
  await cleanup(dir)
})

const lists: [string, string][] = [
  ['/v1/nodes', 'Node'], [`/v1/nodes/${node}/net-interfaces`, 'NetInterface'], [`/v1/nodes/${node}/storage-pools`, 'StoragePool'],
  ['/v1/view/storage-pools', 'StoragePool'], ['/v1/storage-pool-definitions', 'StoragePoolDefinition'],
  ['/v1/resource-groups', 'ResourceGroup'], ['/v1/resource-groups/cg/volume-groups', 'VolumeGroup'],
  ['/v1/resource-definitions', 'ResourceDefinition'], ['/v1/resource-definitions?with_volume_definitions=true', 'ResourceDefinition'],
  ['/v1/resource-definitions/crd/volume-definitions', 'VolumeDefinition'], ['/v1/resource-definitions/crd/resources', 'Resource'],
  [`/v1/resource-definitions/crd/resources/${node}/volumes`, 'Volume'], ['/v1/view/resources', 'ResourceWithVolumes'],
  ['/v1/view/snapshots', 'Snapshot'], ['/v1/resource-definitions/crd/snapshots', 'Snapshot'], ['/v1/key-value-store', 'KeyValueStore'],
  ['/v1/key-value-store/ckv', 'KeyValueStore'], ['/v1/node-connections', 'NodeConnection'],
  ['/v1/resource-definitions/crd/resource-connections', 'ResourceConnection'],
]
const singles: [string, string][] = [
  ['/v1/controller/version', 'ControllerVersion'], [`/v1/nodes/${node}`, 'Node'], [`/v1/nodes/${node}/storage-pools/DfltStorPool`, 'StoragePool'],
  ['/v1/storage-pool-definitions/DfltStorPool', 'StoragePoolDefinition'], ['/v1/resource-groups/cg', 'ResourceGroup'],
  ['/v1/resource-groups/cg/volume-groups/0', 'VolumeGroup'], ['/v1/resource-definitions/crd', 'ResourceDefinition'],
  ['/v1/resource-definitions/crd/volume-definitions/0', 'VolumeDefinition'], [`/v1/resource-definitions/crd/resources/${node}`, 'Resource'],
  [`/v1/resource-definitions/crd/resources/${node}/volumes/0`, 'Volume'], ['/v1/controller/properties', 'Properties'],
]
const missing = ['/v1/nodes/nope', '/v1/nodes/nope/storage-pools/x', '/v1/resource-groups/nope', '/v1/resource-groups/cg/volume-groups/9',
  '/v1/resource-definitions/nope', '/v1/resource-definitions/crd/volume-definitions/9', `/v1/resource-definitions/crd/resources/other`,
  `/v1/resource-definitions/crd/resources/${node}/volumes/9`, '/v1/resource-definitions/crd/snapshots/s1', '/v1/key-value-store/nope',
  '/v1/storage-pool-definitions/nope']

test('lists match the contract and are not empty', async () => {
  for (const [path, schema] of lists) {
    const {status, body} = await getJson(`${base}${path}`)
    assert.equal(status, 200, path)
    assert.ok(Array.isArray(body), path)
    assert.deepEqual(validateListOf(schema, body), [], path)
    // No snapshot can exist yet, and one resource has no connection pairs.
    if (!/snapshots|resource-connections/.test(path)) assert.ok((body as unknown[]).length > 0, `${path} lists the objects made in setup`)
  }
})

test('single objects match the contract', async () => {
  for (const [path, schema] of singles) {
    const {status, body} = await getJson(`${base}${path}`)
    assert.equal(status, 200, path)
    assert.deepEqual(validateAgainst(schema, body), [], path)
  }
})

test('a missing object is 404 with an ApiCallRc list', async () => {
  for (const path of missing) {
    const {status, body} = await getJson(`${base}${path}`)
    assert.equal(status, 404, path)
    assert.deepEqual(validateListOf('ApiCallRc', body), [], path)
  }
})

test('mutation replies are ApiCallRc lists', () => {
  for (const r of replies) assert.deepEqual(validateListOf('ApiCallRc', r), [])
})

test('size queries match the contract', async () => {
  const res = await fetch(`${base}/v1/resource-groups/cg/query-size-info`, {method: 'POST', body: '{}'})
  assert.deepEqual(validateAgainst('QuerySizeInfoResponse', JSON.parse(await res.text())), [])
  const {body} = await getJson(`${base}/v1/resource-groups/cg/query-max-volume-size`)
  assert.deepEqual(validateAgainst('MaxVolumeSizes', body), [])
  const sizes = body as {candidates: {storage_pool: string, max_volume_size_kib: number, node_names: string[]}[]}
  assert.ok(sizes.candidates.length > 0 && sizes.candidates.every((c) => c.max_volume_size_kib > 0 && c.node_names.length > 0), JSON.stringify(body))
  const opt = await fetch(`${base}/v1/query-max-volume-size`, {method: 'OPTIONS', headers: {'content-type': 'application/json'}, body: '{"place_count": 1}'})
  assert.equal(opt.status, 200)
  assert.deepEqual(validateAgainst('MaxVolumeSizes', JSON.parse(await opt.text())), [])
})
