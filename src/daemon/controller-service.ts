// Starts the controller: durable store, satellite link, REST API. Returns a stop function.
import {randomUUID} from 'node:crypto'
import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import {setFlagsFromString} from 'node:v8'
import type {Settings} from '../common/config.ts'
import type {Logger} from '../common/log.ts'
import {startSatelliteLink, type SatelliteLink} from '../controller/link/satellite-link.ts'
import type {Ids} from '../controller/model/api-failure.ts'
import {completeDeletions} from '../controller/model/deletion.ts'
import {completeExtFileDeletions} from '../controller/model/external-file.ts'
import {completeSnapshots} from '../controller/model/snapshot.ts'
import {completeClones} from '../controller/model/clone.ts'
import {completeRollbacks} from '../controller/model/rollback.ts'
import {completeEvacuations} from '../controller/model/evacuation.ts'
import {completeDiskToggles} from '../controller/model/toggle-disk.ts'
import {startLifecycleTasks} from '../controller/tasks/lifecycle-tasks.ts'
import type {SatelliteReport} from '../protocol/messages.ts'
import {defaultGroupChanges} from '../controller/model/resource-group.ts'
import {buildApp} from '../controller/rest/app.ts'
import {openReportBook, type ReportBook} from '../controller/reports/report-book.ts'
import {openJournalStore} from '../controller/store/journal-store.ts'
import type {Store} from '../controller/store/store.ts'
import {ensureSecret, replaceSecret} from './cluster-secret.ts'
import {autoUnlock} from './auto-unlock.ts'
import {createCryptHolder} from '../controller/crypt-holder.ts'
import {authSetup} from './auth-setup.ts'
import {startRestListeners} from './rest-listeners.ts'
import {lockDataDir} from './pid-lock.ts'
import {sosSetup} from './sos-setup.ts'
import {CLUSTER_ID_PROP, createBackups, type Backups} from '../controller/backups/backups.ts'
import {startScheduleRunner} from '../controller/backups/schedule-runner.ts'
import {CTRL, ctrlPropsOf} from '../controller/model/controller-props.ts'

/**
 * V8 flags of a controller (issue 3: RSS at 10,000 resource definitions). Satellite reports and
 * rendered views are kept until the next ones, so garbage keeps outliving the young generation;
 * by default V8 then grows the young generation to 64 MB and lets the old one reach several
 * times what is live before it collects (about 500 MiB RSS where 80 MiB are live). The
 * young generation pinned at its initial size and the old one grown by half between collections
 * keep the RSS near 250 MiB, for some more collector work while the cluster is loaded. V8 reads
 * both when it decides, so they can be set after start-up (as the satellite's, run-daemon.ts).
 */
export const CONTROLLER_V8_FLAGS = '--semi-space-growth-factor=1 --heap-growing-percent=50'

export interface RunningController {store: Store, link: SatelliteLink, reports: ReportBook, ids: Ids, address: string, pending: Set<string>, stop(): Promise<void>}

export async function startController(s: Settings, log: Logger, pending = new Set<string>()): Promise<RunningController> {
  setFlagsFromString(CONTROLLER_V8_FLAGS)
  const dbDir = join(s['data-dir'], 'db')
  await mkdir(dbDir, {recursive: true, mode: 0o700})
  const unlock = await lockDataDir(s['data-dir'])
  const store = await openJournalStore({dir: dbDir})
  const ids: Ids = {uuid: randomUUID, now: Date.now}
  await store.commit(defaultGroupChanges(store.state, ids))
  // LINSTOR's cluster id: another cluster names it to accept shipments from this one.
  if (!ctrlPropsOf(store.state)[CLUSTER_ID_PROP]) {
    await store.commit([{t: 'ctrlProps', k: CTRL, v: {props: {...ctrlPropsOf(store.state), [CLUSTER_ID_PROP]: randomUUID()}}}])
  }
  const reports = await openReportBook(join(s['data-dir'], 'reports'), log.child({module: 'reports'}))
  const secret = await ensureSecret(s['data-dir'], s['cluster-secret'])
  // Before the link starts, so that the first syncs already carry the LUKS keys.
  const crypt = createCryptHolder()
  await autoUnlock(store, crypt, s['master-passphrase'], log.child({module: 'encryption'}))
  const link: SatelliteLink = startSatelliteLink({
    store, secret, log: log.child({module: 'link'}), masterKey: crypt.masterKey,
    // Second steps: drop records whose volumes the satellites no longer hold, mark snapshots taken.
    onReport: async (node) => {
      const report = link.runtime(node).report
      if (report) reports.ingest(node, report.instance, report.version, report.errors)
      const reportOf = (n: string): SatelliteReport | undefined => link.runtime(n).report
      const changes = [...completeDeletions(store.state, reportOf), ...completeSnapshots(store.state, reportOf), ...completeClones(store.state, reportOf),
        ...completeRollbacks(store.state, reportOf), ...completeExtFileDeletions(store.state, reportOf), ...completeEvacuations(store.state, reportOf),
        ...completeDiskToggles(store.state, reportOf)]
      if (changes.length) await store.commit(changes)
      await backups.onReport()
    },
  })
  const backups: Backups = createBackups({store, link, ids, log: log.child({module: 'backups'}), reports, masterKey: crypt.masterKey})
  // Scheduled backups: node-cron tasks that drive the backup service.
  const schedules = startScheduleRunner({store, backups, log: log.child({module: 'schedules'}), reports})
  const auth = authSetup(s, log.child({module: 'auth'}))
  // The app needs autoHttps, which needs the listeners, which need the app: bind it late.
  let listeners: Awaited<ReturnType<typeof startRestListeners>> | undefined
  // Before the app: node views show when the lifecycle tasks will evict an offline node.
  const lifecycle = startLifecycleTasks({store, link, ids, log: log.child({module: 'lifecycle'})})
  const app = buildApp({store, link, ids, reports, log: log.child({module: 'rest'}), pending, auth, crypt, backups, schedules, sos: sosSetup(s, log, secret),
    offlineSince: lifecycle.offlineSince,
    autoHttps: () => (listeners as NonNullable<typeof listeners>).autoHttps(),
    persistSecret: s['cluster-secret'] ? undefined : (next) => replaceSecret(s['data-dir'], next)})
  try {
    listeners = await startRestListeners(app, s, log.child({module: 'rest'}))
  } catch (e) {
    lifecycle.stop()
    schedules.stop()
    auth.stop()
    link.stop()
    await store.close()
    await unlock()
    throw e
  }
  const address = listeners.addresses.join(', ')
  log.info('controller REST API listening', {address, data_dir: s['data-dir']})
  return {
    store, link, reports, ids, address, pending,
    async stop() {
      lifecycle.stop()
      schedules.stop()
      link.stop()
      auth.stop()
      await listeners?.stop()
      await store.close()
      await reports.flush()
      await unlock()
    },
  }
}
