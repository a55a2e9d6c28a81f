// Backup schedules through a live `cairn combined`: /v1/schedules, the schedule-remote pairs under
// /v1/remotes/{remote}/backups/schedule/…, the views by resource, with LINSTOR's status and ret
// codes and the contract's shapes; the state after a restart; and the `schedule` and `backup
// schedule` commands of the CLI. The crons never fire during the test (1 January, midnight).
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {Rc, withContext, type ObjKind, type OpKind} from '../../src/common/api-call-rc.ts'
import {RemoteRc} from '../../src/controller/model/remote.ts'
import {ScheduleRc} from '../../src/controller/model/schedule.ts'
import {useCombinedCli} from '../support/cli-session.ts'
import {api, startDaemon, waitHealthy} from '../support/cluster.ts'
import {expectRcs, validateAgainst} from '../support/openapi.ts'

type Reply = Awaited<ReturnType<typeof api>>
interface Row {rsc_name: string, remote_name: string, schedule_name: string, reason?: string, next_exec_time?: number, next_exec_inc?: boolean, next_planned_full?: number,
  next_planned_inc?: number, last_snap_time?: number}

const CRON = '0 0 1 1 *'
const code = (c: bigint, op?: OpKind, obj: ObjKind = 'schedule'): bigint => withContext(c, op, obj)


