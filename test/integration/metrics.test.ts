// GET /metrics on a live combined node, read back with an independent Prometheus text-format
// parser: every family parses, values match the REST views, and the switches drop families.
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'
import {cleanup, startCombined, waitFor, type Combined} from '../support/cluster.ts'
import {replay} from '../support/rest-replay.ts'

import {parsePrometheus, type PromFamily} from '../support/prometheus-parser.ts'

/** Samples of a family as [labels, value] pairs. */
const samples = (f: PromFamily | undefined, name = f?.name): [Record<string, string>, number][] =>
  (f?.samples ?? []).filter((s) => s.name === name).map((s) => [s.labels, s.value])

describe('/metrics', () => {
  let c: Combined
  const {ok} = replay(() => c.base)
  const scrape = async (query = ''): Promise<Map<string, PromFamily>> => {
    const res = await fetch(`${c.base}/metrics${query}`)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
    return parsePrometheus(await res.text())
  }

  before(async () => {
    c = await startCombined('metrics1')
    await waitFor('online', async () => (((await ok('GET', '/v1/nodes/metrics1', 200)) as {connection_status: string}).connection_status === 'ONLINE' ? true : undefined))
    await ok('POST', '/v1/resource-groups', 201, {name: 'mgrp', select_filter: {place_count: 1, layer_stack: ['STORAGE']}})
    await ok('POST', '/v1/resource-groups/mgrp/spawn', 201, {resource_definition_name: 'mvol', volume_sizes: [4096]})
  })
  after(async () => {
    await c?.daemon.stop('SIGKILL')
    if (c) await cleanup(c.dir)
  })

  test('cluster families agree with the REST views', async () => {
    const m = await scrape()
    assert.deepEqual(samples(m.get('linstor_info')).map(([, v]) => v), [1])
    assert.deepEqual(samples(m.get('linstor_node_state')), [[{node: 'metrics1', nodetype: 'COMBINED'}, 2]])
    assert.deepEqual(samples(m.get('linstor_resource_definition_count')), [[{}, 1]])
    assert.deepEqual(samples(m.get('linstor_resource_state')), [[{node: 'metrics1', resource: 'mvol'}, 1]])
    assert.deepEqual(samples(m.get('linstor_volume_state')), [[{node: 'metrics1', resource: 'mvol', volume: '0', disk_state: 'Created'}, 1]])
    const pools = (await ok('GET', '/v1/view/storage-pools', 200)) as {storage_pool_name: string, free_capacity?: number, total_capacity?: number}[]
    const dflt = pools.find((p) => p.storage_pool_name === 'DfltStorPool')
    const total = samples(m.get('linstor_storage_pool_capacity_total_bytes')).find(([l]) => l.storage_pool === 'DfltStorPool')
    assert.deepEqual(total, [{node: 'metrics1', storage_pool: 'DfltStorPool', driver: 'FILE_THIN'}, Number(dflt?.total_capacity) * 1024])
    const free = samples(m.get('linstor_storage_pool_capacity_free_bytes')).find(([l]) => l.storage_pool === 'DfltStorPool')
    assert.ok((free?.[1] ?? 0) > 0)
    assert.equal(m.get('linstor_error_reports_count')?.type, 'gauge')
  })

  test('REST latencies are histograms by route pattern; scrapes are counted', async () => {
    const first = await scrape()
    const m = await scrape()
    const h = m.get('linstor_restapi_request_duration_seconds')
    assert.equal(h?.type, 'histogram')
    const spawn = {method: 'POST', path: '/v1/resource-groups/:rg/spawn'}
    assert.deepEqual(samples(h, 'linstor_restapi_request_duration_seconds_count').filter(([l]) => l.path === spawn.path), [[spawn, 1]])
    assert.deepEqual(samples(h, 'linstor_restapi_request_duration_seconds_bucket').find(([l]) => l.path === spawn.path && l.le === '+Inf')?.[1], 1)
    assert.ok(!h?.samples.some((s) => s.labels.path?.includes('mvol')), 'no series per object name')
    const count = (x: Map<string, PromFamily>): number => samples(x.get('linstor_scrape_requests_count'), 'linstor_scrape_requests_count_total')[0]?.[1] ?? NaN
    assert.equal(count(m), count(first) + 1)
  })

  test('resource=false, storage_pools=false and error_reports=false drop their families', async () => {
    const m = await scrape('?resource=false&storage_pools=False&error_reports=0')
    for (const gone of ['linstor_resource_state', 'linstor_volume_state', 'linstor_storage_pool_capacity_free_bytes', 'linstor_error_reports_count']) {
      assert.equal(m.has(gone), false, gone)
    }
    assert.ok(m.has('linstor_node_state'))
  })
})
