// Backup schedules, pure: LINSTOR's checks and ret codes, the schedule-remote pairs on the
// controller, a resource group and a resource definition with their precedence, the views, when
// a cron fires next, and which snapshots and backups keep_local and keep_remote let go.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {Rc} from '../../src/common/api-call-rc.ts'
import {nodeCronReader} from '../../src/controller/backups/cron.ts'
import {activeShippings, deleteBackupSchedule, deleteSchedule, scheduleDetails, setBackupSchedule} from '../../src/controller/model/backup-schedule.ts'
import {CTRL, ctrlPropsOf} from '../../src/controller/model/controller-props.ts'
import {RemoteRc} from '../../src/controller/model/remote.ts'
import {createSchedule, modifySchedule, ScheduleRc, scheduleList} from '../../src/controller/model/schedule.ts'
import {findShipping, forgetGone, hasBase, localPrune, nextRun, recordRun, remotePrune, scheduledRscs, staleShippings,
  type Run, type ScheduledShippingRec} from '../../src/controller/model/scheduled-shipping.ts'
import type {ClusterState} from '../../src/controller/model/state.ts'
import {resolveArgv} from '../../src/cli/argv.ts'
import {COMMANDS} from '../../src/cli/commands.ts'
import {keepCount, onFailure, renames, retryCount} from '../../src/cli/schedule-args.ts'
import {apply, failsWith, NOW} from '../support/model.ts'
import {cluster} from '../support/schedules.ts'

const cron = nodeCronReader

