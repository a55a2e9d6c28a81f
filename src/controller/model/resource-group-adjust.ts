// resource-group adjust: the autoplacer runs again for every definition of a group (or of every
// group), so that each meets the group's place count and filter as they are now, e.g. after the
// place count was raised or nodes came back. It only adds replicas: a definition with more than
// the place count gets a warning, as in LINSTOR. Pure.
import {Rc, type RcText} from '../../common/api-call-rc.ts'
import {compareNames, nameKey} from '../../common/names.ts'
import {ApiFailure, type Ids} from './api-failure.ts'
import {diskfulReplicas} from './replica-count.ts'
import type {RscGrpRec} from './resource-group.ts'
import {autoplaceRsc, type PlacementFacts, type RscRec} from './resource.ts'
import {mergeFilters, type SelectFilter} from './select-filter.ts'
import {applyChanges, type Change, type ClusterState} from './state.ts'

export interface AdjustOutcome {
  rscDfn: string
  /** Resources the autoplacer added (none when the definition already met the filter). */
  placed: RscRec[]
  /** Why the definition was not (fully) adjusted: a refusal of the autoplacer, or more replicas than wanted. */
  notes: {code: bigint, text: RcText}[]
}

export function adjustRscGrps(state: ClusterState, groups: readonly RscGrpRec[], request: SelectFilter, facts: PlacementFacts, ids: Ids):
  {changes: Change[], outcomes: AdjustOutcome[]} {
  // Each placement sees the ones before it (resource counts, not_place_with_rsc), as one after another would.
  const work: ClusterState = {...state, rscs: {...state.rscs}}
  const changes: Change[] = []
  const outcomes: AdjustOutcome[] = []
  for (const rg of groups) {
    const filter = mergeFilters(rg.selectFilter, request)
    const rds = Object.values(state.rscDfns).filter((d) => nameKey(d.rscGrp) === nameKey(rg.name) && !d.flags.includes('DELETE'))
      .sort((a, b) => compareNames(a.name, b.name))
    for (const rd of rds) {
      const out: AdjustOutcome = {rscDfn: rd.name, placed: [], notes: []}
      outcomes.push(out)
      const diskful = diskfulReplicas(work, rd.name)
      const wanted = filter.place_count ?? 2
      if (!filter.additional_place_count && diskful.length > wanted) {
        const on = diskful.map((r) => `'${r.node}'`).join(', ')
        out.notes.push({code: Rc.WARN_INVLD_PLACE_COUNT, text: {message: `The resource '${rd.name}' was already deployed on ${diskful.length} nodes: ${on}. ` +
          'The resource would have to be deleted from nodes to reach the placement count.', details: `The place count is ${wanted}; adjust only adds replicas.`,
        correction: 'Delete the replicas that are not needed, or raise the place count.'}})
        continue
      }
      try {
        const placed = autoplaceRsc(work, rd, filter, facts, ids)
        applyChanges(work, placed.changes)
        changes.push(...placed.changes)
        out.placed = placed.rscs
      } catch (e) {
        if (!(e instanceof ApiFailure)) throw e
        out.notes.push({code: e.code, text: e.text})
      }
    }
  }
  return {changes, outcomes}
}
