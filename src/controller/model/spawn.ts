// `resource-group spawn`: a resource definition, its volume definitions and (unless only the
// definitions are wanted) its placed resources, all in one change set — it happens whole or not at all.
import {Rc, type RcText} from '../../common/api-call-rc.ts'
import {object, optBool} from '../../common/input.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import {readProps} from './props.ts'
import {createRscDfn, createVlmDfn, readSizeKib, type RscDfnRec, type VlmDfnRec} from './resource-definition.ts'
import {findRscGrp, vlmGrpsOf} from './resource-group.ts'
import {autoplaceRsc, type PlacementFacts, type RscRec} from './resource.ts'
import {mergeFilters, readSelectFilter} from './select-filter.ts'
import type {Change, ClusterState} from './state.ts'

export interface SpawnResult {rd: RscDfnRec, vds: VlmDfnRec[], rscs: RscRec[], changes: Change[], notes: {code: bigint, text: RcText}[]}

export function spawn(state: ClusterState, rgName: string, body: unknown, ids: Ids, facts: PlacementFacts): SpawnResult {
  const rg = findRscGrp(state, rgName)
  return asApiFailure(() => {
    const o = object(body, 'spawn request')
    const rawSizes = o.volume_sizes ?? []
    if (!Array.isArray(rawSizes)) throw new ApiFailure(Rc.FAIL_INVLD_VLM_SIZES, {message: "'volume_sizes' must be a list of sizes in KiB"})
    const sizes = rawSizes.map((s, i) => readSizeKib(s, `volume_sizes[${i}]`))
    const vgs = vlmGrpsOf(state, rg.name)
    // As in LINSTOR, `partial` allows fewer sizes than the group has volume groups (the first ones
    // are used) or more (the extra volumes get the next free numbers, without a volume group).
    const partial = optBool(o.partial, 'partial') ?? false
    if (vgs.length && !partial && sizes.length !== vgs.length) {
      throw new ApiFailure(Rc.FAIL_INVLD_VLM_SIZES, {
        message: `Invalid count of volume sizes to spawn resource group '${rg.name}'`,
        details: `The resource group '${rg.name}' has ${vgs.length} Volume groups, but ${sizes.length} sizes were provided.`,
        correction: "Either provide the correct count of volume sizes or use the 'partial' option"})
    }
    const {rd, changes} = createRscDfn(state, {
      resource_definition: {
        name: o.resource_definition_name, resource_group_name: rg.name, external_name: o.resource_definition_external_name,
        props: readProps(o.resource_definition_props, 'resource_definition_props'),
        layer_data: mergeFilters(rg.selectFilter, readSelectFilter(o.select_filter)).layer_stack?.map((type) => ({type})),
      },

      drbd_peer_slots: o.peer_slots,
    }, ids)
    const vds: VlmDfnRec[] = []
    const taken = new Set(vgs.map((vg) => vg.vlmNr))
    let free = 0
    sizes.forEach((size, i) => {
      let vlmNr = vgs[i]?.vlmNr
      if (vlmNr === undefined) {
        while (taken.has(free)) free++
        vlmNr = free
        taken.add(free)
      }
      const r = createVlmDfn(state, rd, {volume_definition: {volume_number: vlmNr, size_kib: size}}, ids, vds.flatMap((v) => v.minor ?? []))
      vds.push(r.vd)
      changes.push(...r.changes)
    })
    const notes: SpawnResult['notes'] = []
    if (optBool(o.definitions_only, 'definitions_only') || sizes.length === 0) {
      notes.push({code: Rc.INFO_NO_RSC_SPAWNED, text: {message: `No resources were spawned for '${rd.name}'.`,
        details: sizes.length === 0 ? 'No volume sizes were given.' : 'Only the definitions were requested.'}})
      return {rd, vds, rscs: [], changes, notes}
    }
    const filter = mergeFilters(rg.selectFilter, readSelectFilter(o.select_filter))
    // A placement failure fails the whole spawn: no definition is left behind without its resources.
    const placed = autoplaceRsc(state, rd, filter, facts, ids, vds)
    return {rd, vds, rscs: placed.rscs, changes: [...changes, ...placed.changes], notes}
  })
}