describe('schedule create, modify, list', () => {
  test('create: LINSTOR\'s defaults (SKIP, keep all, retry forever); negative counts mean the default too', () => {
    const {state, ids} = cluster()
    const r = createSchedule(state, {schedule_name: 'nightly', full_cron: '0 4 * * *', inc_cron: '0 * * * *', keep_local: 3, keep_remote: null,
      on_failure: 'retry', max_retries: -1}, ids, cron)
    assert.deepEqual(r.schedule, {name: 'nightly', uuid: r.schedule.uuid, fullCron: '0 4 * * *', incCron: '0 * * * *', keepLocal: 3, onFailure: 'RETRY'})
    assert.equal(r.message, "Schedule: nightly, FullCron: '0 4 * * *', IncCron: '0 * * * *' created successfully.")
    assert.deepEqual(createSchedule(state, {schedule_name: 'x1', full_cron: '@daily'}, ids, cron).schedule.onFailure, 'SKIP')
  })

  const refusals: [string, Record<string, unknown>, bigint, RegExp][] = [
    ['a name with a space', {schedule_name: 'bad name', full_cron: '* * * * *'}, ScheduleRc.FAIL_INVLD_SCHEDULE_NAME, /^The given schedule name 'bad name' is invalid\.$/],
    ['no name', {full_cron: '* * * * *'}, ScheduleRc.FAIL_INVLD_SCHEDULE_NAME, /invalid/],
    ['an existing name in another case', {schedule_name: 'SCH1', full_cron: '* * * * *'}, ScheduleRc.FAIL_EXISTS_SCHEDULE, /^A schedule with the name 'SCH1' already exists/],
    ['no full cron', {schedule_name: 's9'}, ScheduleRc.FAIL_CRON, /^Error parsing full-cron "": the expression is empty$/],
    ['a full cron that is no cron', {schedule_name: 's9', full_cron: 'not a cron'}, ScheduleRc.FAIL_CRON, /expected 5 or 6 fields but got 3/],
    ['an incremental cron out of range', {schedule_name: 's9', full_cron: '0 4 * * *', inc_cron: '61 25 * * *'}, ScheduleRc.FAIL_CRON,
      /^Error parsing inc-cron "61 25 \* \* \*": 61 is a invalid expression for minute; 25 is a invalid expression for hour$/],
    ['a cron that never fires (30 February)', {schedule_name: 's9', full_cron: '0 0 30 2 *'}, ScheduleRc.FAIL_CRON, /impossible day of month/],
    ['an unknown on_failure', {schedule_name: 's9', full_cron: '0 4 * * *', on_failure: 'explode'}, Rc.FAIL_UNKNOWN_ERROR, /'explode' is not a valid on_failure/],
    ['a count that is no number', {schedule_name: 's9', full_cron: '0 4 * * *', keep_local: 'x'}, Rc.FAIL_INVLD_REQUEST, /keep_local/],
  ]
  for (const [what, body, code, message] of refusals) {
    test(`create refuses ${what}`, () => {
      const {state, ids} = cluster()
      failsWith(() => createSchedule(state, body, ids, cron), code, message)
    })
  }

  test('modify: left out keeps, given changes, "" drops the incremental cron, negative resets', () => {
    const {state, ids} = cluster()
    apply(state, createSchedule(state, {schedule_name: 'm1', full_cron: '0 4 * * *', inc_cron: '0 * * * *', keep_local: 3, keep_remote: 4,
      on_failure: 'RETRY', max_retries: 5}, ids, cron).changes)
    const keep = modifySchedule(state, 'M1', {keep_local: 5}, cron)
    assert.deepEqual([keep.schedule.keepLocal, keep.schedule.keepRemote, keep.schedule.incCron, keep.schedule.maxRetries], [5, 4, '0 * * * *', 5])
    assert.equal(keep.message, 'Schedule: m1 modified successfully.')
    const cleared = modifySchedule(state, 'm1', {inc_cron: '', keep_local: -1, keep_remote: -1, max_retries: -1, on_failure: 'skip'}, cron).schedule
    assert.deepEqual(cleared, {name: 'm1', uuid: cleared.uuid, fullCron: '0 4 * * *', onFailure: 'SKIP'})
    assert.match(modifySchedule(state, 'm1', {full_cron: '30 2 * * 6'}, cron).message, /^Schedule: m1, FullCron: '30 2 \* \* 6', IncCron/)
    failsWith(() => modifySchedule(state, 'nope', {}, cron), ScheduleRc.FAIL_NOT_FOUND_SCHEDULE, /^Schedule 'nope' not registered\.$/)
    // LINSTOR answers a bad cron in a modify with an unknown error.
    failsWith(() => modifySchedule(state, 'm1', {full_cron: 'nope'}, cron), Rc.FAIL_UNKNOWN_ERROR, /Error parsing full-cron/)
  })

  test('list: by name, "all" and "forever" left out', () => {
    const {state} = cluster()
    assert.deepEqual(scheduleList(state), {data: [
      {schedule_name: 'sch1', full_cron: '0 4 * * *', inc_cron: '0 * * * *', keep_local: undefined, keep_remote: undefined, on_failure: 'SKIP', max_retries: undefined},
      {schedule_name: 'sch2', full_cron: '0 0 * * 0', inc_cron: undefined, keep_local: undefined, keep_remote: undefined, on_failure: 'SKIP', max_retries: undefined},
    ]})
  })
})

