// `snapshot rollback`: every diskful replica of a definition returns to its most recent snapshot.
// The resources carry `rollbackTo` until their satellites report the rollback done. Pure.
import {Rc} from '../../common/api-call-rc.ts'
import {nameKey} from '../../common/names.ts'
import type {SatelliteReport} from '../../protocol/messages.ts'
import {volumeOf} from '../../protocol/report-lookup.ts'
import {ApiFailure} from './api-failure.ts'
import {findRscDfn, vlmDfnsOf} from './resource-definition.ts'
import {isDiskless, rscsOf, type RscRec} from './resource.ts'
import {findSnapDfn, snapDfnsOf, snapKey} from './snapshot.ts'
import {type Change, type ClusterState, key2} from './state.ts'
import {pendingOf} from './state-index.ts'

export function rollbackSnapshot(state: ClusterState, rdName: string, snap: string): {rscs: RscRec[], changes: Change[]} {
  const rd = findRscDfn(state, rdName)
  const dfn = findSnapDfn(state, rd.name, snap)
  if (rd.flags.includes('DELETE') || rd.flags.includes('CLONING')) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Resource '${rd.name}' is ${rd.flags.includes('DELETE') ? 'being deleted' : 'still being cloned'}.`})
  }
  if (!dfn.flags.includes('SUCCESSFUL') || dfn.flags.includes('DELETE')) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Snapshot '${dfn.name}' of '${rd.name}' is not complete or is being deleted.`})
  }
  // Thin providers (ZFS above all) can only roll back to their newest snapshot without losing the later ones.
  const newer = snapDfnsOf(state, rd.name).filter((s) => s.createTs > dfn.createTs || (s.createTs === dfn.createTs && s.name > dfn.name))
  if (newer.length) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Snapshot '${dfn.name}' is not the most recent snapshot of '${rd.name}'.`,
      cause: `Newer snapshots exist: ${newer.map((s) => s.name).join(', ')}.`,
      correction: 'Delete the newer snapshots first, or restore the snapshot into a new resource instead.'})
  }
  const rscs = rscsOf(state, rd.name).filter((r) => !isDiskless(r))
  const pending = rscs.filter((r) => r.flags.includes('DELETE') || r.rollbackTo)
  if (pending.length) throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Resource '${rd.name}' on ${pending.map((r) => r.node).join(', ')} is busy (being deleted or rolled back).`})
  const without = rscs.filter((r) => !state.snaps[snapKey(rd.name, dfn.name, r.node)])
  if (without.length) {
    throw new ApiFailure(Rc.FAIL_NOT_FOUND_SNAPSHOT, {message: `Snapshot '${dfn.name}' does not exist on ${without.map((r) => r.node).join(', ')}.`,
      correction: 'Delete the replicas made after the snapshot, or restore into a new resource instead.'})
  }
  if (vlmDfnsOf(state, rd.name).length !== dfn.vlms.length) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Resource '${rd.name}' no longer has the volumes snapshot '${dfn.name}' was taken of.`})
  }
  const next = rscs.map((r): RscRec => ({...r, rollbackTo: dfn.name}))
  return {rscs: next, changes: next.map((r): Change => ({t: 'rscs', k: key2(r.rscDfn, r.node), v: r}))}
}

/** From satellite reports: a resource whose every volume reports the rollback done loses `rollbackTo`. */
export function completeRollbacks(state: ClusterState, reportOf: (node: string) => SatelliteReport | undefined): Change[] {
  const changes: Change[] = []
  for (const [k, r] of pendingOf(state, 'rscs')) {
    if (!r.rollbackTo) continue
    const report = reportOf(r.node)
    const done = vlmDfnsOf(state, r.rscDfn).every((v) => nameKey(volumeOf(report, r.rscDfn, v.vlmNr)?.rolledBackTo ?? '') === nameKey(r.rollbackTo ?? ''))
    if (done) {
      const {rollbackTo: _done, ...rest} = r
      changes.push({t: 'rscs', k, v: rest})
    }
  }
  return changes
}
