// What the REST routers need, passed in from main so that tests can build an app without I/O
// beyond the store they choose.
import type {Logger} from '../../common/log.ts'
import type {Backups} from '../backups/backups.ts'
import type {ScheduleRunner} from '../backups/schedule-runner.ts'
import type {CryptHolder} from '../crypt-holder.ts'
import type {SatelliteLink} from '../link/satellite-link.ts'
import type {Ids} from '../model/api-failure.ts'
import type {InUse} from '../model/in-use.ts'
import type {AuthSetup} from './auth-gate.ts'
import type {PlacementFacts} from '../model/resource.ts'
import type {ToggleDiskFacts} from '../model/toggle-disk.ts'
import {drbdOf} from '../../protocol/report-lookup.ts'
import type {ReportBook} from '../reports/report-book.ts'
import type {SosSetup} from '../reports/sos-collect.ts'
import type {Store} from '../store/store.ts'

export interface RestDeps {
  /** Where and with what settings `sos-report` works; absent: the sos-report endpoints refuse. */
  sos?: SosSetup
  store: Store
  link: SatelliteLink
  ids: Ids
  reports: ReportBook
  log: Logger
  /** Services of this process that are not running yet; /health is 500 until it is empty. */
  pending: Set<string>
  /** The master key in memory (encryption.ts); the encryption routes supply one when absent. */
  crypt?: CryptHolder
  /** Basic users and client certificates; bearer tokens need nothing here. Absent: tokens only. */
  auth?: AuthSetup
  /**
   * Turns HTTPS on where no certificate was configured, with a self-signed one (LINSTOR's
   * Rest/AutoHttps when token auth is initialised); answers the HTTPS base URL.
   */
  autoHttps?: () => Promise<string>
  /** Backups to S3 remotes and shipments; absent: the backup endpoints refuse. */
  backups?: Backups
  /** The backup schedule runner: what runs or waits for a retry, for list-by-resource. Absent: nothing does. */
  schedules?: Pick<ScheduleRunner, 'runtime'>
  /** Writes a rotated cluster secret to the controller's file; absent when the secret comes from the configuration. */
  persistSecret?: (next: string) => Promise<void>
  /** Since when auto-evict counts the node offline (the lifecycle tasks' timer); absent: no eviction_timestamp. */
  offlineSince?: (node: string) => number | undefined
}

export function placementFacts(link: SatelliteLink): PlacementFacts {
  return {
    online: (n) => link.runtime(n).status === 'ONLINE',
    layers: (n) => link.runtime(n).report?.layers.supported,
    providers: (n) => link.runtime(n).report?.providers.supported,
    capacity: (n, p) => {
      const r = link.runtime(n).report?.pools[p]
      return r?.freeKib !== undefined && r.totalKib !== undefined ? {freeKib: r.freeKib, totalKib: r.totalKib} : undefined
    },
  }
}

/** A resource is in use where its node's latest report says its DRBD device is open. */
export const inUse = (deps: RestDeps): InUse => (rsc, node) => drbdOf(deps.link.runtime(node).report, rsc)?.inUse === true

/** What toggle-disk needs of the satellites' reports. */
export const toggleDiskFacts = (deps: RestDeps): ToggleDiskFacts =>
  ({placement: placementFacts(deps.link), reportOf: (n) => deps.link.runtime(n).report, inUse: inUse(deps)})