describe('backup schedules', () => {
  const session = useCombinedCli('sched-node')
  const {ok, fails, json, row} = session
  const call = (method: string, path: string, body?: unknown): Promise<Reply> => api(session.c.base, method, path, body)
  const byResource = async (query = ''): Promise<Row[]> => {
    const r = await call('GET', `/v1/view/schedules-by-resource${query}`)
    assert.equal(r.status, 200)
    assert.deepEqual(validateAgainst('ScheduledRscsList', r.body), [])
    return (r.body as {data?: Row[]}).data ?? []
  }

  test('setup: a deployed resource in group sg, an undeployed one, a remote', async () => {
    await ok('rg', 'create', 'sg', '--place-count', '1', '--layer-list', 'storage', '--storage-pool', 'DfltStorPool')
    await ok('rg', 'spawn', 'sg', 'sr1', '4M')
    await ok('rd', 'create', 'sr2', '--resource-group', 'sg')
    expectRcs(await call('POST', '/v1/remotes/linstor', {remote_name: 'rem', url: 'http://127.0.0.1:1'}), 201, [Rc.CREATED])
  })

  test('create: 200 (as LINSTOR); listed as the contract says; refusals with LINSTOR\'s codes', async () => {
    assert.deepEqual((await call('GET', '/v1/schedules')).body, {})
    const [e] = expectRcs(await call('POST', '/v1/schedules', {schedule_name: 'nightly', full_cron: CRON, inc_cron: '0 * 1 1 *', keep_local: 3,
      keep_remote: null, on_failure: 'RETRY', max_retries: null}), 200, [code(Rc.CREATED, 'create')])
    assert.equal(e?.message, `Schedule: nightly, FullCron: '${CRON}', IncCron: '0 * 1 1 *' created successfully.`)
    const list = await call('GET', '/v1/schedules')
    assert.deepEqual(validateAgainst('ScheduleList', list.body), [])
    assert.deepEqual(list.body, {data: [{schedule_name: 'nightly', full_cron: CRON, inc_cron: '0 * 1 1 *', keep_local: 3, on_failure: 'RETRY'}]})
    expectRcs(await call('POST', '/v1/schedules', {schedule_name: 'NIGHTLY', full_cron: CRON}), 500, [code(ScheduleRc.FAIL_EXISTS_SCHEDULE, 'create')])
    expectRcs(await call('POST', '/v1/schedules', {schedule_name: 'bad name', full_cron: CRON}), 500, [code(ScheduleRc.FAIL_INVLD_SCHEDULE_NAME, 'create')])
    const [c] = expectRcs(await call('POST', '/v1/schedules', {schedule_name: 'x1', full_cron: '61 * * * *'}), 500, [code(ScheduleRc.FAIL_CRON, 'create')])
    assert.equal(c?.message, 'Error parsing full-cron "61 * * * *": 61 is a invalid expression for minute')
    expectRcs(await call('POST', '/v1/schedules', {schedule_name: 'x1', full_cron: CRON, keep: 1}), 400, [Rc.API_CALL_PARSE_ERROR])
  })

  test('modify: 200; 404 for a schedule that does not exist', async () => {
    expectRcs(await call('PUT', '/v1/schedules/nightly', {keep_local: -1, max_retries: 2}), 200, [code(Rc.MODIFIED, 'modify')])
    assert.deepEqual(((await call('GET', '/v1/schedules')).body as {data: unknown[]}).data[0],
      {schedule_name: 'nightly', full_cron: CRON, inc_cron: '0 * 1 1 *', on_failure: 'RETRY', max_retries: 2})
    const [n] = expectRcs(await call('PUT', '/v1/schedules/nope', {keep_local: 1}), 404, [code(ScheduleRc.FAIL_NOT_FOUND_SCHEDULE, 'modify')])
    assert.equal(n?.message, "Schedule 'nope' not registered.")
  })

  test('enable and disable: 200, LINSTOR\'s properties, the views with precedence; refusals', async () => {
    expectRcs(await call('PUT', '/v1/remotes/rem/backups/schedule/nightly/enable', {node_name: 'sched-node'}), 200, [code(Rc.MODIFIED, 'modify')])
    const [m] = expectRcs(await call('PUT', '/v1/remotes/rem/backups/schedule/nightly/disable', {grp_name: 'sg'}), 200, [code(Rc.MODIFIED, 'modify')])
    assert.equal(m?.message, "Backup shipping schedule 'nightly' successfully disabled for resource group 'sg' to remote 'rem'.")
    expectRcs(await call('PUT', '/v1/remotes/rem/backups/schedule/nightly/enable', {rsc_name: 'sr1'}), 200, [code(Rc.MODIFIED, 'modify')])
    const props = (await call('GET', '/v1/resource-definitions/sr1')).body as {props?: Record<string, string>}
    assert.equal(props.props?.['Schedule/rem/nightly/Enabled'], 'true')
    const details = await call('GET', '/v1/view/schedules-by-resource/sr1')
    assert.deepEqual(validateAgainst('ScheduleDetailsList', details.body), [])
    assert.deepEqual(details.body, {data: [{remote_name: 'rem', schedule_name: 'nightly', ctrl: true, rsc_grp: false, rsc_dfn: true}]})
    const rows = await byResource()
    const active = rows.find((r) => r.rsc_name === 'sr1')
    assert.equal(active?.remote_name, 'rem')
    assert.equal(active?.last_snap_time, -1)
    // Both crons fire at midnight on 1 January: that slot makes a full backup.
    assert.ok((active?.next_exec_time ?? 0) > Date.now() && active?.next_exec_time === active?.next_planned_full)
    assert.equal(active?.next_exec_inc, false)
    assert.deepEqual(rows.filter((r) => r.rsc_name === 'sr2').map((r) => [r.remote_name, r.reason]), [['rem', 'disabled']])
    assert.deepEqual((await byResource('?active-only=True')).map((r) => r.rsc_name), ['sr1'])
    assert.deepEqual((await byResource('?rsc=SR2&remote=rem')).map((r) => r.reason), ['disabled'])
    expectRcs(await call('GET', '/v1/view/schedules-by-resource/nope'), 404, [Rc.FAIL_NOT_FOUND_RSC_DFN])
    expectRcs(await call('PUT', '/v1/remotes/nope/backups/schedule/nightly/enable', {}), 404, [code(RemoteRc.FAIL_NOT_FOUND_REMOTE, 'modify')])
    expectRcs(await call('PUT', '/v1/remotes/rem/backups/schedule/nope/enable', {}), 404, [code(ScheduleRc.FAIL_NOT_FOUND_SCHEDULE, 'modify')])
    expectRcs(await call('PUT', '/v1/remotes/rem/backups/schedule/nightly/enable', {rsc_name: 'nope'}), 404, [code(Rc.FAIL_NOT_FOUND_RSC_DFN, 'modify')])
    const [w] = expectRcs(await call('PUT', '/v1/remotes/rem/backups/schedule/nightly/enable', {grp_name: 'sg', dst_rsc_name: 'x'}), 200,
      [code(Rc.WARN_INVLD_CONF, 'modify'), code(Rc.MODIFIED, 'modify')])
    assert.match(w?.message ?? '', /only usable in combination with --rd/)
    expectRcs(await call('PUT', '/v1/remotes/rem/backups/schedule/nightly/disable', {grp_name: 'sg'}), 200, [code(Rc.MODIFIED, 'modify')])
    expectRcs(await call('PUT', '/v1/remotes/rem/backups/schedule/nightly/enable', {rsc: 'sr1'}), 400, [Rc.API_CALL_PARSE_ERROR])
  })

  test('pair delete: that level only; schedule delete: everywhere, twice a warning; a restart keeps the rest', async () => {
    const [d] = expectRcs(await call('DELETE', '/v1/remotes/rem/backups/schedule/nightly/delete?rsc_dfn_name=sr1'), 200, [code(Rc.DELETED, 'delete')])
    assert.equal(d?.message, "Backup shipping schedule 'nightly' successfully deleted for resource definition 'sr1' to remote 'rem'.")
    assert.deepEqual((await call('GET', '/v1/view/schedules-by-resource/sr1')).body,
      {data: [{remote_name: 'rem', schedule_name: 'nightly', ctrl: true, rsc_grp: false}]})
    const c = session.c
    await c.daemon.stop('SIGTERM')
    c.daemon = startDaemon(c.args)
    await waitHealthy(c.base)
    assert.equal(((await call('GET', '/v1/schedules')).body as {data: {max_retries: number}[]}).data[0]?.max_retries, 2)
    assert.deepEqual((await byResource('?rsc=sr1')).map((r) => r.reason), ['disabled'])
    const list = expectRcs(await call('DELETE', '/v1/schedules/nightly'), 200, [code(Rc.DELETED, 'delete'), code(Rc.DELETED, 'modify')])
    assert.deepEqual(list.map((e) => e.message), ['Schedule: nightly marked for deletion.', 'Schedule: nightly deleted.'])
    expectRcs(await call('DELETE', '/v1/schedules/nightly'), 200, [code(Rc.WARN_NOT_FOUND, 'delete')])
    const ctrl = (await call('GET', '/v1/controller/properties')).body as Record<string, string>
    assert.ok(!Object.keys(ctrl).some((k) => k.startsWith('Schedule/')), 'the pairs went with the schedule')
    assert.deepEqual((await byResource('?rsc=sr1')).map((r) => r.reason), ['none set'])
  })

  test('cli: schedule create/list/modify/delete and backup schedule enable/disable/delete, list-by-resource', async () => {
    assert.match(await ok('schedule', 'create', 'cli-s', CRON, '--incremental-cron', '0 * 1 1 *', '--keep-local', '2', '--keep-remote', 'all',
      '--on-failure', 'retry', '--max-retries', 'forever'), /SUCCESS[\s\S]*Schedule: cli-s, FullCron/)
    assert.deepEqual(row(await ok('sched', 'l'), 'cli-s'), ['cli-s', CRON, '0 * 1 1 *', '2', 'all', 'RETRY(forever)'])
    await ok('schedule', 'modify', 'cli-s', '-l', 'all', '--on-failure', 'SKIP')
    assert.deepEqual(row(await ok('schedule', 'list'), 'cli-s')?.slice(3), ['all', 'all', 'SKIP'])
    assert.match(await fails(2, 'schedule', 'create', 'cli-x', CRON, '--keep-local', 'some'), /only numbers >= 0 allowed or "all"/)
    assert.match(await fails(10, 'schedule', 'modify', 'nope', '-l', '1'), /Schedule 'nope' not registered/)

    assert.match(await ok('backup', 'schedule', 'enable', 'rem', 'cli-s', '--rd', 'sr1', '--node', 'sched-node'), /successfully enabled for resource definition 'sr1'/)
    assert.match(await ok('b', 'sched', 'dis', 'rem', 'cli-s', '--rg', 'sg'), /successfully disabled for resource group 'sg'/)
    assert.match(await fails(2, 'backup', 'schedule', 'enable', 'rem', 'cli-s', '--rg', 'sg', '--target-resource-name', 'x'), /only allowed in combination with --rd/)
    assert.match(await fails(10, 'backup', 'schedule', 'enable', 'nope', 'cli-s'), /Remote 'nope' not registered/)
    const lbr = await ok('schedule', 'list-by-resource')
    const sr1 = row(lbr, 'sr1')
    assert.deepEqual([sr1?.[1], sr1?.[2], sr1?.[3], sr1?.[7]], ['rem', 'cli-s', '', ''])
    assert.match(sr1?.[4] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \((Inc|Full)\)$/)
    assert.deepEqual(row(lbr, 'sr2'), ['sr2', 'rem', 'cli-s', '', '', '', '', 'disabled'])
    assert.deepEqual((await json<{data: Row[]}>('backup', 'schedule', 'lbr', '--active-only')).data.map((r) => r.rsc_name), ['sr1'])
    assert.deepEqual(row(await ok('schedule', 'lbd', 'sr1'), 'rem'), ['rem', 'cli-s', 'Enabled', 'Disabled', ''])
    assert.match(await ok('backup', 'schedule', 'delete', 'rem', 'cli-s', '--rd', 'sr1'), /successfully deleted for resource definition 'sr1'/)
    assert.deepEqual(row(await ok('schedule', 'lbd', 'sr1'), 'rem'), ['rem', 'cli-s', '', 'Disabled', ''])
    assert.match(await ok('schedule', 'delete', 'cli-s'), /Schedule: cli-s deleted\./)
    assert.match(await ok('schedule', 'd', 'cli-s'), /not found/)
  })
})
