// Resource groups (templates for resource definitions) and their volume groups.
import {Rc} from '../../common/api-call-rc.ts'
import {object, optInt, optString, optStringList} from '../../common/input.ts'
import {nameKey, nameProblem} from '../../common/names.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import {applyFlagChanges} from './flags.ts'
import {modifyProps, readProps, type Props} from './props.ts'
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

/**
 * ResourceGroupModify. The select filter is a partial update: fields the request leaves out (or
 * sends as null) stay, as Incus relies on when it sends `select_filter: {}`.
 */
export function modifyRscGrp(state: ClusterState, name: string, body: unknown): {rg: RscGrpRec, changes: Change[]} {
  const rg = findRscGrp(state, name)
  return asApiFailure(() => {
    const o = object(body ?? {}, 'resource group modify')
    const next: RscGrpRec = {
      ...rg, props: modifyProps(rg.props, o),
      description: o.description === undefined || o.description === null ? rg.description : optString(o.description, 'description'),
      selectFilter: {...rg.selectFilter, ...readSelectFilter(o.select_filter)},
      peerSlots: optInt(o.peer_slots, 'peer_slots', 1, 31) ?? rg.peerSlots,
    }
    return {rg: next, changes: [{t: 'rscGrps', k: nameKey(rg.name), v: next}]}
  })
}

export function deleteRscGrp(state: ClusterState, name: string): Change[] | undefined {
  const rg = state.rscGrps[nameKey(name)]
  if (!rg) return undefined
  if (nameKey(rg.name) === nameKey(DFLT_RSC_GRP)) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: `The default resource group '${DFLT_RSC_GRP}' cannot be deleted.`})
  }
  const rds = Object.values(state.rscDfns).filter((d) => nameKey(d.rscGrp) === nameKey(rg.name))
  if (rds.length) {
    throw new ApiFailure(Rc.FAIL_EXISTS_RSC_DFN, {
      message: `Cannot delete resource group '${rg.name}' because it has existing resource definitions.`,
      details: `Resource definitions: ${rds.map((d) => d.name).join(', ')}`,
      correction: `Delete them, or move them with 'resource-definition modify <rd> --resource-group <other>'.`})
  }
  return [{t: 'rscGrps', k: nameKey(rg.name)}, ...vlmGrpsOf(state, rg.name).map((v): Change => ({t: 'vlmGrps', k: key2(rg.name, v.vlmNr)}))]
}

export function findVlmGrp(state: ClusterState, rg: string, nr: string | number): VlmGrpRec {
  const vg = state.vlmGrps[key2(rg, nr)]
  if (!vg) throw new ApiFailure(Rc.FAIL_NOT_FOUND_VLM_GRP, {message: `Volume group ${nr} of resource group '${rg}' not found.`})
  return vg
}

export function modifyVlmGrp(state: ClusterState, rg: string, nr: string, body: unknown): Change[] {
  const vg = findVlmGrp(state, rg, nr)
  return asApiFailure(() => {
    const o = object(body ?? {}, 'volume group modify')
    const flags = applyFlagChanges(vg.flags, optStringList(o.flags, 'flags') ?? [], ['GROSS_SIZE'])
    return [{t: 'vlmGrps', k: key2(vg.rscGrp, vg.vlmNr), v: {...vg, props: modifyProps(vg.props, o), flags}}]
  })
}

export function deleteVlmGrp(state: ClusterState, rg: string, nr: string): Change[] | undefined {
  const vg = state.vlmGrps[key2(rg, nr)]
  return vg ? [{t: 'vlmGrps', k: key2(vg.rscGrp, vg.vlmNr)}] : undefined
}
