// The second step of every delete: records flagged DELETE go once the satellites report that the
// volumes are gone. A satellite's latest report reflects a desired state in which the flagged
// volumes were absent, so "not in the report" means "removed from the node". Pure.
import type {SatelliteReport} from '../../protocol/messages.ts'
import {volumesOf} from '../../protocol/report-lookup.ts'
import {connChangesForRsc, connChangesForRscDfn} from './connections.ts'
import {vlmDfnsOf} from './resource-definition.ts'
import {pendingOf, rscsOfDfn} from './state-index.ts'
import type {RscRec} from './resource.ts'
import {type Change, type ClusterState, key2} from './state.ts'

const holds = (report: SatelliteReport, rsc: string, vlmNr?: number): boolean =>
  volumesOf(report, rsc).some((v) => vlmNr === undefined || v.vlmNr === vlmNr)

export function completeDeletions(state: ClusterState, reportOf: (node: string) => SatelliteReport | undefined): Change[] {
  const changes: Change[] = []
  const gone = new Set<string>()
  for (const [k, r] of pendingOf(state, 'rscs')) {
    const report = reportOf(r.node)
    if (report && !holds(report, r.rscDfn)) {
      changes.push({t: 'rscs', k}, ...connChangesForRsc(state, r.rscDfn, r.node))
      gone.add(k)
    }
  }
  const remaining = (rd: string): RscRec[] => rscsOfDfn(state, rd).filter((r) => !gone.has(key2(r.rscDfn, r.node)))
  for (const [k, vd] of pendingOf(state, 'vlmDfns')) {
    const left = remaining(vd.rscDfn)
    const cleared = left.every((r) => {
      if (!r.pools[String(vd.vlmNr)]) return true
      const report = reportOf(r.node)
      return report !== undefined && !holds(report, r.rscDfn, vd.vlmNr)
    })
    if (!cleared) continue
    changes.push({t: 'vlmDfns', k})
    // The volume no longer exists anywhere: the resources stop pointing at a pool for it.
    for (const r of left) {
      if (!r.pools[String(vd.vlmNr)]) continue
      const pools = {...r.pools}
      delete pools[String(vd.vlmNr)]
      changes.push({t: 'rscs', k: key2(r.rscDfn, r.node), v: {...r, pools}})
    }
  }
  for (const [k, rd] of pendingOf(state, 'rscDfns')) {
    if (rd.flags.includes('DELETE') && !remaining(rd.name).length) {
      changes.push({t: 'rscDfns', k}, ...vlmDfnsOf(state, rd.name).map((v): Change => ({t: 'vlmDfns', k: key2(rd.name, v.vlmNr)})),
        ...connChangesForRscDfn(state, rd.name))
    }
  }
  return dedupe(changes)
}

/** Later changes to the same record win; keeps one change per record. */
function dedupe(changes: Change[]): Change[] {
  const last = new Map<string, Change>()
  for (const c of changes) last.set(`${c.t}\u0000${c.k}`, c)
  return [...last.values()]
}