describe('schedule-remote pairs', () => {
  test('enable writes LINSTOR\'s properties on the level named', () => {
    const {state} = cluster()
    const r = setBackupSchedule(state, 'rem1', 'sch1', {rsc_name: 'r1', node_name: 'n2', dst_stor_pool: 'big', stor_pool_rename: {a: 'b'},
      force_restore: true, dst_rsc_grp: 'g', force_mv_rsc_grp: true, dst_rsc_name: 'copy'}, true)
    assert.deepEqual(r.replies, [{code: Rc.MODIFIED, message: "Backup shipping schedule 'sch1' successfully enabled for resource definition 'r1' to remote 'rem1'."}])
    apply(state, r.changes)
    assert.deepEqual(state.rscDfns.R1?.props, {'Schedule/rem1/sch1/Enabled': 'true', 'Schedule/rem1/sch1/PrefNode': 'n2',
      'Schedule/rem1/sch1/RenameStorpoolMap/a': 'b', 'Schedule/rem1/sch1/RenameStorpoolMap/*': 'big', 'Schedule/rem1/sch1/ForceRestore': 'true',
      'Schedule/rem1/sch1/TargetResourceGroup': 'g', 'Schedule/rem1/sch1/ForceResourceGroup': 'true', 'Schedule/rem1/sch1/TargetResourceName': 'copy'})
    apply(state, setBackupSchedule(state, 'REM1', 'SCH1', {rsc_name: 'r1'}, false).changes)
    assert.equal(state.rscDfns.R1?.props['Schedule/rem1/sch1/Enabled'], 'false', 'keys carry the stored names')
    assert.equal(state.rscDfns.R1?.props['Schedule/rem1/sch1/PrefNode'], 'n2', 'a disable keeps the rest')
  })

  test('a target resource name only on a resource definition: a warning elsewhere', () => {
    const {state} = cluster()
    const rg = setBackupSchedule(state, 'rem1', 'sch1', {grp_name: 'grp', dst_rsc_name: 'copy'}, true)
    assert.deepEqual(rg.replies.map((x) => x.code), [Rc.WARN_INVLD_CONF, Rc.MODIFIED])
    assert.match(rg.replies[0]?.message ?? '', /only usable in combination with --rd, but not --rg/)
    assert.match(rg.replies[1]?.message ?? '', /enabled for resource group 'grp' to remote 'rem1'\.$/)
    const ctrl = setBackupSchedule(state, 'rem1', 'sch1', {dst_rsc_name: 'copy'}, true)
    assert.match(ctrl.replies[0]?.message ?? '', /but not on controller level/)
    apply(state, ctrl.changes)
    assert.deepEqual(ctrlPropsOf(state), {'Schedule/rem1/sch1/Enabled': 'true'})
  })

  test('refusals: unknown remote, schedule, resource definition, resource group', () => {
    const {state} = cluster()
    failsWith(() => setBackupSchedule(state, 'nope', 'sch1', {}, true), RemoteRc.FAIL_NOT_FOUND_REMOTE, /^Remote 'nope' not registered\.$/)
    failsWith(() => setBackupSchedule(state, 'rem1', 'nope', {}, true), ScheduleRc.FAIL_NOT_FOUND_SCHEDULE, /^Schedule 'nope' not registered\.$/)
    failsWith(() => setBackupSchedule(state, 'rem1', 'sch1', {rsc_name: 'nope'}, true), Rc.FAIL_NOT_FOUND_RSC_DFN)
    failsWith(() => deleteBackupSchedule(state, 'rem1', 'sch1', undefined, 'nope'), Rc.FAIL_NOT_FOUND_RSC_GRP)
  })

  // [controller, group grp, definition r2] → is r2 shipped to rem1 with sch1?
  const precedence: [string | undefined, string | undefined, string | undefined, boolean][] = [
    [undefined, undefined, undefined, false],
    ['true', undefined, undefined, true],
    ['true', 'false', undefined, false],
    ['true', 'false', 'true', true],
    ['false', 'true', undefined, true],
    ['true', undefined, 'false', false],
    ['false', undefined, 'true', true],
    [undefined, 'true', 'false', false],
  ]
  for (const [ctrl, rg, rd, shipped] of precedence) {
    test(`precedence: controller ${ctrl}, group ${rg}, definition ${rd} → ${shipped ? '' : 'not '}shipped`, () => {
      const {state} = cluster()
      const set = (value: string | undefined, where: Record<string, string>): void => {
        if (value) apply(state, setBackupSchedule(state, 'rem1', 'sch1', where, value === 'true').changes)
      }
      set(ctrl, {})
      set(rg, {grp_name: 'grp'})
      set(rd, {rsc_name: 'r2'})
      assert.equal(activeShippings(state).some((s) => s.rsc === 'r2' && s.remote === 'rem1' && s.schedule === 'sch1'), shipped)
      const details = scheduleDetails(state, 'r2').data ?? []
      const bool = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : v === 'true')
      assert.deepEqual(details, ctrl || rg || rd ? [{remote_name: 'rem1', schedule_name: 'sch1', rsc_dfn: bool(rd), rsc_grp: bool(rg), ctrl: bool(ctrl)}] : [])
    })
  }

  test('shipped: only deployed resource definitions, existing remotes and schedules; PrefNode from the level that sets it', () => {
    const {state} = cluster()
    apply(state, setBackupSchedule(state, 'rem1', 'sch1', {node_name: 'n1'}, true).changes)
    apply(state, setBackupSchedule(state, 'rem2', 'sch2', {grp_name: 'grp'}, true).changes)
    apply(state, setBackupSchedule(state, 'rem1', 'sch1', {rsc_name: 'r2', node_name: 'n2'}, true).changes)
    assert.deepEqual(activeShippings(state), [
      {rsc: 'r1', remote: 'rem1', schedule: 'sch1', prefNode: 'n1'},
      {rsc: 'r2', remote: 'rem1', schedule: 'sch1', prefNode: 'n2'},
      {rsc: 'r2', remote: 'rem2', schedule: 'sch2'},
    ])
    apply(state, [{t: 'remotes', k: 'REM2'}])
    assert.deepEqual(activeShippings(state).map((s) => s.remote), ['rem1', 'rem1'])
  })

  test('delete: that level\'s settings go, the others decide again', () => {
    const {state} = cluster()
    apply(state, setBackupSchedule(state, 'rem1', 'sch1', {}, true).changes)
    apply(state, setBackupSchedule(state, 'rem1', 'sch1', {grp_name: 'grp', node_name: 'n1', stor_pool_rename: {a: 'b'}}, false).changes)
    assert.ok(!activeShippings(state).some((s) => s.rsc === 'r2'))
    const r = deleteBackupSchedule(state, 'rem1', 'sch1', undefined, 'grp')
    assert.equal(r.message, "Backup shipping schedule 'sch1' successfully deleted for resource group 'grp' to remote 'rem1'.")
    apply(state, r.changes)
    assert.deepEqual(state.rscGrps.GRP?.props, {})
    assert.ok(activeShippings(state).some((s) => s.rsc === 'r2'))
    assert.match(deleteBackupSchedule(state, 'rem1', 'sch1', undefined, undefined).message, /deleted on controller to remote 'rem1'\.$/)
  })

  test('deleting a schedule removes its pairs everywhere, and only its own', () => {
    const {state} = cluster()
    apply(state, setBackupSchedule(state, 'rem1', 'sch1', {}, true).changes)
    apply(state, setBackupSchedule(state, 'rem2', 'sch1', {grp_name: 'grp'}, false).changes)
    apply(state, setBackupSchedule(state, 'rem1', 'sch2', {rsc_name: 'r1', node_name: 'n1'}, true).changes)
    apply(state, [{t: 'rscDfns', k: 'R1', v: {...state.rscDfns.R1, props: {...state.rscDfns.R1?.props, 'Aux/x': 'y', 'Schedule/rem1/sch1/PrefNode': 'n2'}}}])
    const {changes, deleted} = deleteSchedule(state, 'SCH1')
    assert.equal(deleted?.name, 'sch1')
    apply(state, changes)
    assert.deepEqual([ctrlPropsOf(state), state.rscGrps.GRP?.props, state.rscDfns.R1?.props],
      [{}, {}, {'Schedule/rem1/sch2/Enabled': 'true', 'Schedule/rem1/sch2/PrefNode': 'n1', 'Aux/x': 'y'}])
    assert.equal(state.schedules.SCH1, undefined)
    assert.deepEqual(deleteSchedule(state, 'sch1'), {changes: []})
    failsWith(() => deleteSchedule(state, 'bad name'), ScheduleRc.FAIL_INVLD_SCHEDULE_NAME)
    assert.ok(state.ctrlProps[CTRL])
  })
})

