// /v1/resource-groups: create, list, volume groups, and spawn.
import type {Router} from 'express'
import {Rc, type ApiCallRc} from '../../common/api-call-rc.ts'
import {compareNames, nameKey} from '../../common/names.ts'
import {createRscGrp, createVlmGrp, deleteRscGrp, deleteVlmGrp, findRscGrp, modifyRscGrp, modifyVlmGrp, vlmGrpsOf, type RscGrpRec} from '../model/resource-group.ts'
import {adjustRscGrps} from '../model/resource-group-adjust.ts'
import {asApiFailure} from '../model/api-failure.ts'
import {readSelectFilter} from '../model/select-filter.ts'
import {maxVolumeSizes, sizeInfo} from '../model/size-info.ts'
import {givenPassphrases, withLuksKeys} from '../model/luks-keys.ts'
import {spawn} from '../model/spawn.ts'
import {key2} from '../model/state.ts'
import {rscGrpView} from '../views/resource-view.ts'
import {placementFacts, type RestDeps} from './deps.ts'
import {deploymentReplies} from './deployment.ts'
import {listed, mutation, sendJson, sendOne, simpleDelete} from './reply.ts'

export function resourceGroupRoutes(r: Router, deps: RestDeps): void {
  const {store, link, ids} = deps
  const vgView = (v: ReturnType<typeof vlmGrpsOf>[number]): object => ({volume_number: v.vlmNr, props: v.props, flags: v.flags, uuid: v.uuid})

  r.get('/v1/resource-groups', (req, res) => {
    const all = Object.values(store.state.rscGrps).sort((a, b) => compareNames(a.name, b.name))
    sendJson(res, 200, listed(req, all, 'resource_groups', (g) => g.name, (g) => g.props).map(rscGrpView))
  })

  r.get('/v1/resource-groups/:rg', (req, res) => {
    const rg = store.state.rscGrps[nameKey(req.params.rg)]
    sendOne(res, rg && rscGrpView(rg), Rc.FAIL_NOT_FOUND_RSC_GRP, `Resource group '${req.params.rg}'`)
  })

  r.post('/v1/resource-groups', mutation({op: 'create', obj: 'rscGrp', body: 'ResourceGroup'}, async (req, _res, ok) => {
    const {rg, changes} = createRscGrp(store.state, req.body, ids)
    await store.commit(changes)
    return [ok(Rc.CREATED, {message: `New resource group '${rg.name}' created.`, details: `Resource group '${rg.name}' UUID is: ${rg.uuid}`,
      obj_refs: {RscGrp: rg.name, UUID: rg.uuid}})]
  }, 201))

  r.put('/v1/resource-groups/:rg', mutation({op: 'modify', obj: 'rscGrp', body: 'ResourceGroupModify'}, async (req, _res, ok) => {
    const {rg, changes} = modifyRscGrp(store.state, req.params.rg as string, req.body)
    await store.commit(changes)
    return [ok(Rc.MODIFIED, {message: `Resource group '${rg.name}' modified.`, obj_refs: {RscGrp: rg.name}})]
  }, 200))

  r.delete('/v1/resource-groups/:rg', simpleDelete(store, 'rscGrp', (p) => `Resource group '${p.rg}'`, (p) => deleteRscGrp(store.state, p.rg as string)))

  const sizeInfoOf = (rgName: string, body: unknown): ReturnType<typeof sizeInfo> => {
    const filter = asApiFailure(() => readSelectFilter((body as {select_filter?: unknown} | undefined)?.select_filter))
    return sizeInfo(store.state, findRscGrp(store.state, rgName), placementFacts(link), filter)
  }

  r.post('/v1/resource-groups/:rg/query-size-info', (req, res) => {
    const rg = store.state.rscGrps[nameKey(req.params.rg)]
    if (!rg) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_RSC_GRP, `Resource group '${req.params.rg}'`)
    sendJson(res, 200, {space_info: sizeInfoOf(rg.name, req.body)})
  })

  r.get('/v1/resource-groups/:rg/query-max-volume-size', (req, res) => {
    const rg = store.state.rscGrps[nameKey(req.params.rg)]
    if (!rg) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_RSC_GRP, `Resource group '${req.params.rg}'`)
    sendJson(res, 200, maxVolumeSizes(store.state, placementFacts(link), rg.selectFilter))
  })

  // The storage pool definitions' query (linstor's `spd qmvs`): a select filter in an OPTIONS body.
  r.options('/v1/query-max-volume-size', (req, res) => {
    const filter = asApiFailure(() => readSelectFilter(req.body ?? {}))
    sendJson(res, 200, maxVolumeSizes(store.state, placementFacts(link), filter))
  })

  r.post('/v1/queries/resource-groups/query-all-size-info', (req, res) => {
    const result = Object.fromEntries(Object.values(store.state.rscGrps).sort((a, b) => compareNames(a.name, b.name))
      .map((rg) => [rg.name, {space_info: sizeInfoOf(rg.name, req.body)}]))
    sendJson(res, 200, {result})
  })

  r.get('/v1/resource-groups/:rg/volume-groups', (req, res) => {
    const rg = store.state.rscGrps[nameKey(req.params.rg)]
    if (!rg) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_RSC_GRP, `Resource group '${req.params.rg}'`)
    sendJson(res, 200, vlmGrpsOf(store.state, rg.name).map(vgView))
  })

  r.get('/v1/resource-groups/:rg/volume-groups/:nr', (req, res) => {
    const vg = store.state.vlmGrps[key2(req.params.rg, req.params.nr)]
    sendOne(res, vg && vgView(vg), Rc.FAIL_NOT_FOUND_VLM_GRP, `Volume group ${req.params.nr} of resource group '${req.params.rg}'`)
  })

  r.post('/v1/resource-groups/:rg/volume-groups', mutation({op: 'create', obj: 'vlmGrp', body: 'VolumeGroup'}, async (req, _res, ok) => {
    const {vg, changes} = createVlmGrp(store.state, req.params.rg as string, req.body, ids)
    await store.commit(changes)
    return [ok(Rc.CREATED, {message: `New volume group ${vg.vlmNr} of resource group '${vg.rscGrp}' created.`,
      obj_refs: {RscGrp: vg.rscGrp, VlmNr: String(vg.vlmNr)}})]
  }, 201))

  r.put('/v1/resource-groups/:rg/volume-groups/:nr', mutation({op: 'modify', obj: 'vlmGrp', body: 'VolumeGroupModify'}, async (req, _res, ok) => {
    await store.commit(modifyVlmGrp(store.state, req.params.rg as string, req.params.nr as string, req.body))
    return [ok(Rc.MODIFIED, {message: `Volume group ${req.params.nr} of resource group '${req.params.rg}' modified.`})]
  }, 200))

  r.delete('/v1/resource-groups/:rg/volume-groups/:nr', simpleDelete(store, 'vlmGrp', (p) => `Volume group ${p.nr} of resource group '${p.rg}'`,
    (p) => deleteVlmGrp(store.state, p.rg as string, p.nr as string)))

  // adjust: the autoplacer again for each definition of the group (adjustall: of every group).
  const adjust = async (groups: RscGrpRec[], body: unknown, ok: Parameters<Parameters<typeof mutation>[1]>[2]): Promise<ApiCallRc[]> => {
    const filter = asApiFailure(() => readSelectFilter((body as {select_filter?: unknown} | undefined)?.select_filter))
    const {changes, outcomes} = adjustRscGrps(store.state, groups, filter, placementFacts(link), ids)
    if (changes.length) await store.commit(withLuksKeys(store.state, changes, {masterKey: deps.crypt?.masterKey()}))
    const placed = outcomes.flatMap((o) => o.placed)
    return [
      ...outcomes.flatMap((o) => [...o.notes.map((n) => ok(n.code, n.text)),
        ...(o.placed.length || o.notes.length ? [] : [ok(Rc.INFO_NOOP, {message: `Resource '${o.rscDfn}' is already placed as requested.`})])]),
      ...placed.length ? await deploymentReplies(deps, placed, ok) : [],
    ]
  }

  r.post('/v1/resource-groups/adjustall', mutation({op: 'create', obj: 'rscGrp', body: 'ResourceGroupAdjust'}, (req, _res, ok) =>
    adjust(Object.values(store.state.rscGrps).sort((a, b) => compareNames(a.name, b.name)), req.body, ok), 200))

  r.post('/v1/resource-groups/:rg/adjust', mutation({op: 'create', obj: 'rscGrp', body: 'ResourceGroupAdjust'}, (req, _res, ok) =>
    adjust([findRscGrp(store.state, req.params.rg as string)], req.body, ok), 200))

  r.post('/v1/resource-groups/:rg/spawn', mutation({op: 'create', obj: 'rscDfn', body: 'ResourceGroupSpawn'}, async (req, _res, ok) => {
    const result = spawn(store.state, req.params.rg as string, req.body, ids, placementFacts(link))
    const given = givenPassphrases((req.body as {volume_passphrases?: unknown} | undefined)?.volume_passphrases, result.vds.map((vd) => vd.vlmNr))
    await store.commit(withLuksKeys(store.state, result.changes, {masterKey: deps.crypt?.masterKey(), given}))
    const replies = [
      ok(Rc.CREATED, {message: `Resource definition '${result.rd.name}' created from resource group '${result.rd.rscGrp}'.`,
        details: `Resource definition '${result.rd.name}' UUID is: ${result.rd.uuid}`, obj_refs: {RscDfn: result.rd.name, UUID: result.rd.uuid}}),
      ...result.vds.map((vd) => ok(Rc.CREATED, {message: `New volume definition with number '${vd.vlmNr}' of resource definition '${vd.rscDfn}' created.`,
        obj_refs: {RscDfn: vd.rscDfn, VlmNr: String(vd.vlmNr)}})),
      ...result.notes.map((n) => ok(n.code, n.text)),
    ]
    return [...replies, ...await deploymentReplies(deps, result.rscs, ok)]
  }, 201))
}
