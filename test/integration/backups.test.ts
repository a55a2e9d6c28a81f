// Backups of a FILE_THIN volume to a real S3 server (s3rver in its own process) through a live
// `cairn combined`: a full backup, more data, an incremental one; the resource deleted; each
// backup restored into a new resource with exactly the data it had; a tampered object refused
// on restore by its checksum, with an error report; deletes by id refusing to orphan incrementals.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {execFile} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {after, before, describe, test} from 'node:test'
import {promisify} from 'node:util'
import {createS3Client} from '../../src/api/s3-client.ts'
import type {Backup, BackupInfo, BackupList} from '../../src/api/wire.ts'
import {api, cleanup, startCombined, waitFor, type Combined} from '../support/cluster.ts'
import {validateAgainst} from '../support/openapi.ts'
import {startS3Server, type LocalS3} from '../support/s3-server.ts'

const exec = promisify(execFile)
const SIZE = 4 * 1024 * 1024
const node = 'backnode'

describe('backups to S3', () => {
  let c: Combined
  let s3: LocalS3
  const call = (method: string, path: string, body?: unknown): ReturnType<typeof api> => api(c.base, method, path, body)
  const device = async (rd: string): Promise<string> => {
    const vols = (await call('GET', `/v1/resource-definitions/${rd}/resources/${node}/volumes`)).body as {device_path?: string}[]
    return vols[0]?.device_path as string
  }
  const sha = async (rd: string): Promise<string> => createHash('sha256').update((await readFile(await device(rd))).subarray(0, SIZE)).digest('hex')
  const write = (dev: string, pattern: string, offsetMiB: number): Promise<unknown> =>
    exec('sh', ['-c', 'yes "$1" | head -c 1048576 | dd of="$2" bs=64k seek="$3" oflag=direct status=none', 'sh', pattern, dev, String(offsetMiB * 16)])
  const list = async (rsc?: string): Promise<BackupList> => {
    const r = await call('GET', `/v1/remotes/bak/backups${rsc ? `?rsc_name=${rsc}` : ''}`)
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(validateAgainst('BackupList', r.body), [])
    return r.body as BackupList
  }
  const backup = async (body: Record<string, unknown>): Promise<Backup> => {
    const r = await call('POST', '/v1/remotes/bak/backups', body)
    assert.equal(r.status, 201, r.text)
    const id = (r.body as {obj_refs?: {BackupId?: string}}[])[0]?.obj_refs?.BackupId as string
    return waitFor(`backup ${id}`, async () => {
      const b = (await list()).linstor?.[id]
      return b?.success ? b : undefined
    }, 30_000)
  }
  const restored = (rd: string): Promise<string> => waitFor(`restored ${rd}`, async () => {
    const vols = (await call('GET', `/v1/resource-definitions/${rd}/resources/${node}/volumes`)).body as {device_path?: string}[]
    return Array.isArray(vols) && vols[0]?.device_path ? vols[0].device_path : undefined
  }, 30_000)

  before(async () => {
    s3 = await startS3Server({buckets: ['backups']})
    c = await startCombined(node)
    assert.equal((await call('POST', '/v1/encryption/passphrase', {new_passphrase: 'backup-test-pass'})).status, 201)
    assert.equal((await call('POST', '/v1/remotes/s3', {remote_name: 'bak', endpoint: s3.endpoint, bucket: 'backups', region: 'us-east-1',
      access_key: s3.accessKey, secret_key: s3.secretKey, use_path_style: true})).status, 201)
    assert.equal((await call('POST', '/v1/resource-groups', {name: 'bg', select_filter: {place_count: 1, layer_stack: ['STORAGE']}})).status, 201)
    assert.equal((await call('POST', '/v1/resource-groups/bg/spawn', {resource_definition_name: 'data', volume_sizes: [SIZE / 1024]})).status, 201)
    await restored('data')
  })

  after(async () => {
    await c?.daemon.stop('SIGKILL')
    if (c) await cleanup(c.dir)
    await s3?.stop()
  })

  let full: Backup
  let inc: Backup
  const sums: Record<string, string> = {}

  test('a full backup, then an incremental one based on it that carries only the change', async () => {
    await write(await device('data'), 'first-pattern', 0)
    sums.full = await sha('data')
    full = await backup({rsc_name: 'data', incremental: true})
    assert.match(full.id, /^data_back_\d{8}_\d{6}$/)
    assert.equal(full.based_on_id, undefined, 'nothing to base the first one on: full')
    assert.equal(full.origin_node, node)
    await write(await device('data'), 'second-pattern', 2)
    sums.inc = await sha('data')
    assert.notEqual(sums.inc, sums.full)
    // One second later at least: the ids are timestamps.
    await new Promise((r) => setTimeout(r, 1100))
    inc = await backup({rsc_name: 'data', incremental: true})
    assert.equal(inc.based_on_id, full.id)
    const keys: string[] = []
    for await (const o of createS3Client({...s3, bucket: 'backups', region: 'us-east-1', usePathStyle: true}).listAll()) keys.push(`${o.key}:${o.size}`)
    const sizeOf = (id: string): number => Number(keys.find((k) => k.startsWith(`data_00000_${id.slice('data_'.length)}:`))?.split(':')[1])
    assert.ok(sizeOf(full.id) > 1024 * 1024 && sizeOf(full.id) < 1.1 * 1024 * 1024, `full stream holds the 1 MiB written, not 4 MiB of zeros: ${keys.join(' ')}`)
    assert.ok(sizeOf(inc.id) > 1024 * 1024 && sizeOf(inc.id) < 1.1 * 1024 * 1024, 'the incremental holds only the second MiB written')
    const listed = await list('data')
    assert.deepEqual(Object.keys(listed.linstor ?? {}).sort(), [full.id, inc.id].sort())
    assert.equal(listed.other, undefined)
  })

  test('info: the chain, download and allocation sizes per target pool', async () => {
    const r = await call('POST', '/v1/remotes/bak/backups/info', {last_backup: inc.id, node_name: node})
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(validateAgainst('BackupInfo', r.body), [])
    const info = r.body as BackupInfo
    assert.deepEqual([info.full, info.latest, info.count, Number(info.alloc_size_kib)], [full.id, inc.id, 2, SIZE / 1024])
    assert.ok(Number(info.dl_size_kib) > 2048 && Number(info.dl_size_kib) < 2300)
    assert.equal(info.storpools[0]?.name, 'DfltStorPool')
  })

  test('the resource deleted, each backup restores into a new resource with exactly its data', async () => {
    let r = await call('DELETE', '/v1/resource-definitions/data')
    assert.match(r.text, /snapshot/i, 'a definition with snapshots stays')
    for (const b of [full, inc]) assert.equal((await call('DELETE', `/v1/resource-definitions/data/snapshots/${b.origin_snap}`)).status, 200)
    await waitFor('snapshots gone', async () => (((await call('GET', '/v1/resource-definitions/data/snapshots')).body as unknown[]).length === 0 ? true : undefined))
    assert.equal((await call('DELETE', '/v1/resource-definitions/data')).status, 200)
    await waitFor('data gone', async () => ((await call('GET', '/v1/resource-definitions/data')).status === 404 ? true : undefined), 30_000)
    r = await call('POST', '/v1/remotes/bak/backups/restore', {last_backup: full.id, target_rsc_name: 'fromfull', node_name: node})
    assert.equal(r.status, 201, r.text)
    r = await call('POST', '/v1/remotes/bak/backups/restore', {src_rsc_name: 'data', target_rsc_name: 'fromlatest', node_name: node})
    assert.equal(r.status, 201, r.text)
    await restored('fromfull')
    await restored('fromlatest')
    assert.equal(await sha('fromfull'), sums.full)
    assert.equal(await sha('fromlatest'), sums.inc)
    const snaps = (await call('GET', '/v1/resource-definitions/fromlatest/snapshots')).body as {name: string, flags: string[]}[]
    assert.deepEqual(snaps.map((s) => [s.name, s.flags]), [[inc.origin_snap, ['SUCCESSFUL']]])
  })

  test('download only: the snapshot arrives, no resource is made', async () => {
    const r = await call('POST', '/v1/remotes/bak/backups/restore', {last_backup: inc.id, target_rsc_name: 'dlonly', node_name: node, download_only: true})
    assert.equal(r.status, 201, r.text)
    await waitFor('snapshot downloaded', async () => {
      const s = (await call('GET', `/v1/resource-definitions/dlonly/snapshots/${inc.origin_snap}`)).body as {flags?: string[]}
      return s.flags?.includes('SUCCESSFUL') ? true : undefined
    }, 30_000)
    assert.deepEqual((await call('GET', '/v1/resource-definitions/dlonly/resources')).body, [])
  })

  test('a tampered backup object is refused on restore by its checksum; nothing is created; an error report says why', async () => {
    const client = createS3Client({...s3, bucket: 'backups', region: 'us-east-1', usePathStyle: true})
    const key = `data_00000_${inc.origin_snap}`
    const obj = await client.getObject(key)
    const chunks: Buffer[] = []
    for await (const ch of obj.body) chunks.push(ch as Buffer)
    const data = Buffer.concat(chunks)
    data[5000] = (data[5000] as number) ^ 0x55
    await client.putObject(key, data)
    const r = await call('POST', '/v1/remotes/bak/backups/restore', {last_backup: inc.id, target_rsc_name: 'tampered', node_name: node})
    assert.equal(r.status, 201, r.text)
    const report = await waitFor('an error report', async () => {
      const reports = (await call('GET', '/v1/error-reports')).body as {module?: string, exception_message?: string}[]
      return reports.find((x) => /tampered/.test(x.exception_message ?? '') && /checksum|corrupt/.test(x.exception_message ?? ''))
    }, 30_000)
    assert.ok(report)
    await waitFor('no resource', async () => (((await call('GET', '/v1/resource-definitions/tampered/resources')).body as unknown[]).length === 0 ? true : undefined))
    const snaps = await waitFor('the partial snapshot dropped', async () => {
      const s = (await call('GET', '/v1/resource-definitions/tampered/snapshots')).body as unknown[]
      return s.length === 0 ? s : undefined
    }, 30_000)
    assert.deepEqual(snaps, [])
  })

  test('delete: refused to orphan an incremental without cascading; dry run lists; cascade deletes the chain', async () => {
    let r = await call('DELETE', `/v1/remotes/bak/backups?id=${full.id}`)
    assert.equal(r.status, 500, r.text)
    assert.match(r.text, /is the base of/)
    r = await call('DELETE', `/v1/remotes/bak/backups?id=${full.id}&cascading=true&dryrun=true`)
    assert.equal(r.status, 200, r.text)
    assert.equal(Object.keys((await list()).linstor ?? {}).length, 2, 'a dry run deletes nothing')
    r = await call('DELETE', `/v1/remotes/bak/backups?id=${full.id}&cascading=true`)
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(await list(), {}, 'empty fields are omitted')
  })

  test('BackupShipping/MaxConcurrentBackupsPerNode: 0 ships nothing; 1 queues the second backup until the first is done', async () => {
    for (const rd of ['q1', 'q2']) assert.equal((await call('POST', '/v1/resource-groups/bg/spawn', {resource_definition_name: rd, volume_sizes: [1024]})).status, 201)
    await restored('q1')
    await restored('q2')
    const slots = (v: string): ReturnType<typeof api> => call('POST', '/v1/controller/properties', {override_props: {'BackupShipping/MaxConcurrentBackupsPerNode': v}})
    assert.equal((await slots('0')).status, 201)
    const refused = await call('POST', '/v1/remotes/bak/backups', {rsc_name: 'q1'})
    assert.equal(refused.status, 500, refused.text)
    assert.match(refused.text, /may ship backups/)
    assert.equal((await slots('1')).status, 201)
    const ids: string[] = []
    for (const rd of ['q1', 'q2']) {
      const r = await call('POST', '/v1/remotes/bak/backups', {rsc_name: rd})
      assert.equal(r.status, 201, r.text)
      ids.push((r.body as {obj_refs?: {BackupId?: string}}[])[0]?.obj_refs?.BackupId as string)
    }
    const queue = await call('GET', '/v1/view/backup/queue')
    assert.deepEqual(validateAgainst('BackupQueues', queue.body), [])
    assert.deepEqual((queue.body as {node_queues?: {node_name: string, queue: {resource_name: string}[]}[]}).node_queues?.map((q) => [q.node_name, q.queue.map((x) => x.resource_name)]),
      [[node, ['q2']]])
    await waitFor('both backups', async () => {
      const l = (await list()).linstor ?? {}
      return ids.every((id) => l[id]?.success) ? true : undefined
    }, 30_000)
    assert.deepEqual((await call('GET', '/v1/view/backup/queue')).body, {})
  })
})
