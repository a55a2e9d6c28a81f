// `resource-definition clone`: a new definition with the source's volume definitions and a
// resource on every node that has a diskful replica, each volume filled with a copy of the
// source's. The definition is CLONING until the satellites report every copy. Pure.
import {Rc} from '../../common/api-call-rc.ts'
import {object, optString} from '../../common/input.ts'
import type {SatelliteReport} from '../../protocol/messages.ts'
import {volumeOf} from '../../protocol/report-lookup.ts'
import {asApiFailure, ApiFailure, type Ids} from './api-failure.ts'
import {modifyProps} from './props.ts'
import {createRscDfn, createVlmDfn, findRscDfn, vlmDfnsOf, type RscDfnRec, type VlmDfnRec} from './resource-definition.ts'
import {isDiskless, rscsOf, type RscRec} from './resource.ts'
import {readLayerStack} from './select-filter.ts'
import {type Change, type ClusterState, key2} from './state.ts'
import {pendingOf} from './state-index.ts'
import {nameKey} from '../../common/names.ts'

export function cloneRscDfn(state: ClusterState, srcName: string, body: unknown, ids: Ids): {rd: RscDfnRec, rscs: RscRec[], changes: Change[]} {
  const src = findRscDfn(state, srcName)
  return asApiFailure(() => {
    const o = object(body, 'clone request')
    const sources = rscsOf(state, src.name).filter((r) => !isDiskless(r) && !r.flags.includes('DELETE'))
    if (!sources.length) throw new ApiFailure(Rc.FAIL_NOT_ENOUGH_NODES, {message: `Resource '${src.name}' has no diskful replica to clone.`})
    const layers = readLayerStack(o.layer_list, 'layer_list')
    const {rd, changes} = createRscDfn(state, {
      resource_definition: {name: o.name, external_name: o.external_name, resource_group_name: optString(o.resource_group, 'resource_group') ?? src.rscGrp,
        props: modifyProps(src.props, o), layer_data: (layers ?? src.layerStack)?.map((type) => ({type}))},
    }, ids)
    const cloning: RscDfnRec = {...rd, flags: ['CLONING']}
    changes[0] = {t: 'rscDfns', k: nameKey(rd.name), v: cloning}
    const vds: VlmDfnRec[] = []
    for (const v of vlmDfnsOf(state, src.name)) {
      const r = createVlmDfn(state, cloning, {volume_definition: {volume_number: v.vlmNr, size_kib: v.sizeKib}}, ids, vds.flatMap((x) => x.minor ?? []))
      vds.push(r.vd)
      changes.push(...r.changes)
    }
    const rscs = sources.map((s, i): RscRec => ({
      rscDfn: cloning.name, node: s.node, props: {}, flags: [], layerStack: layers ?? s.layerStack, nodeId: s.layerStack.includes('DRBD') ? i : undefined,
      pools: s.pools, restoreFrom: {rscDfn: src.name}, uuid: ids.uuid(), createTs: ids.now(),
    }))
    changes.push(...rscs.map((r): Change => ({t: 'rscs', k: key2(r.rscDfn, r.node), v: r})))
    return {rd: cloning, rscs, changes}
  })
}

export type CloneStatus = 'CLONING' | 'COMPLETE' | 'FAILED'

export function cloneStatus(rd: RscDfnRec): CloneStatus {
  if (rd.flags.includes('FAILED')) return 'FAILED'
  return rd.flags.includes('CLONING') ? 'CLONING' : 'COMPLETE'
}

/** From satellite reports: clones whose every volume exists lose CLONING; a failed copy marks FAILED. */
export function completeClones(state: ClusterState, reportOf: (node: string) => SatelliteReport | undefined): Change[] {
  const changes: Change[] = []
  for (const [, rd] of pendingOf(state, 'rscDfns')) {
    if (!rd.flags.includes('CLONING')) continue
    const states = rscsOf(state, rd.name).flatMap((r) => vlmDfnsOf(state, rd.name).map((v) => volumeOf(reportOf(r.node), rd.name, v.vlmNr)?.state))
    if (states.includes('Failed')) changes.push({t: 'rscDfns', k: nameKey(rd.name), v: {...rd, flags: [...rd.flags.filter((f) => f !== 'CLONING'), 'FAILED']}})
    else if (states.length && states.every((s) => s === 'Created')) changes.push({t: 'rscDfns', k: nameKey(rd.name), v: {...rd, flags: rd.flags.filter((f) => f !== 'CLONING')}})
  }
  return changes
}
