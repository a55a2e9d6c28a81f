// Backup schedules driving real backups: a live `cairn combined` with a FILE_THIN volume and a
// real S3 server. The pruning test's crons use the seconds field (a Cairn extension) so that it
// takes seconds, not minutes; a plain one-minute cron runs alongside the slow retry test. The
// schedule makes full and incremental backups and prunes to its keep counts; a schedule whose
// remote fails files error reports and retries once after a minute, as its policy says.
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'
import type {Backup, BackupList} from '../../src/api/wire.ts'
import {api, cleanup, startCombined, waitFor, type Combined} from '../support/cluster.ts'
import {startS3Server, type LocalS3} from '../support/s3-server.ts'

const node = 'schednode'

describe('scheduled backups to S3', () => {
  let c: Combined
  let s3: LocalS3
  let dead: LocalS3
  const call = (method: string, path: string, body?: unknown): ReturnType<typeof api> => api(c.base, method, path, body)
  const ok = async (method: string, path: string, body?: unknown): Promise<void> => {
    const r = await call(method, path, body)
    assert.ok(r.status === 200 || r.status === 201, `${method} ${path}: ${r.text}`)
  }
  const backups = async (remote: string): Promise<Backup[]> => Object.values(((await call('GET', `/v1/remotes/${remote}/backups`)).body as BackupList).linstor ?? {})
  const remote = (name: string, s: LocalS3): Promise<void> => ok('POST', '/v1/remotes/s3', {remote_name: name, endpoint: s.endpoint, bucket: 'backups',
    region: 'us-east-1', access_key: s.accessKey, secret_key: s.secretKey, use_path_style: true})

  before(async () => {
    s3 = await startS3Server({buckets: ['backups']})
    dead = await startS3Server({buckets: ['backups']})
    c = await startCombined(node)
    await ok('POST', '/v1/encryption/passphrase', {new_passphrase: 'sched-test-pass'})
    await remote('bak', s3)
    await remote('dead', dead)
    await ok('POST', '/v1/resource-groups', {name: 'sg', select_filter: {place_count: 1, layer_stack: ['STORAGE']}})
    for (const rd of ['data', 'other']) await ok('POST', '/v1/resource-groups/sg/spawn', {resource_definition_name: rd, volume_sizes: [2048]})
  })

  after(async () => {
    await c?.daemon.stop('SIGKILL')
    if (c) await cleanup(c.dir)
    await s3?.stop()
    await dead?.stop()
  })

  test('full and incremental backups on their crons; pruned to keep_remote full chains and keep_local snapshots', async () => {
    await ok('POST', '/v1/schedules', {schedule_name: 'fast', full_cron: '*/12 * * * * *', inc_cron: '*/4 * * * * *', keep_local: 2, keep_remote: 1})
    await ok('PUT', '/v1/remotes/bak/backups/schedule/fast/enable', {rsc_name: 'data'})
    // Two full backups at least: the first full chain must then have been pruned at the remote.
    const seen = new Set<string>()
    await waitFor('two full backups and an incremental', async () => {
      for (const b of await backups('bak')) if (b.success) seen.add(`${b.based_on_id ? 'inc' : 'full'}:${b.id}`)
      const fulls = [...seen].filter((x) => x.startsWith('full:'))
      return fulls.length >= 2 && [...seen].some((x) => x.startsWith('inc:')) ? true : undefined
    }, 60_000)
    await ok('PUT', '/v1/remotes/bak/backups/schedule/fast/disable', {rsc_name: 'data'})
    const view = (await call('GET', '/v1/view/schedules-by-resource/data')).body as unknown
    assert.ok(JSON.stringify(view).includes('fast'))
    // Let a backup still running end and be pruned after.
    await new Promise((r) => setTimeout(r, 5000))
    const left = (await backups('bak')).filter((b) => b.success)
    const fulls = left.filter((b) => !b.based_on_id)
    assert.equal(fulls.length, 1, `keep_remote 1: ${left.map((b) => b.id).join(' ')}`)
    assert.ok(left.every((b) => b.restorable), 'every kept backup has its whole chain')
    assert.ok(left.filter((b) => b.based_on_id).every((b) => left.some((x) => x.id === b.based_on_id)))
    const snaps = (await call('GET', '/v1/resource-definitions/data/snapshots')).body as {name: string, flags: string[]}[]
    const live = snaps.filter((s) => !s.flags.includes('DELETE'))
    const fullSnaps = live.filter((s) => [...seen].some((x) => x.startsWith('full:') && x.endsWith(`_${s.name}`)))
    assert.ok(fullSnaps.length <= 2, `keep_local 2: ${live.map((s) => s.name).join(' ')}`)
    assert.equal((await call('GET', '/v1/remotes/bak/backups?rsc_name=other')).text.includes('other_back'), false, 'a resource without the schedule has no backups')
  })

  test('a failing remote: an error report per attempt, one retry a minute later (RETRY, max_retries 1), then nothing until the next slot; meanwhile a plain one-minute cron backs up', async () => {
    // LINSTOR's five fields, every minute: it fires while this test waits for the retry.
    await ok('POST', '/v1/schedules', {schedule_name: 'minutely', full_cron: '* * * * *', keep_remote: 5})
    const before = new Set((await backups('bak')).map((b) => b.id))
    await ok('PUT', '/v1/remotes/bak/backups/schedule/minutely/enable', {rsc_name: 'other'})
    await dead.stop()
    const at = new Date(Date.now() + 4000)
    await ok('POST', '/v1/schedules', {schedule_name: 'once', full_cron: `${at.getSeconds()} ${at.getMinutes()} ${at.getHours()} * * *`, on_failure: 'RETRY', max_retries: 1})
    await ok('PUT', '/v1/remotes/dead/backups/schedule/once/enable', {rsc_name: 'other'})
    const reports = async (): Promise<{exception_message?: string}[]> => ((await call('GET', '/v1/error-reports')).body as {exception_message?: string, module?: string}[])
      .filter((r) => /other/.test(r.exception_message ?? '') && /dead/.test(r.exception_message ?? ''))
    await waitFor('the first failure reported', async () => ((await reports()).length >= 1 ? true : undefined), 20_000)
    const first = (await reports()).length
    await waitFor('the retry failed and reported', async () => ((await reports()).length > first ? true : undefined), 90_000)
    const afterRetry = (await reports()).length
    await new Promise((r) => setTimeout(r, 5000))
    assert.equal((await reports()).length, afterRetry, 'no further attempts')
    const made = await waitFor('a backup from the one-minute cron', async () => {
      const fresh = (await backups('bak')).filter((b) => !before.has(b.id) && b.origin_rsc === 'other' && b.success)
      return fresh.length ? fresh : undefined
    }, 70_000)
    assert.ok(made.length >= 1)
  })
})