describe('list-by-resource', () => {
  const none = {last_snap_time: -1, last_snap_inc: false, next_exec_time: -1, next_exec_inc: false, next_planned_full: -1, next_planned_inc: -1}

  test('reasons for what ships nowhere: none set, disabled (per pair), undeployed; active rows with their times', () => {
    const {state} = cluster()
    apply(state, setBackupSchedule(state, 'rem1', 'sch1', {rsc_name: 'r1'}, true).changes)
    apply(state, setBackupSchedule(state, 'rem2', 'sch2', {grp_name: 'grp'}, false).changes)
    apply(state, setBackupSchedule(state, 'rem1', 'sch2', {grp_name: 'grp'}, false).changes)
    apply(state, setBackupSchedule(state, 'rem1', 'sch1', {rsc_name: 'r3'}, true).changes)
    const now = new Date(2026, 0, 1, 10, 30).getTime()
    const list = scheduledRscs(state, {activeOnly: false}, now, () => undefined, cron).data
    assert.deepEqual(list, [
      {rsc_name: 'r1', remote_name: 'rem1', schedule_name: 'sch1', last_snap_time: -1, last_snap_inc: false,
        next_exec_time: new Date(2026, 0, 1, 11, 0).getTime(), next_exec_inc: false, next_planned_full: new Date(2026, 0, 2, 4, 0).getTime(),
        next_planned_inc: new Date(2026, 0, 1, 11, 0).getTime()},
      {rsc_name: 'r2', remote_name: 'rem1', schedule_name: 'sch2', reason: 'disabled', ...none},
      {rsc_name: 'r2', remote_name: 'rem2', schedule_name: 'sch2', reason: 'disabled', ...none},
      {rsc_name: 'r3', remote_name: '', schedule_name: '', reason: 'undeployed', ...none},
    ])
    assert.deepEqual(scheduledRscs(state, {activeOnly: true}, now, () => undefined, cron).data?.map((x) => x.rsc_name), ['r1'])
    assert.deepEqual(scheduledRscs(state, {rsc: 'R2', activeOnly: false}, now, () => undefined, cron).data?.map((x) => x.reason), ['disabled', 'disabled'])
    apply(state, deleteBackupSchedule(state, 'rem1', 'sch1', 'r1', undefined).changes)
    assert.deepEqual(scheduledRscs(state, {rsc: 'r1', activeOnly: false}, now, () => undefined, cron).data,
      [{rsc_name: 'r1', remote_name: '', schedule_name: '', reason: 'none set', ...none}])
  })

  test('the last backup from the record; running means no next time, a retry its own', () => {
    const {state} = cluster()
    apply(state, setBackupSchedule(state, 'rem1', 'sch1', {rsc_name: 'r1'}, true).changes)
    const s = {rsc: 'r1', remote: 'rem1', schedule: 'sch1'}
    apply(state, recordRun(state, s, {snap: 'back_1', id: 'r1_back_1', time: NOW, incremental: false, ok: true}))
    const now = new Date(2026, 0, 1, 10, 30).getTime()
    const row = (rt: Parameters<typeof scheduledRscs>[3]) => scheduledRscs(state, {rsc: 'r1', activeOnly: true}, now, rt, cron).data?.[0]
    assert.deepEqual([row(() => undefined)?.last_snap_time, row(() => undefined)?.next_exec_inc], [NOW, true], 'a base: the next slot is incremental')
    assert.equal(row(() => ({running: true}))?.next_exec_time, -1)
    assert.deepEqual([row(() => ({running: false, retry: {at: now + 60_000, incremental: true}}))?.next_exec_time], [now + 60_000])
  })
})

