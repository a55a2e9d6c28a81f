// Runs the backup schedules. node-cron tasks fire each schedule's full and incremental crons;
// every shipping of the schedule then makes a backup through the BackupService, waits for it,
// records it and prunes to keep_local and keep_remote. A failed backup files an error report;
// with on_failure RETRY it is tried again after a minute (as LINSTOR does), at most max_retries
// times, else the next slot is awaited. Which shippings are in force is read again whenever the
// store changes, so schedules, enable/disable and new resources take effect without a restart.
import {schedule as cronTask, type ScheduledTask} from 'node-cron'
import {nameKey} from '../../common/names.ts'
import type {Logger} from '../../common/log.ts'
import {ApiFailure} from '../model/api-failure.ts'
import {activeShippings, type Shipping} from '../model/backup-schedule.ts'
import {findRemote} from '../model/remote.ts'
import {findSchedule, type ScheduleRec} from '../model/schedule.ts'
import {forgetGone, findShipping, hasBase, localPrune, recordRun, remotePrune, shippingKey, staleShippings,
  type RuntimeOf} from '../model/scheduled-shipping.ts'
import {markSnapshotDeleted} from '../model/snapshot.ts'
import {key2, type Change} from '../model/state.ts'
import type {ReportBook} from '../reports/report-book.ts'
import type {Store} from '../store/store.ts'
import type {BackupService, BackupStart} from './backup-service.ts'

export interface ScheduleRunnerDeps {
  store: Store
  backups: BackupService
  log: Logger
  reports: ReportBook
  /** The wait before a retry; LINSTOR waits 60 s. */
  retryDelayMs?: number
  /** How often the store is checked for changes; 1 s by default. */
  pollMs?: number
}

export interface ScheduleRunner {
  /** Whether a shipping's backup runs or waits for a retry, for list-by-resource. */
  runtime: RuntimeOf
  /** Cancels the cron tasks and retries; backups already started finish without being recorded. */
  stop(): void
}

const RETRY_DELAY_MS = 60_000
const POLL_MS = 1000

type Kind = 'full' | 'inc'
/** Two slots for one run: a full one covers an incremental one. */
const merged = (a: Kind | undefined, b: Kind): Kind => (a === 'full' || b === 'full' ? 'full' : 'inc')

interface Job {
  shipping: Shipping
  running: boolean
  /** A slot that fired while a backup was running: made as soon as that one ends. */
  queued?: Kind
  retry?: {timer: NodeJS.Timeout, kind: Kind, at: number}
  /** Retries since the last success. */
  retries: number
}

interface Crons {fullCron: string, incCron?: string, tasks: ScheduledTask[]}

