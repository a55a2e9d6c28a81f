// The schedule runner with real one-second crons (node-cron's seconds field) and a fake backup
// service: full backups at the full cron, incremental ones in between (a full one first), retries
// as on_failure and max_retries say, pruning to keep_local and keep_remote, and reacting to
// disable and schedule changes without a restart.
import assert from 'node:assert/strict'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterEach, describe, test} from 'node:test'
import type {Backup} from '../../src/api/wire.ts'
import type {Logger} from '../../src/common/log.ts'
import type {BackupOutcome, BackupService, BackupStart} from '../../src/controller/backups/backup-service.ts'
import {startScheduleRunner, type ScheduleRunner} from '../../src/controller/backups/schedule-runner.ts'
import {setBackupSchedule} from '../../src/controller/model/backup-schedule.ts'
import {nodeCronReader} from '../../src/controller/backups/cron.ts'
import {createSchedule, modifySchedule} from '../../src/controller/model/schedule.ts'
import {findShipping} from '../../src/controller/model/scheduled-shipping.ts'
import {applyChanges, key2, type ClusterState} from '../../src/controller/model/state.ts'
import type {ReportBook} from '../../src/controller/reports/report-book.ts'
import type {Store} from '../../src/controller/store/store.ts'
import {waitFor} from '../support/cluster.ts'
import {cluster} from '../support/schedules.ts'

const quiet: Logger = {error() {}, warn() {}, info() {}, debug() {}, child: () => quiet}

function memoryStore(state: ClusterState): Store & {closed: boolean} {
  const store = {
    state, closed: false,
    commit: async (c: readonly Parameters<typeof applyChanges>[1][number][]) => {
      if (store.closed) throw new Error('store closed')
      applyChanges(state, c)
      state.seq++
    },
    compact: async () => {},
    close: async () => void (store.closed = true),
  }
  return store
}

interface Call {rsc: string, node?: string, incremental: boolean, at: number}

/** Backups that take a snapshot in the store and succeed, unless `failing` says otherwise. */
class FakeBackups implements BackupService {
  calls: Call[] = []
  remote: Backup[] = []
  removed: string[] = []
  failing = (_n: number): string | undefined => undefined
  private n = 0
  private readonly store: Store
  constructor(store: Store) {
    this.store = store
  }

  async create(_remote: string, req: {rsc: string, node?: string, incremental: boolean}): Promise<BackupStart> {
    this.calls.push({rsc: req.rsc, node: req.node, incremental: req.incremental, at: Date.now()})
    const snap = `back_${++this.n}`
    await this.store.commit([{t: 'snapDfns', k: key2(req.rsc, snap), v: {rscDfn: req.rsc, name: snap, props: {}, flags: ['SUCCESSFUL'], vlms: [],
      uuid: snap, createTs: Date.now()}}])
    const base = req.incremental ? this.remote.findLast((b) => b.origin_rsc === req.rsc) : undefined
    const id = `${req.rsc}_${snap}`
    const error = this.failing(this.n)
    this.remote.push({id, origin_rsc: req.rsc, origin_snap: snap, vlms: [], success: !error, ...(base ? {based_on_id: base.id} : {}),
      ...(error ? {fail_messages: error} : {})})
    return {id, snap, incremental: base !== undefined}
  }

  async settled(_remote: string, _rsc: string, snap: string): Promise<BackupOutcome> {
    const b = this.remote.find((x) => x.origin_snap === snap)
    return b?.success ? {success: true} : {success: false, error: b?.fail_messages ?? 'unknown'}
  }

  async list(_remote: string, rsc: string): Promise<Backup[]> {
    return this.remote.filter((b) => b.origin_rsc === rsc)
  }

  async remove(_remote: string, id: string): Promise<void> {
    const gone = new Set([id])
    for (const b of this.remote) if (b.based_on_id && gone.has(b.based_on_id)) gone.add(b.id)
    this.removed.push(...gone)
    this.remote = this.remote.filter((b) => !gone.has(b.id))
  }
}

function setup(remoteKind: 'linstor' | 's3', schedule: Record<string, unknown>, retryDelayMs = 100) {
  const {state, ids} = cluster(remoteKind)
  const store = memoryStore(state)
  applyChanges(state, createSchedule(state, {schedule_name: 'fast', ...schedule}, ids, nodeCronReader).changes)
  applyChanges(state, setBackupSchedule(state, 'rem1', 'fast', {rsc_name: 'r1', node_name: 'n2'}, true).changes)
  const backups = new FakeBackups(store)
  const reports: string[] = []
  const book = {add: (r: {message: string}) => (reports.push(r.message), `R${reports.length}`)} as Partial<ReportBook> as ReportBook
  runner = startScheduleRunner({store, backups, log: quiet, reports: book, retryDelayMs, pollMs: 50})
  return {state, ids, store, backups, reports, runner}
}

let runner: ScheduleRunner | undefined
afterEach(() => runner?.stop())

/** A cron that fires once a minute, `ahead` seconds from now. */
const inSeconds = (ahead: number): string => `${(new Date().getSeconds() + ahead) % 60} * * * * *`