describe('when crons fire', () => {
  const at = (...p: [number, number, number, number?, number?, number?]): number => new Date(p[0], p[1] - 1, p[2], p[3] ?? 0, p[4] ?? 0, p[5] ?? 0).getTime()
  const cases: [string, number, number | undefined][] = [
    ['0 4 * * *', at(2026, 1, 1, 10, 30), at(2026, 1, 2, 4)],
    ['0 4 * * *', at(2026, 1, 1, 4), at(2026, 1, 2, 4)],
    ['*/20 3 * * *', at(2026, 1, 1, 3, 0, 1), at(2026, 1, 1, 3, 20)],
    ['0 * * * *', at(2026, 1, 1, 23, 59, 59), at(2026, 1, 2, 0)],
    ['0 0 29 2 *', at(2026, 1, 1), at(2028, 2, 29)],
    ['0 0 * * 0', at(2026, 1, 1), at(2026, 1, 4)],
    ['*/10 * * * * *', at(2026, 1, 1, 10, 0, 5), at(2026, 1, 1, 10, 0, 10)],
    ['@monthly', at(2026, 1, 15), at(2026, 2, 1)],
  ]
  for (const [expr, after, next] of cases) {
    test(`'${expr}' after ${new Date(after).toString().slice(4, 24)}`, () => assert.equal(cron.next(expr, after), next))
  }

  const kinds: [string, {full?: number, inc?: number}, boolean, {time: number, incremental: boolean} | undefined][] = [
    ['the incremental slot first, with a base', {full: 20, inc: 10}, true, {time: 10, incremental: true}],
    ['the incremental slot first, without a base: a full backup', {full: 20, inc: 10}, false, {time: 10, incremental: false}],
    ['both at once: only the full one', {full: 10, inc: 10}, true, {time: 10, incremental: false}],
    ['the full slot first', {full: 10, inc: 20}, true, {time: 10, incremental: false}],
    ['no incremental cron', {full: 10}, true, {time: 10, incremental: false}],
    ['no slot at all', {}, true, undefined],
  ]
  for (const [what, planned, base, want] of kinds) test(`next run: ${what}`, () => assert.deepEqual(nextRun(planned, base), want))
})

