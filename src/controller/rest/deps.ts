// What the REST routers need, passed in from main so that tests can build an app without I/O
// beyond the store they choose.
import type {Logger} from '../../common/log.ts'
import type {SatelliteLink} from '../link/satellite-link.ts'
import type {Ids} from '../model/api-failure.ts'
import type {InUse} from '../model/in-use.ts'
import type {PlacementFacts} from '../model/resource.ts'
import {drbdOf} from '../../protocol/report-lookup.ts'
import type {ReportBook} from '../reports/report-book.ts'
import type {Store} from '../store/store.ts'

export interface RestDeps {
  store: Store
  link: SatelliteLink
  ids: Ids
  reports: ReportBook
  log: Logger
  /** Services of this process that are not running yet; /health is 500 until it is empty. */
  pending: Set<string>
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
