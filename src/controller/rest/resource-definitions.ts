// /v1/resource-definitions, their volume definitions and resources, and /v1/view/resources.
import type {Router} from 'express'
import {Rc} from '../../common/api-call-rc.ts'
import {compareNames, nameKey} from '../../common/names.ts'
import {asApiFailure} from '../model/api-failure.ts'
import {createRscDfn, createVlmDfn, findRscDfn, vlmDfnsOf} from '../model/resource-definition.ts'
import {autoplaceRsc, rscsOf} from '../model/resource.ts'
import {findRscGrp} from '../model/resource-group.ts'
import {mergeFilters, readSelectFilter} from '../model/select-filter.ts'
import {key2} from '../model/state.ts'
import {object} from '../../common/input.ts'
import {resourceView, resourceWithVolumesView, rscDfnView, vlmDfnView, volumesView} from '../views/resource-view.ts'
import {placementFacts, type RestDeps} from './deps.ts'
import {deploymentReplies} from './deployment.ts'
import {listed, mutation, page, propsFilter, queryList, sendJson, sendOne} from './reply.ts'

export function resourceDefinitionRoutes(r: Router, deps: RestDeps): void {
  const {store, link, ids} = deps

  r.get('/v1/resource-definitions', (req, res) => {
    const withVds = String(req.query.with_volume_definitions).toLowerCase() === 'true'
    const all = Object.values(store.state.rscDfns).sort((a, b) => compareNames(a.name, b.name))
    sendJson(res, 200, listed(req, all, 'resource_definitions', (d) => d.name, (d) => d.props)
      .map((d) => rscDfnView(d, withVds ? vlmDfnsOf(store.state, d.name) : undefined)))
  })

  r.get('/v1/resource-definitions/:rd', (req, res) => {
    const rd = store.state.rscDfns[nameKey(req.params.rd)]
    sendOne(res, rd && rscDfnView(rd), Rc.FAIL_NOT_FOUND_RSC_DFN, `Resource definition '${req.params.rd}'`)
  })

  r.post('/v1/resource-definitions', mutation({op: 'create', obj: 'rscDfn'}, async (req, _res, ok) => {
    const {rd, changes} = createRscDfn(store.state, req.body, ids)
    await store.commit(changes)
    return [ok(Rc.CREATED, {message: `New resource definition '${rd.name}' created.`, details: `Resource definition '${rd.name}' UUID is: ${rd.uuid}`,
      obj_refs: {RscDfn: rd.name, UUID: rd.uuid}})]
  }, 201))

  r.get('/v1/resource-definitions/:rd/volume-definitions', (req, res) => {
    const rd = store.state.rscDfns[nameKey(req.params.rd)]
    if (!rd) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_RSC_DFN, `Resource definition '${req.params.rd}'`)
    sendJson(res, 200, vlmDfnsOf(store.state, rd.name).map(vlmDfnView))
  })

  r.get('/v1/resource-definitions/:rd/volume-definitions/:nr', (req, res) => {
    const vd = store.state.vlmDfns[key2(req.params.rd, req.params.nr)]
    sendOne(res, vd && vlmDfnView(vd), Rc.FAIL_NOT_FOUND_VLM_DFN, `Volume definition ${req.params.nr} of '${req.params.rd}'`)
  })

  // LINSTOR answers 200 (not 201) to a volume definition create.
  r.post('/v1/resource-definitions/:rd/volume-definitions', mutation({op: 'create', obj: 'vlmDfn'}, async (req, _res, ok) => {
    const rd = findRscDfn(store.state, req.params.rd as string)
    const {vd, changes} = createVlmDfn(store.state, rd, req.body, ids)
    await store.commit(changes)
    return [ok(Rc.CREATED, {message: `New volume definition with number '${vd.vlmNr}' of resource definition '${rd.name}' created.`,
      obj_refs: {RscDfn: rd.name, VlmNr: String(vd.vlmNr)}})]
  }, 200))

  r.post('/v1/resource-definitions/:rd/autoplace', mutation({op: 'create', obj: 'rsc'}, async (req, _res, ok) => {
    const rd = findRscDfn(store.state, req.params.rd as string)
    const body = asApiFailure(() => object(req.body ?? {}, 'autoplace request'))
    const filter = mergeFilters(findRscGrp(store.state, rd.rscGrp).selectFilter, asApiFailure(() => readSelectFilter(body.select_filter)))
    if (body.layer_list) filter.layer_stack = asApiFailure(() => readSelectFilter({layer_stack: body.layer_list}).layer_stack)
    const {rscs, changes} = autoplaceRsc(store.state, rd, filter, placementFacts(link), ids)
    if (!rscs.length) return [ok(Rc.INFO_NOOP, {message: `Resource '${rd.name}' is already placed as requested.`})]
    await store.commit(changes)
    return deploymentReplies(deps, rscs, ok)
  }, 201))

  r.get('/v1/resource-definitions/:rd/resources', (req, res) => {
    const rd = store.state.rscDfns[nameKey(req.params.rd)]
    if (!rd) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_RSC_DFN, `Resource definition '${req.params.rd}'`)
    const nodes = queryList(req, 'nodes')
    sendJson(res, 200, rscsOf(store.state, rd.name).filter((x) => !nodes || nodes.has(nameKey(x.node)))
      .map((x) => resourceView(store.state, x, link.runtime(x.node))))
  })

  r.get('/v1/resource-definitions/:rd/resources/:node', (req, res) => {
    const x = store.state.rscs[key2(req.params.rd, req.params.node)]
    sendOne(res, x && resourceView(store.state, x, link.runtime(x.node)), Rc.FAIL_NOT_FOUND_RSC,
      `Resource '${req.params.rd}' on node '${req.params.node}'`)
  })

  r.get('/v1/resource-definitions/:rd/resources/:node/volumes', (req, res) => {
    const x = store.state.rscs[key2(req.params.rd, req.params.node)]
    if (!x) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_RSC, `Resource '${req.params.rd}' on node '${req.params.node}'`)
    sendJson(res, 200, volumesView(store.state, x, link.runtime(x.node)))
  })

  r.get('/v1/view/resources', (req, res) => {
    const nodes = queryList(req, 'nodes')
    const rscs = queryList(req, 'resources')
    const pools = queryList(req, 'storage_pools')
    const props = propsFilter(req)
    const list = Object.values(store.state.rscs)
      .filter((x) => (!nodes || nodes.has(nameKey(x.node))) && (!rscs || rscs.has(nameKey(x.rscDfn))) && props(x.props))
      .filter((x) => !pools || Object.values(x.pools).some((p) => pools.has(nameKey(p))))
      .sort((a, b) => compareNames(a.rscDfn, b.rscDfn) || compareNames(a.node, b.node))
    sendJson(res, 200, page(req, list).map((x) => resourceWithVolumesView(store.state, x, link.runtime(x.node))))
  })
}
