// Backup shipping schedules: when full and incremental backups are made, how many are kept
// locally and at the remote, and what a failure does. Checks, texts and ret codes follow
// LINSTOR's CtrlScheduleApiCallHandler and ScheduleControllerFactory. Pure.
import type {Schedule, ScheduleList} from '../../api/wire.ts'
import {MASK_ERROR, Obj, Rc} from '../../common/api-call-rc.ts'
import {object, optInt, optString} from '../../common/input.ts'
import {compareNames, nameKey, nameProblem} from '../../common/names.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import type {Change, ClusterState} from './state.ts'

// linstor-common's codes for schedules (consts.json).
export const ScheduleRc = {
  FAIL_INVLD_SCHEDULE_NAME: MASK_ERROR | 241n,
  FAIL_NOT_FOUND_SCHEDULE: MASK_ERROR | 323n,
  FAIL_EXISTS_SCHEDULE: MASK_ERROR | 528n,
  /** A cron that does not parse: LINSTOR reports it with the schedule mask and no detail code. */
  FAIL_CRON: MASK_ERROR | Obj.schedule,
} as const

export type OnFailure = 'SKIP' | 'RETRY'

/** Reading cron expressions (node-cron, in the shell): why one is not valid, and when one next fires after a time. */
export interface CronReader {
  problem(expr: string): string | undefined
  next(expr: string, after: number): number | undefined
}

export interface ScheduleRec {
  name: string
  uuid: string
  fullCron: string
  incCron?: string
  /** Snapshots that are bases of full backups to keep locally; absent: all. */
  keepLocal?: number
  /** Full backups (with their incrementals) to keep at an S3 remote; absent: all. */
  keepRemote?: number
  onFailure: OnFailure
  /** Retries after a failure with RETRY; absent: until it succeeds. */
  maxRetries?: number
}

export const findSchedule = (state: ClusterState, name: string): ScheduleRec | undefined => state.schedules[nameKey(name)]

export const scheduleView = (s: ScheduleRec): Schedule => ({schedule_name: s.name, full_cron: s.fullCron, inc_cron: s.incCron,
  keep_local: s.keepLocal, keep_remote: s.keepRemote, on_failure: s.onFailure, max_retries: s.maxRetries})

/** GET /v1/schedules. */
export const scheduleList = (state: ClusterState): ScheduleList =>
  ({data: Object.values(state.schedules).sort((a, b) => compareNames(a.name, b.name)).map(scheduleView)})

export function checkScheduleName(name: string): void {
  // LINSTOR's ScheduleName has the host name rules, as node names do.
  const problem = nameProblem('node', name)
  if (problem) throw new ApiFailure(ScheduleRc.FAIL_INVLD_SCHEDULE_NAME, {message: `The given schedule name '${name}' is invalid.`, details: problem})
}

/** The schedule, or LINSTOR's "not registered" refusal. */
export function loadSchedule(state: ClusterState, name: string): ScheduleRec {
  checkScheduleName(name)
  const s = findSchedule(state, name)
  if (!s) {
    throw new ApiFailure(ScheduleRc.FAIL_NOT_FOUND_SCHEDULE, {message: `Schedule '${name}' not registered.`,
      cause: `The specified schedule '${name}' could not be found in the database`, correction: `Create a schedule with the name '${name}' first.`})
  }
  return s
}

function checkCron(cron: CronReader, expr: string, which: 'full' | 'inc', code: bigint): string {
  const problem = cron.problem(expr)
  if (problem) throw new ApiFailure(code, {message: `Error parsing ${which}-cron "${expr}": ${problem}`})
  return expr
}

function onFailureOf(raw: unknown): OnFailure | undefined {
  const v = asApiFailure(() => optString(raw, 'on_failure'))
  if (!v) return undefined
  const hit = (['SKIP', 'RETRY'] as const).find((x) => x === v.toUpperCase())
  // LINSTOR's valueOfIgnoreCase fails with an unhandled exception: an unknown error.
  if (!hit) throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: `'${v}' is not a valid on_failure; expected SKIP or RETRY.`})
  return hit
}