describe('schedule runner', () => {
  test('full backups at the full cron, incremental ones in between, never both at once; pruned to the keep counts', async () => {
    const {state, backups} = setup('s3', {full_cron: '*/3 * * * * *', inc_cron: '* * * * * *', keep_local: 2, keep_remote: 1})
    await waitFor('three full backups', async () => (backups.calls.filter((c) => !c.incremental).length >= 3 ? true : undefined), 20_000)
    // The fake settles at once: the last one is recorded and pruned well before the next slot.
    await sleep(300)
    runner?.stop()
    const seconds = backups.calls.map((c) => Math.floor(c.at / 1000))
    assert.equal(new Set(seconds).size, seconds.length, 'one backup per slot')
    backups.calls.forEach((c, i) => {
      const fullSlot = Math.floor(c.at / 1000) % 60 % 3 === 0
      assert.equal(c.incremental, !fullSlot && i > 0, `call ${i} at second ${new Date(c.at).getSeconds()}`)
      assert.equal(c.node, 'n2', 'the preferred node of the pair')
    })
    // keep_remote 1: only the newest full backup and its incrementals are left at the remote.
    const fulls = backups.remote.filter((b) => !b.based_on_id)
    assert.equal(fulls.length, 1)
    assert.ok(backups.remote.every((b) => !b.based_on_id || b.based_on_id === fulls[0]?.id))
    // keep_local 2: the snapshots of the two newest full backups and their incrementals stay.
    const rec = findShipping(state, {rsc: 'r1', remote: 'rem1', schedule: 'fast'})
    const kept = Object.values(state.snapDfns).filter((d) => !d.flags.includes('DELETE')).map((d) => d.name)
    assert.deepEqual(kept.sort(), (rec?.chains ?? []).flatMap((c) => [c.full.snap, ...c.incs.map((x) => x.snap)]).sort())
    assert.equal(rec?.chains.length, 2)
    assert.deepEqual(rec?.last?.incremental, backups.calls.at(-1)?.incremental)
  })

  test('RETRY with max_retries: the failed backup is tried again that many times, each failure an error report', async () => {
    const {backups, reports, runner: r} = setup('linstor', {full_cron: inSeconds(1), on_failure: 'RETRY', max_retries: 2})
    backups.failing = () => 'remote unreachable'
    await waitFor('three attempts', async () => (backups.calls.length >= 3 ? true : undefined), 5000)
    await sleep(400)
    assert.equal(backups.calls.length, 3, 'one attempt and two retries')
    assert.equal(reports.length, 3)
    assert.match(reports[0] ?? '', /^Scheduled backup of resource 'r1' to remote 'rem1' \(schedule 'fast'\) failed: remote unreachable$/)
    assert.ok((backups.calls[2]?.at ?? 0) - (backups.calls[1]?.at ?? 0) >= 90, 'after the retry delay')
    assert.equal(r.runtime({rsc: 'r1', remote: 'rem1', schedule: 'fast'})?.retry, undefined, 'then the next slot is awaited')
  })

  test('RETRY without max_retries retries until it succeeds; the success is recorded', async () => {
    const {state, backups, reports} = setup('linstor', {full_cron: inSeconds(1), on_failure: 'RETRY'})
    backups.failing = (n) => (n <= 3 ? 'busy' : undefined)
    await waitFor('a success', async () => (findShipping(state, {rsc: 'r1', remote: 'rem1', schedule: 'fast'})?.last ? true : undefined), 5000)
    assert.equal(backups.calls.length, 4)
    assert.equal(reports.length, 3)
    const rec = findShipping(state, {rsc: 'r1', remote: 'rem1', schedule: 'fast'})
    assert.deepEqual(rec?.chains.map((c) => [c.full.snap, c.full.ok]), [['back_1', false], ['back_2', false], ['back_3', false], ['back_4', true]])
  })

  test('SKIP: a failure waits for the next slot', async () => {
    const {backups, reports, runner: r} = setup('linstor', {full_cron: inSeconds(1)})
    backups.failing = () => 'nope'
    await waitFor('an attempt', async () => (backups.calls.length ? true : undefined), 5000)
    await sleep(400)
    assert.deepEqual([backups.calls.length, reports.length], [1, 1])
    assert.equal(r.runtime({rsc: 'r1', remote: 'rem1', schedule: 'fast'})?.retry, undefined)
  })

  test('disable, enable and a changed cron take effect without a restart; stop cancels everything', async () => {
    const {state, store, backups} = setup('linstor', {full_cron: '* * * * * *'})
    await waitFor('a backup', async () => (backups.calls.length ? true : undefined), 5000)
    await store.commit(setBackupSchedule(state, 'rem1', 'fast', {rsc_name: 'r1'}, false).changes)
    await sleep(200)
    const disabledAt = backups.calls.length
    await sleep(1500)
    assert.equal(backups.calls.length, disabledAt, 'nothing while disabled')
    await store.commit(setBackupSchedule(state, 'rem1', 'fast', {rsc_name: 'r1'}, true).changes)
    await store.commit(modifySchedule(state, 'fast', {full_cron: inSeconds(2)}, nodeCronReader).changes)
    const before = backups.calls.length
    await waitFor('a backup at the new time', async () => (backups.calls.length > before ? true : undefined), 5000)
    assert.equal(new Date(backups.calls.at(-1)?.at ?? 0).getSeconds(), Number(state.schedules.FAST?.fullCron.split(' ')[0]))
    runner?.stop()
    applyChanges(state, modifySchedule(state, 'fast', {full_cron: '* * * * * *'}, nodeCronReader).changes)
    state.seq++
    const stoppedAt = backups.calls.length
    await sleep(1200)
    assert.equal(backups.calls.length, stoppedAt, 'nothing after stop')
  })
})