export function startScheduleRunner(deps: ScheduleRunnerDeps): ScheduleRunner {
  const {store, backups, log, reports} = deps
  const retryDelay = deps.retryDelayMs ?? RETRY_DELAY_MS
  const jobs = new Map<string, Job>()
  const crons = new Map<string, Crons>()
  let seen = -1
  let stopped = false
  const cronLog = {info: (m: string) => log.debug(m), warn: (m: string) => log.warn(m),
    error: (m: string | Error, e?: Error) => log.error(String(m), {error: e}), debug: (m: string | Error) => log.debug(String(m))}

  // After stop the store may be closed: nothing is committed any more.
  const commit = async (changes: Change[]): Promise<void> => {
    if (!stopped && changes.length) await store.commit(changes)
  }
  const fields = (s: Shipping): Record<string, string> => ({rsc: s.rsc, remote: s.remote, schedule: s.schedule})
  const current = (job: Job): boolean => !stopped && jobs.get(shippingKey(job.shipping)) === job

  function tasksOf(rec: ScheduleRec): Crons {
    const opts = (kind: Kind) => ({name: `schedule ${rec.name} ${kind}`, logger: cronLog, unref: true})
    const full = cronTask(rec.fullCron, () => fire(rec.name, 'full'), opts('full'))
    // When both crons fire at once only the full backup is made.
    const inc = rec.incCron ? [cronTask(rec.incCron, (ctx) => {
      if (!full.match(ctx.date)) fire(rec.name, 'inc')
    }, opts('inc'))] : []
    return {fullCron: rec.fullCron, incCron: rec.incCron, tasks: [full, ...inc]}
  }

  function fire(schedule: string, kind: Kind): void {
    for (const job of jobs.values()) if (nameKey(job.shipping.schedule) === nameKey(schedule)) trigger(job, kind)
  }

  /** A slot: replaces a waiting retry, waits for a running backup, else starts one. */
  function trigger(job: Job, slot: Kind): void {
    let kind = slot
    if (job.retry) {
      clearTimeout(job.retry.timer)
      kind = merged(job.retry.kind, kind)
      job.retry = undefined
    }
    if (job.running) job.queued = merged(job.queued, kind)
    else void run(job, kind)
  }

  async function run(job: Job, kind: Kind): Promise<void> {
    job.running = true
    try {
      await ship(job, kind)
    } catch (e) {
      log.error('scheduled backup bookkeeping failed', {...fields(job.shipping), error: (e as Error).stack ?? String(e)})
    } finally {
      job.running = false
      const next = job.queued
      job.queued = undefined
      if (next && current(job)) trigger(job, next)
    }
  }

  async function ship(job: Job, kind: Kind): Promise<void> {
    const s = job.shipping
    const incremental = kind === 'inc' && hasBase(findShipping(store.state, s))
    const time = Date.now()
    let start: BackupStart | undefined
    try {
      start = await backups.create(s.remote, {rsc: s.rsc, ...(s.prefNode ? {node: s.prefNode} : {}), incremental})
      const outcome = await backups.settled(s.remote, s.rsc, start.snap)
      if (!outcome.success) throw new Error(outcome.error ?? 'the backup did not complete')
    } catch (e) {
      return failed(job, kind, e as Error, start && {...start, time})
    }
    // A schedule deleted meanwhile stops here: nothing recorded, nothing pruned.
    if (stopped || !findSchedule(store.state, s.schedule)) return
    job.retries = 0
    await commit(recordRun(store.state, s, {snap: start.snap, id: start.id, time, incremental: start.incremental, ok: true}))
    log.info('scheduled backup made', {...fields(s), backup: start.id, incremental: start.incremental})
    await prune(s)
  }

  async function failed(job: Job, kind: Kind, err: Error, made: (BackupStart & {time: number}) | undefined): Promise<void> {
    if (stopped) return
    const s = job.shipping
    const schedule = findSchedule(store.state, s.schedule)
    const message = `Scheduled backup of resource '${s.rsc}' to remote '${s.remote}' (schedule '${s.schedule}') failed: ${err.message}`
    const report = reports.add({module: 'schedules', message, exception: err.name,
      details: [err instanceof ApiFailure ? err.text.details : undefined, err.stack].filter(Boolean).join('\n\n')})
    // Its snapshot is the first keep_local lets go.
    if (made && schedule) await commit(recordRun(store.state, s, {...made, ok: false}))
    const retry = schedule?.onFailure === 'RETRY' && current(job) && (schedule.maxRetries === undefined || job.retries < schedule.maxRetries)
    log.error('scheduled backup failed', {...fields(s), error: err.message, report, ...(retry ? {retry: job.retries + 1} : {})})
    if (!retry) {
      job.retries = 0
      return
    }
    job.retries++
    const timer = setTimeout(() => {
      job.retry = undefined
      void run(job, kind)
    }, retryDelay)
    timer.unref()
    job.retry = {timer, kind, at: Date.now() + retryDelay}
  }

  /** keep_local: local snapshots of the oldest (and failed) full backups; keep_remote: full backups at an S3 remote. */
  async function prune(s: Shipping): Promise<void> {
    const schedule = findSchedule(store.state, s.schedule)
    const remote = findRemote(store.state, s.remote)
    if (!schedule || !remote) return
    const exists = (snap: string): boolean => {
      const d = store.state.snapDfns[key2(s.rsc, snap)]
      return d !== undefined && !d.flags.includes('DELETE')
    }
    try {
      for (const snap of localPrune(findShipping(store.state, s), schedule.keepLocal, exists)) {
        await commit(markSnapshotDeleted(store.state, s.rsc, snap) ?? [])
        log.info('snapshot deleted (keep-local)', {...fields(s), snapshot: snap, keep: schedule.keepLocal})
      }
      let remoteFulls: Set<string> | undefined
      // Only at an S3 remote: a cluster does not delete another cluster's backups.
      if (remote.kind === 's3') {
        remoteFulls = new Set((await backups.list(s.remote, s.rsc)).filter((b) => !b.based_on_id && b.success !== false).map((b) => b.id))
        for (const id of remotePrune(findShipping(store.state, s), schedule.keepRemote, remoteFulls)) {
          await backups.remove(s.remote, id)
          remoteFulls.delete(id)
          log.info('backup deleted (keep-remote)', {...fields(s), backup: id, keep: schedule.keepRemote})
        }
      }
      await commit(forgetGone(store.state, s, exists, remoteFulls))
    } catch (e) {
      const err = e as Error
      const report = reports.add({module: 'schedules', message: `Pruning the backups of resource '${s.rsc}' at remote '${s.remote}' ` +
        `(schedule '${s.schedule}') failed: ${err.message}`, exception: err.name, details: err.stack})
      log.error('pruning scheduled backups failed', {...fields(s), error: err.message, report})
    }
  }

  /** Jobs for the shippings in force, cron tasks for their schedules; records of what is gone are dropped. */
  function reconcile(): void {
    seen = store.state.seq
    const active = new Map(activeShippings(store.state).map((s) => [shippingKey(s), s]))
    for (const [k, job] of jobs) {
      if (active.has(k)) continue
      if (job.retry) clearTimeout(job.retry.timer)
      jobs.delete(k)
    }
    for (const [k, s] of active) {
      const job = jobs.get(k)
      if (job) job.shipping = s
      else jobs.set(k, {shipping: s, running: false, retries: 0})
    }
    const wanted = new Map([...active.values()].flatMap((s) => {
      const rec = findSchedule(store.state, s.schedule)
      return rec ? [[nameKey(rec.name), rec] as const] : []
    }))
    for (const [k, c] of crons) {
      const rec = wanted.get(k)
      if (rec?.fullCron === c.fullCron && rec.incCron === c.incCron) continue
      for (const t of c.tasks) void t.destroy()
      crons.delete(k)
    }
    for (const [k, rec] of wanted) if (!crons.has(k)) crons.set(k, tasksOf(rec))
    void commit(staleShippings(store.state)).catch((e: Error) => log.error('dropping stale schedule records failed', {error: e.message}))
  }

  reconcile()
  const poll = setInterval(() => {
    if (store.state.seq !== seen) reconcile()
  }, deps.pollMs ?? POLL_MS)
  poll.unref()

  return {
    runtime(s) {
      const job = jobs.get(shippingKey(s))
      if (!job) return undefined
      const retry = job.retry && {at: job.retry.at, incremental: job.retry.kind === 'inc' && hasBase(findShipping(store.state, s))}
      return {running: job.running, ...(retry ? {retry} : {})}
    },
    stop() {
      stopped = true
      clearInterval(poll)
      for (const c of crons.values()) for (const t of c.tasks) void t.destroy()
      crons.clear()
      for (const job of jobs.values()) if (job.retry) clearTimeout(job.retry.timer)
      jobs.clear()
    },
  }
}
