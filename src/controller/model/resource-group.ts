// Resource groups (templates for resource definitions) and their volume groups.
import {Rc} from '../../common/api-call-rc.ts'
import {object, optInt, optString} from '../../common/input.ts'
import {nameKey, nameProblem} from '../../common/names.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import {readProps, type Props} from './props.ts'
import {readSelectFilter, type SelectFilter} from './select-filter.ts'
import {type Change, type ClusterState, key2} from './state.ts'

export const DFLT_RSC_GRP = 'DfltRscGrp'

export interface RscGrpRec {name: string, description?: string, props: Props, selectFilter: SelectFilter, peerSlots?: number, uuid: string}
export interface VlmGrpRec {rscGrp: string, vlmNr: number, props: Props, flags: string[], uuid: string}

/** DfltRscGrp always exists; the store creates it on an empty database. */
export function defaultGroupChanges(state: ClusterState, ids: Ids): Change[] {
  if (state.rscGrps[nameKey(DFLT_RSC_GRP)]) return []
  const rg: RscGrpRec = {name: DFLT_RSC_GRP, props: {}, selectFilter: {place_count: 2}, uuid: ids.uuid()}
  return [{t: 'rscGrps', k: nameKey(DFLT_RSC_GRP), v: rg}]
}

export function findRscGrp(state: ClusterState, name: string): RscGrpRec {
  const rg = state.rscGrps[nameKey(name)]
  if (!rg) throw new ApiFailure(Rc.FAIL_NOT_FOUND_RSC_GRP, {message: `Resource group '${name}' not found.`})
  return rg
}

export const vlmGrpsOf = (state: ClusterState, rg: string): VlmGrpRec[] =>
  Object.values(state.vlmGrps).filter((v) => nameKey(v.rscGrp) === nameKey(rg)).sort((a, b) => a.vlmNr - b.vlmNr)

export function createRscGrp(state: ClusterState, body: unknown, ids: Ids): {rg: RscGrpRec, changes: Change[]} {
  return asApiFailure(() => {
    const o = object(body, 'resource group')
    const name = optString(o.name, 'name') ?? ''
    const problem = nameProblem('resource group', name)
    if (problem) throw new ApiFailure(Rc.FAIL_INVLD_RSC_GRP_NAME, {message: `Invalid resource group name '${name}': ${problem}`})
    if (state.rscGrps[nameKey(name)]) {
      throw new ApiFailure(Rc.FAIL_EXISTS_RSC_GRP, {message: `Resource group '${name}' already exists.`, obj_refs: {RscGrp: name}})
    }
    const rg: RscGrpRec = {
      name, description: optString(o.description, 'description'), props: readProps(o.props),
      selectFilter: readSelectFilter(o.select_filter), peerSlots: optInt(o.peer_slots, 'peer_slots', 1, 31), uuid: ids.uuid(),
    }
    return {rg, changes: [{t: 'rscGrps', k: nameKey(name), v: rg}]}
  })
}

export function createVlmGrp(state: ClusterState, rgName: string, body: unknown, ids: Ids): {vg: VlmGrpRec, changes: Change[]} {
  const rg = findRscGrp(state, rgName)
  return asApiFailure(() => {
    const o = object(body ?? {}, 'volume group')
    const existing = vlmGrpsOf(state, rg.name).map((v) => v.vlmNr)
    const vlmNr = optInt(o.volume_number, 'volume_number', 0, 31999) ?? (existing.length ? Math.max(...existing) + 1 : 0)
    if (existing.includes(vlmNr)) {
      throw new ApiFailure(Rc.FAIL_EXISTS_VLM_GRP, {message: `Volume group ${vlmNr} already exists in resource group '${rg.name}'.`})
    }
    const vg: VlmGrpRec = {rscGrp: rg.name, vlmNr, props: readProps(o.props), flags: [], uuid: ids.uuid()}
    return {vg, changes: [{t: 'vlmGrps', k: key2(rg.name, vlmNr), v: vg}]}
  })
}