describe('what a schedule has shipped, and what the keep counts let go', () => {
  const s = {rsc: 'r1', remote: 'rem1', schedule: 'sch1'}
  const run = (snap: string, time: number, incremental: boolean, ok = true): Run => ({snap, id: `r1_${snap}`, time, incremental, ok})

  function shipped(runs: Run[]): {state: ClusterState, rec: ScheduledShippingRec} {
    const {state} = cluster()
    for (const r of runs) apply(state, recordRun(state, s, r))
    return {state, rec: findShipping(state, s) as ScheduledShippingRec}
  }

  test('an incremental joins the newest successful full backup; failed ones are kept apart; the last success is remembered', () => {
    const {rec} = shipped([run('f1', 1, false), run('i1', 2, true), run('f2', 3, false, false), run('i2', 4, true), run('f3', 5, false), run('i3', 6, true, false)])
    assert.deepEqual(rec.chains.map((c) => [c.full.snap, c.full.ok, c.incs.map((i) => i.snap)]),
      [['f1', true, ['i1', 'i2']], ['f2', false, []], ['f3', true, ['i3']]])
    assert.deepEqual(rec.last, {time: 5, incremental: false})
    assert.equal(hasBase(rec), true)
    assert.equal(hasBase(shipped([run('f1', 1, false, false)]).rec), false)
    assert.equal(hasBase(undefined), false)
  })

  const runs = [run('f1', 1, false), run('i1', 2, true), run('f2', 3, false), run('fx', 4, false, false), run('i2', 5, true), run('f3', 6, false)]
  const local: [number | undefined, string[]][] = [
    [undefined, []],
    [4, []],
    [3, ['fx']],
    [2, ['fx', 'i1', 'f1']],
    [1, ['fx', 'i1', 'f1', 'i2', 'f2']],
    [0, ['fx', 'i1', 'f1', 'i2', 'f2', 'f3']],
  ]
  for (const [keep, gone] of local) {
    test(`keep_local ${keep ?? 'all'}: failed full backups first, then the oldest, each with its incrementals`, () => {
      assert.deepEqual(localPrune(shipped(runs).rec, keep, () => true), gone)
    })
  }

  test('keep_local counts only snapshots still there', () => {
    assert.deepEqual(localPrune(shipped(runs).rec, 1, (snap) => !['f1', 'fx'].includes(snap)), ['i2', 'f2'])
  })

  const remote: [number | undefined, string[], string[]][] = [
    [undefined, ['r1_f1', 'r1_f2', 'r1_f3'], []],
    [2, ['r1_f1', 'r1_f2', 'r1_f3'], ['r1_f1']],
    [1, ['r1_f1', 'r1_f2', 'r1_f3', 'r1_fx', 'other_full'], ['r1_f1', 'r1_f2']],
    [1, ['r1_f3'], []],
    [0, ['r1_f2', 'r1_f3'], ['r1_f2', 'r1_f3']],
  ]
  for (const [keep, held, gone] of remote) {
    test(`keep_remote ${keep ?? 'all'} with ${held.join(', ')} at the remote: the oldest of this schedule's full backups go`, () => {
      assert.deepEqual(remotePrune(shipped(runs).rec, keep, new Set(held)), gone)
    })
  }

  test('forgetting: chains held neither locally nor at the remote go, snapshots gone locally too', () => {
    const {state} = shipped(runs)
    const here = new Set(['f2', 'i2', 'f3'])
    apply(state, forgetGone(state, s, (snap) => here.has(snap), new Set(['r1_f1', 'r1_f2', 'r1_f3'])))
    assert.deepEqual(findShipping(state, s)?.chains.map((c) => [c.full.snap, c.incs.map((i) => i.snap)]), [['f1', []], ['f2', ['i2']], ['f3', []]])
    apply(state, forgetGone(state, s, (snap) => here.has(snap)))
    assert.deepEqual(findShipping(state, s)?.chains.map((c) => c.full.snap), ['f2', 'f3'])
    assert.deepEqual(forgetGone(state, s, (snap) => here.has(snap)), [], 'nothing more to forget')
  })

  test('records of deleted resource definitions, remotes or schedules are stale', () => {
    const {state} = shipped(runs)
    assert.deepEqual(staleShippings(state), [])
    apply(state, deleteSchedule(state, 'sch1').changes)
    assert.deepEqual(staleShippings(state), [{t: 'scheduledShippings', k: 'R1/REM1/SCH1'}])
  })
})