const COUNTS = [['keepLocal', 'keep_local'], ['keepRemote', 'keep_remote'], ['maxRetries', 'max_retries']] as const

/** The body's counts applied: absent or null keeps one, a negative one ("all", "forever" in the client) unsets it. */
function withCounts(rec: ScheduleRec, o: Record<string, unknown>): ScheduleRec {
  return COUNTS.reduce((r, [field, wire]) => {
    const n = asApiFailure(() => optInt(o[wire], wire, Number.MIN_SAFE_INTEGER, 2 ** 31 - 1))
    if (n === undefined) return r
    const {[field]: _old, ...rest} = r
    return n < 0 ? rest : {...rest, [field]: n}
  }, rec)
}

/** "Schedule: x, FullCron: …, IncCron: …": LINSTOR describes the crons in words; Cairn shows them. */
const described = (s: ScheduleRec): string => `Schedule: ${s.name}, FullCron: '${s.fullCron}'${s.incCron ? `, IncCron: '${s.incCron}'` : ''}`

/** A stored schedule with the reply's texts. */
export interface ScheduleWrite {changes: Change[], schedule: ScheduleRec, message: string, details: string}

/** POST /v1/schedules (Schedule). */
export function createSchedule(state: ClusterState, body: unknown, ids: Ids, cron: CronReader): ScheduleWrite {
  const o = asApiFailure(() => object(body ?? {}, 'schedule'))
  const name = asApiFailure(() => optString(o.schedule_name, 'schedule_name')) ?? ''
  checkScheduleName(name)
  if (findSchedule(state, name)) {
    throw new ApiFailure(ScheduleRc.FAIL_EXISTS_SCHEDULE, {message: `A schedule with the name '${name}' already exists. ` +
      'Please use a different name or try to modify the schedule instead.'})
  }
  const onFailure = onFailureOf(o.on_failure) ?? 'SKIP'
  const fullCron = checkCron(cron, asApiFailure(() => optString(o.full_cron, 'full_cron')) ?? '', 'full', ScheduleRc.FAIL_CRON)
  const inc = asApiFailure(() => optString(o.inc_cron, 'inc_cron'))
  const incCron = inc ? {incCron: checkCron(cron, inc, 'inc', ScheduleRc.FAIL_CRON)} : {}
  const schedule = withCounts({name, uuid: ids.uuid(), fullCron, ...incCron, onFailure}, o)
  return {changes: [{t: 'schedules', k: nameKey(name), v: schedule}], schedule,
    message: `${described(schedule)} created successfully.`, details: `${described(schedule)} UUID is: ${schedule.uuid}`}
}

/**
 * PUT /v1/schedules/{name} (ScheduleModify): fields left out keep their values, an empty
 * inc_cron removes the incremental cron, negative counts go back to "all" / "forever".
 */
export function modifySchedule(state: ClusterState, name: string, body: unknown, cron: CronReader): ScheduleWrite {
  const old = loadSchedule(state, name)
  const o = asApiFailure(() => object(body ?? {}, 'schedule'))
  // LINSTOR reports a bad cron in a modify as an unknown error.
  const full = asApiFailure(() => optString(o.full_cron, 'full_cron'))
  const inc = asApiFailure(() => optString(o.inc_cron, 'inc_cron'))
  const {incCron: _inc, ...noInc} = old
  let schedule: ScheduleRec = inc === undefined ? old : inc === '' ? noInc : {...old, incCron: checkCron(cron, inc, 'inc', Rc.FAIL_UNKNOWN_ERROR)}
  if (full) schedule = {...schedule, fullCron: checkCron(cron, full, 'full', Rc.FAIL_UNKNOWN_ERROR)}
  schedule = withCounts({...schedule, onFailure: onFailureOf(o.on_failure) ?? schedule.onFailure}, o)
  const what = full || inc !== undefined ? described(schedule) : `Schedule: ${old.name}`
  return {changes: [{t: 'schedules', k: nameKey(old.name), v: schedule}], schedule,
    message: `${what} modified successfully.`, details: `${what} UUID is: ${schedule.uuid}`}
}
