// What each shipping (resource definition, remote, schedule) has shipped: its chains, a full
// backup with the incremental ones based on it, oldest first, and its last successful backup.
// From them: whether the next backup can be incremental, which local snapshots keep_local and
// which remote backups keep_remote let go (LINSTOR's checkKeepLocal and checkKeepRemote), and
// the list-by-resource view. Pure.
import type {ScheduledRscs, ScheduledRscsList} from '../../api/wire.ts'
import {compareNames, nameKey} from '../../common/names.ts'
import {activeShippings, isDeployed, pairsOf, type Shipping} from './backup-schedule.ts'
import {findSchedule, type CronReader, type ScheduleRec} from './schedule.ts'
import type {Change, ClusterState} from './state.ts'

/** One scheduled backup: its local snapshot, its id on the remote, when it started, whether it succeeded. */
export interface ShippedSnap {snap: string, id: string, time: number, ok: boolean}
export interface ShippingChain {full: ShippedSnap, incs: ShippedSnap[]}

export interface ScheduledShippingRec {
  rscDfn: string
  remote: string
  schedule: string
  chains: ShippingChain[]
  /** The last backup that succeeded; LINSTOR's LastBackupTime and LastBackupInc. */
  last?: {time: number, incremental: boolean}
}

export const shippingKey = (s: {rsc: string, remote: string, schedule: string}): string => `${nameKey(s.rsc)}/${nameKey(s.remote)}/${nameKey(s.schedule)}`

export const findShipping = (state: ClusterState, s: Shipping): ScheduledShippingRec | undefined => state.scheduledShippings[shippingKey(s)]

/** An incremental backup needs a full one of this schedule to be based on; until then the schedule makes full ones. */
export const hasBase = (rec: ScheduledShippingRec | undefined): boolean => rec?.chains.some((c) => c.full.ok) ?? false

export interface Run {snap: string, id: string, time: number, incremental: boolean, ok: boolean}

/** Records a finished backup: an incremental one joins the newest successful full backup's chain, a full one starts a chain. */
export function recordRun(state: ClusterState, s: Shipping, run: Run): Change[] {
  const rec = findShipping(state, s) ?? {rscDfn: s.rsc, remote: s.remote, schedule: s.schedule, chains: []}
  const shipped: ShippedSnap = {snap: run.snap, id: run.id, time: run.time, ok: run.ok}
  const base = rec.chains.findLastIndex((c) => c.full.ok)
  const chains = run.incremental && base >= 0 ? rec.chains.map((c, i) => (i === base ? {...c, incs: [...c.incs, shipped]} : c))
    : [...rec.chains, {full: shipped, incs: []}]
  const last = run.ok ? {last: {time: run.time, incremental: run.incremental}} : {}
  return [{t: 'scheduledShippings', k: shippingKey(s), v: {...rec, chains, ...last}}]
}

const byTime = (a: ShippingChain, b: ShippingChain): number => a.full.time - b.full.time

/**
 * keep_local: the local snapshots to delete so that at most `keep` full-backup snapshots stay,
 * those of failed backups first, then the oldest; each goes with its chain's incremental
 * snapshots (listed before it). Nothing when keep is unset (all).
 */
export function localPrune(rec: ScheduledShippingRec | undefined, keep: number | undefined, exists: (snap: string) => boolean): string[] {
  if (keep === undefined || !rec) return []
  const fulls = rec.chains.filter((c) => exists(c.full.snap))
  const order = [...fulls.filter((c) => !c.full.ok).sort(byTime), ...fulls.filter((c) => c.full.ok).sort(byTime)]
  return order.slice(0, Math.max(0, order.length - keep)).flatMap((c) => [...c.incs.map((i) => i.snap).filter(exists), c.full.snap])
}

/**
 * keep_remote: the ids of this schedule's full backups to delete at the remote, oldest first, so
 * that `keep` stay (deleting one deletes its incrementals). `remoteFulls` are the successful full
 * backups the remote holds. Nothing when keep is unset (all).
 */
export function remotePrune(rec: ScheduledShippingRec | undefined, keep: number | undefined, remoteFulls: ReadonlySet<string>): string[] {
  if (keep === undefined || !rec) return []
  const ours = rec.chains.filter((c) => c.full.ok && remoteFulls.has(c.full.id)).sort(byTime)
  return ours.slice(0, Math.max(0, ours.length - keep)).map((c) => c.full.id)
}

/**
 * Forgets what neither side holds any more: snapshots gone locally, and chains with nothing left
 * locally that the remote does not hold either (`remoteFulls` undefined: not asked, the remote's
 * side is not tracked). Keeps the record small however long a schedule runs.
 */
export function forgetGone(state: ClusterState, s: Shipping, exists: (snap: string) => boolean, remoteFulls?: ReadonlySet<string>): Change[] {
  const rec = findShipping(state, s)
  if (!rec) return []
  const chains = rec.chains.flatMap((c): ShippingChain[] => {
    const incs = c.incs.filter((i) => exists(i.snap))
    const held = exists(c.full.snap) || incs.length > 0 || (c.full.ok && remoteFulls?.has(c.full.id) === true)
    return held ? [{full: c.full, incs}] : []
  })
  const same = chains.length === rec.chains.length && chains.every((c, i) => c.incs.length === rec.chains[i]?.incs.length)
  return same ? [] : [{t: 'scheduledShippings', k: shippingKey(s), v: {...rec, chains}}]
}