describe('schedule command values', () => {
  test('counts: numbers, "all" and "forever" as -1, anything else refused', () => {
    assert.deepEqual([keepCount('3'), keepCount('0'), keepCount('all'), retryCount('forever'), retryCount('7')], [3, 0, -1, -1, 7])
    assert.throws(() => keepCount('-1'), /only numbers >= 0 allowed or "all"/)
    assert.throws(() => keepCount('forever'), /"all"/)
    assert.throws(() => retryCount('all'), /"forever"/)
  })

  test('--on-failure in any case', () => {
    assert.deepEqual([onFailure('retry'), onFailure('Skip')], ['RETRY', 'SKIP'])
    assert.throws(() => onFailure('explode'), /neither RETRY nor SKIP/)
  })

  const words: [string, string][] = [
    ['sched c s1 0_4_*_*_*', 'schedule create s1 0_4_*_*_*'],
    ['sched l', 'schedule list'],
    ['sched m s1 -l all', 'schedule modify s1 -l all'],
    ['sched d s1', 'schedule delete s1'],
    ['sched lbr -a', 'schedule list-by-resource -a'],
    ['sched lbd r1', 'schedule list-by-resource-details r1'],
    ['b sched en rem s1 --rd r1', 'backup schedule enable rem s1 --rd r1'],
    ['b sched dis rem s1', 'backup schedule disable rem s1'],
    ['b sched d rem s1 --rg g', 'backup schedule delete rem s1 --rg g'],
    ['backup schedule lbr', 'backup schedule list-by-resource'],
  ]
  for (const [typed, full] of words) {
    test(`the linstor client's words: ${typed}`, () => assert.deepEqual(resolveArgv(typed.split(' '), Object.keys(COMMANDS)), full.split(' ')))
  }

  test('--storpool-rename pairs', () => {
    assert.deepEqual(renames(['a=b', 'pool1=pool=2']), {a: 'b', pool1: 'pool=2'})
    assert.throws(() => renames(['a']), /expected oldname=newname/)
    assert.throws(() => renames(['=b']), /expected oldname=newname/)
  })
})