/** Records whose resource definition, remote or schedule no longer exists. */
export function staleShippings(state: ClusterState): Change[] {
  return Object.entries(state.scheduledShippings)
    .filter(([, r]) => !state.rscDfns[nameKey(r.rscDfn)] || !state.remotes[nameKey(r.remote)] || !findSchedule(state, r.schedule))
    .map(([k]): Change => ({t: 'scheduledShippings', k}))
}

/** The next full and incremental times of a schedule after `now`; undefined where there is none. */
export function plannedTimes(schedule: ScheduleRec, now: number, cron: CronReader): {full?: number, inc?: number} {
  return {full: cron.next(schedule.fullCron, now), inc: schedule.incCron ? cron.next(schedule.incCron, now) : undefined}
}

/** Which kind a slot makes: a full backup when both crons fire at once, an incremental one only with a base. */
export function nextRun(planned: {full?: number, inc?: number}, base: boolean): {time: number, incremental: boolean} | undefined {
  const {full, inc} = planned
  if (inc !== undefined && (full === undefined || inc < full)) return {time: inc, incremental: base}
  return full === undefined ? undefined : {time: full, incremental: false}
}

/** What the runner knows of a shipping: a backup running, or a retry waiting. */
export interface ShippingRuntime {running: boolean, retry?: {at: number, incremental: boolean}}
export type RuntimeOf = (s: Shipping) => ShippingRuntime | undefined

export interface ScheduledRscsFilter {rsc?: string, remote?: string, schedule?: string, activeOnly: boolean}

const REASON_NONE_SET = 'none set'
const REASON_DISABLED = 'disabled'
const REASON_UNDEPLOYED = 'undeployed'

/** A row without a shipping: LINSTOR leaves remote and schedule out; empty strings keep the contract's required fields. */
const reasonRow = (rsc: string, reason: string, remote = '', schedule = ''): ScheduledRscs =>
  ({rsc_name: rsc, remote_name: remote, schedule_name: schedule, reason, last_snap_time: -1, last_snap_inc: false, next_exec_time: -1,
    next_exec_inc: false, next_planned_full: -1, next_planned_inc: -1})

function activeRow(state: ClusterState, s: Shipping, now: number, runtime: ShippingRuntime | undefined, cron: CronReader): ScheduledRscs {
  const rec = findShipping(state, s)
  const planned = plannedTimes(findSchedule(state, s.schedule) as ScheduleRec, now, cron)
  const next = runtime?.running ? {time: -1, incremental: false} : runtime?.retry ? {time: runtime.retry.at, incremental: runtime.retry.incremental}
    : nextRun(planned, hasBase(rec)) ?? {time: -1, incremental: false}
  return {rsc_name: s.rsc, remote_name: s.remote, schedule_name: s.schedule, last_snap_time: rec?.last?.time ?? -1,
    last_snap_inc: rec?.last?.incremental ?? false, next_exec_time: next.time, next_exec_inc: next.incremental,
    next_planned_full: planned.full ?? -1, next_planned_inc: planned.inc ?? -1}
}

/** The reasons LINSTOR gives for a resource definition that ships nowhere (filtered by resource only, as LINSTOR does). */
function reasonRows(state: ClusterState, rsc: string | undefined): ScheduledRscs[] {
  return Object.values(state.rscDfns).filter((rd) => !rsc || nameKey(rd.name) === nameKey(rsc)).flatMap((rd) => {
    const pairs = pairsOf(state, rd)
    if (!pairs.length) return [reasonRow(rd.name, REASON_NONE_SET)]
    if (pairs.some((p) => p.enabled !== 'false')) return isDeployed(state, rd.name) ? [] : [reasonRow(rd.name, REASON_UNDEPLOYED)]
    return pairs.map((p) => reasonRow(rd.name, REASON_DISABLED, p.remote, p.schedule))
  })
}

/** GET /v1/view/schedules-by-resource: the shippings in force with their last and next backups, then (unless active-only) the reasons of the rest. */
export function scheduledRscs(state: ClusterState, f: ScheduledRscsFilter, now: number, runtime: RuntimeOf, cron: CronReader): ScheduledRscsList {
  const is = (want: string | undefined, name: string): boolean => !want || nameKey(want) === nameKey(name)
  const active = activeShippings(state).filter((s) => is(f.rsc, s.rsc) && is(f.remote, s.remote) && is(f.schedule, s.schedule))
    .map((s) => activeRow(state, s, now, runtime(s), cron))
  const rows = [...active, ...(f.activeOnly ? [] : reasonRows(state, f.rsc))]
  return {data: rows.sort((a, b) => compareNames(a.rsc_name, b.rsc_name) || compareNames(a.remote_name, b.remote_name) ||
    compareNames(a.schedule_name, b.schedule_name))}
}
