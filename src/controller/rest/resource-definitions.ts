// /v1/resource-definitions, their volume definitions and resources, and /v1/view/resources.
import type {Router} from 'express'
import {rc, Rc, type ApiCallRc} from '../../common/api-call-rc.ts'
import {compareNames, nameKey} from '../../common/names.ts'
import {ApiFailure, asApiFailure} from '../model/api-failure.ts'
import {cloneRscDfn, cloneStatus} from '../model/clone.ts'
import {cryptRecordOf} from '../model/encryption.ts'
import {givenPassphrases, withLuksKeys} from '../model/luks-keys.ts'
import {createRscDfn, createVlmDfn, findRscDfn, markRscDfnDeleted, markVlmDfnDeleted, modifyRscDfn, modifyVlmDfn, vlmDfnsOf} from '../model/resource-definition.ts'
import {autoplaceRsc, canBeDiskless, createResources, DEFAULT_LAYERS, isDiskless, markRscDeleted, rolloutVlmDfn, rscsOf, type RscRec, type RscRequest} from '../model/resource.ts'
import {isActive, setActive} from '../model/resource-activation.ts'
import {toggleDisk} from '../model/toggle-disk.ts'
import {findRscGrp} from '../model/resource-group.ts'
import {mergeFilters, readLayerStack, readSelectFilter} from '../model/select-filter.ts'
import {type Change, key2} from '../model/state.ts'
import {InputError, object, optBool, optInt, optString, optStringList} from '../../common/input.ts'
import {resourceView, resourceWithVolumesView, rscDfnView, vlmDfnView, volumesView} from '../views/resource-view.ts'
import {inUse, placementFacts, toggleDiskFacts, type RestDeps} from './deps.ts'
import {deletionReplies, deploymentReplies} from './deployment.ts'
import {RenderCache} from './render-cache.ts'
import {volumeOf} from '../../protocol/report-lookup.ts'
import {alreadyGone, explained, listed, mutation, page, propsFilter, queryList, sendJson, sendJsonList, sendOne, sendRcs} from './reply.ts'
import {checkBody} from './body-check.ts'

export function resourceDefinitionRoutes(r: Router, deps: RestDeps): void {
  const {store, link, ids} = deps
  /** Changes that create volume definitions or resources, with the LUKS keys those need. */
  const sealed = (changes: Change[], given?: ReadonlyMap<number, string>): Change[] =>
    withLuksKeys(store.state, changes, {masterKey: deps.crypt?.masterKey(), given})

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

  r.post('/v1/resource-definitions', mutation({op: 'create', obj: 'rscDfn', body: 'ResourceDefinitionCreate'}, async (req, _res, ok) => {
    const {rd, changes} = createRscDfn(store.state, req.body, ids)
    await store.commit(changes)
    const created = ok(Rc.CREATED, {message: `New resource definition '${rd.name}' created.`, details: `Resource definition '${rd.name}' UUID is: ${rd.uuid}`,
      obj_refs: {RscDfn: rd.name, UUID: rd.uuid}})
    // As LINSTOR: an encrypted definition is allowed while locked, with a warning that its volumes will not be.
    if (!rd.layerStack?.includes('LUKS') || deps.crypt?.masterKey()) return [created]
    return [created, ok(Rc.WARN_NOT_FOUND_CRYPT_KEY, {message: 'The master key has not yet been set. Creating volume definitions within an encrypted resource definition will fail!',
      correction: `${cryptRecordOf(store.state) ? 'Enter' : 'Create'} the master passphrase, or remove the luks layer from the stack.`})]
  }, 201))

  r.put('/v1/resource-definitions/:rd', mutation({op: 'modify', obj: 'rscDfn', body: 'ResourceDefinitionModify'}, async (req, _res, ok) => {
    const {rd, changes} = modifyRscDfn(store.state, req.params.rd as string, req.body)
    await store.commit(changes)
    await link.kick(rscsOf(store.state, rd.name).map((x) => x.node))
    return [ok(Rc.MODIFIED, {message: `Resource definition '${rd.name}' modified.`, obj_refs: {RscDfn: rd.name}})]
  }, 200))

  r.delete('/v1/resource-definitions/:rd', mutation({op: 'delete', obj: 'rscDfn'}, async (req, _res, ok) => {
    const name = req.params.rd as string
    const nodes = rscsOf(store.state, name).map((x) => x.node)
    const changes = markRscDfnDeleted(store.state, name, inUse(deps))
    if (!changes) return alreadyGone(ok, `Resource definition '${name}'`)
    await store.commit(changes)
    return deletionReplies(deps, nodes, () => rscsOf(store.state, name).map((x) => x.node), `Resource definition '${name}'`, ok)
  }, 200))

  // Clone: answers with where to poll, after the satellites had their chance to copy.
  r.post('/v1/resource-definitions/:rd/clone', async (req, res, next) => {
    try {
      checkBody(req.body, 'ResourceDefinitionCloneRequest')
      const {rd, rscs, changes} = cloneRscDfn(store.state, req.params.rd, req.body, ids)
      await store.commit(sealed(changes, givenPassphrases((req.body as {volume_passphrases?: unknown}).volume_passphrases,
        vlmDfnsOf(store.state, req.params.rd).map((vd) => vd.vlmNr))))
      const messages = await deploymentReplies(deps, rscs, (code, text) => rc(code, text, 'create', 'rscDfn'))
      sendJson(res, 201, {location: `/v1/resource-definitions/${req.params.rd}/clone/${rd.name}`, source_name: req.params.rd, clone_name: rd.name, messages})
    } catch (e) {
      if (e instanceof ApiFailure) sendRcs(res, [rc(e.code, explained(e.code, e.text), 'create', 'rscDfn')], 201)
      else next(e)
    }
  })

  r.get('/v1/resource-definitions/:rd/clone/:clone', (req, res) => {
    const rd = store.state.rscDfns[nameKey(req.params.clone)]
    sendOne(res, rd && {status: cloneStatus(rd)}, Rc.FAIL_NOT_FOUND_RSC_DFN, `Clone '${req.params.clone}' of '${req.params.rd}'`)
  })

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
  r.post('/v1/resource-definitions/:rd/volume-definitions', mutation({op: 'create', obj: 'vlmDfn', body: 'VolumeDefinitionCreate'}, async (req, _res, ok) => {
    const rd = findRscDfn(store.state, req.params.rd as string)
    const {vd, changes} = createVlmDfn(store.state, rd, req.body, ids)
    // Resources that already exist get the new volume too (LINSTOR does the same).
    const rollout = rolloutVlmDfn(store.state, rd, vd)
    const passphrase = (req.body as {passphrase?: unknown} | undefined)?.passphrase
    await store.commit(sealed([...changes, ...rollout.changes], typeof passphrase === 'string' && passphrase ? new Map([[vd.vlmNr, passphrase]]) : undefined))
    const created = ok(Rc.CREATED, {message: `New volume definition with number '${vd.vlmNr}' of resource definition '${rd.name}' created.`,
      obj_refs: {RscDfn: rd.name, VlmNr: String(vd.vlmNr)}})
    if (!rollout.rscs.length) return [created]
    return [created, ...await deploymentReplies(deps, rollout.rscs, ok, (x) => `Added volume ${vd.vlmNr} to resource '${x.rscDfn}' on '${x.node}'`)]
  }, 200))

  r.put('/v1/resource-definitions/:rd/volume-definitions/:nr', mutation({op: 'modify', obj: 'vlmDfn', body: 'VolumeDefinitionModify'}, async (req, _res, ok) => {
    const {vd, changes, resized} = modifyVlmDfn(store.state, req.params.rd as string, req.params.nr as string, req.body)
    await store.commit(changes)
    const nodes = rscsOf(store.state, vd.rscDfn).map((x) => x.node)
    const replies = [ok(Rc.MODIFIED, {message: `Volume definition ${vd.vlmNr} of '${vd.rscDfn}' modified.`,
      details: resized ? `New size: ${vd.sizeKib} KiB.` : undefined})]
    if (!resized || !nodes.length) return replies
    await link.kick(nodes)
    for (const n of nodes) {
      const rep = volumeOf(link.runtime(n).report, vd.rscDfn, vd.vlmNr)
      if (!rep || (rep.usableKib ?? 0) < vd.sizeKib) {
        replies.push(ok(Rc.WARN_NOT_CONNECTED, {message: `Volume ${vd.vlmNr} of '${vd.rscDfn}' on node '${n}' is not resized yet.`,
          details: rep?.error ?? `The satellite is ${link.runtime(n).status}; it resizes the volume when it syncs.`}))
      }
    }
    return replies
  }, 200))

  r.delete('/v1/resource-definitions/:rd/volume-definitions/:nr', mutation({op: 'delete', obj: 'vlmDfn'}, async (req, _res, ok) => {
    const {rd, nr} = req.params as {rd: string, nr: string}
    const changes = markVlmDfnDeleted(store.state, rd, nr)
    if (!changes) return alreadyGone(ok, `Volume definition ${nr} of '${rd}'`)
    await store.commit(changes)
    return deletionReplies(deps, rscsOf(store.state, rd).map((x) => x.node),
      () => (store.state.vlmDfns[key2(rd, nr)] ? rscsOf(store.state, rd).filter((x) => x.pools[nr]).map((x) => x.node) : []),
      `Volume definition ${nr} of '${rd}'`, ok)
  }, 200))

  r.post('/v1/resource-definitions/:rd/autoplace', mutation({op: 'create', obj: 'rsc', body: 'AutoPlaceRequest'}, async (req, _res, ok) => {
    const rd = findRscDfn(store.state, req.params.rd as string)
    const body = asApiFailure(() => object(req.body ?? {}, 'autoplace request'))
    const filter = mergeFilters(findRscGrp(store.state, rd.rscGrp).selectFilter, asApiFailure(() => readSelectFilter(body.select_filter)))
    const layerList = readLayerStack(body.layer_list, 'layer_list')
    if (layerList) filter.layer_stack = layerList
    const remaining = asApiFailure(() => optBool(body.diskless_on_remaining, 'diskless_on_remaining'))
    if (remaining !== undefined) filter.diskless_on_remaining = remaining
    const {rscs, changes} = autoplaceRsc(store.state, rd, filter, placementFacts(link), ids)
    if (!rscs.length) return [ok(Rc.INFO_NOOP, {message: `Resource '${rd.name}' is already placed as requested.`})]
    await store.commit(sealed(changes))
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

  const createAndDeploy = async (rdName: string, requests: RscRequest[], ok: Parameters<Parameters<typeof mutation>[1]>[2]): Promise<ReturnType<typeof deploymentReplies>> => {
    const rd = findRscDfn(store.state, rdName)
    const {rscs, changes} = createResources(store.state, rd, requests, ids)
    await store.commit(sealed(changes))
    return deploymentReplies(deps, rscs, ok)
  }

  r.post('/v1/resource-definitions/:rd/resources', mutation({op: 'create', obj: 'rsc', body: 'ResourceCreate[]'}, async (req, _res, ok) => {
    const list = asApiFailure(() => {
      if (!Array.isArray(req.body)) throw new InputError('the body must be a list of resource create requests')
      return (req.body as unknown[]).map((x) => readRscCreate(x, undefined))
    })
    return createAndDeploy(req.params.rd as string, list, ok)
  }, 201))

  r.post('/v1/resource-definitions/:rd/resources/:node', mutation({op: 'create', obj: 'rsc', body: 'ResourceCreate'}, async (req, _res, ok) => {
    return createAndDeploy(req.params.rd as string, [asApiFailure(() => readRscCreate(req.body ?? {}, req.params.node as string))], ok)
  }, 201))

  r.delete('/v1/resource-definitions/:rd/resources/:node', mutation({op: 'delete', obj: 'rsc'}, async (req, _res, ok) => {
    const {rd, node} = req.params as {rd: string, node: string}
    const changes = markRscDeleted(store.state, rd, node, inUse(deps))
    if (!changes) return alreadyGone(ok, `Resource '${rd}' on node '${node}'`)
    await store.commit(changes)
    return deletionReplies(deps, [node], () => (store.state.rscs[key2(rd, node)] ? [node] : []), `Resource '${rd}' on node '${node}'`, ok)
  }, 200))

  // make-available, as LINSTOR: an inactive resource is activated, a diskless DRBD one asked to be
  // diskful gets a disk (toggle-disk), one already there is left alone. Otherwise it is created on
  // the node, diskful if asked for or if the layer stack cannot be diskless. LINSTOR answers 200.
  r.post('/v1/resource-definitions/:rd/resources/:node/make-available', mutation({op: 'create', obj: 'rsc', body: 'ResourceMakeAvailable'}, async (req, _res, ok) => {
    const {rd, node} = req.params as {rd: string, node: string}
    const rdRec = findRscDfn(store.state, rd)
    const body = asApiFailure(() => object(req.body ?? {}, 'make-available request'))
    const diskful = asApiFailure(() => optBool(body.diskful, 'diskful')) ?? false
    const existing = store.state.rscs[key2(rd, node)]
    if (existing && !existing.flags.includes('DELETE')) return makeAvailableExisting(existing, diskful, ok)
    const layers = readLayerStack(body.layer_list, 'layer_list')
    const stack = layers ?? rdRec.layerStack ?? DEFAULT_LAYERS
    const diskless = !diskful && canBeDiskless(stack)
    // Without DRBD nothing copies the data: a new replica next to existing ones would be an empty
    // disk passed off as the resource.
    const holders = rscsOf(store.state, rdRec.name).filter((x) => !isDiskless(x) && !x.flags.includes('DELETE'))
    if (!diskless && !stack.includes('DRBD') && holders.length) {
      throw new ApiFailure(Rc.FAIL_INVLD_LAYER_STACK, {
        message: `Resource '${rdRec.name}' cannot be made available on node '${node}': its layer stack [${stack.join(', ')}] has no DRBD.`,
        cause: `The data is on ${holders.map((x) => `'${x.node}'`).join(', ')}, and without DRBD nothing would copy it to a new volume on '${node}'.`,
        correction: `Use the resource on a node that has it, or a resource definition with DRBD in its layer stack.`})
    }
    return createAndDeploy(rd, [{node, diskless, layers}], ok)
  }, 200))

  const makeAvailableExisting = async (x: RscRec, diskful: boolean, ok: Parameters<Parameters<typeof mutation>[1]>[2]): Promise<ApiCallRc[]> => {
    if (!isActive(x)) {
      const {rsc, changes} = setActive(store.state, x.rscDfn, x.node, true, inUse(deps))
      await store.commit(changes)
      return deploymentReplies(deps, [rsc], ok, (y) => `Resource activated on ${y.node}`)
    }
    if (diskful && x.flags.includes('DRBD_DISKLESS')) {
      const {rsc, changes} = toggleDisk(store.state, x.rscDfn, x.node, {diskless: false}, toggleDiskFacts(deps), ids)
      await store.commit(changes)
      void link.kick(rscsOf(store.state, rsc.rscDfn).map((y) => y.node))
      return deploymentReplies(deps, [rsc], ok, (y) => `Added disk to resource '${y.rscDfn}' on '${y.node}'`)
    }
    return [ok(Rc.INFO_NOOP, {message: `Resource '${x.rscDfn}' is already available on node '${x.node}'.`})]
  }

  r.get('/v1/resource-definitions/:rd/resources/:node/volumes/:nr', (req, res) => {
    const x = store.state.rscs[key2(req.params.rd, req.params.node)]
    const v = x && volumesView(store.state, x, link.runtime(x.node)).find((vol) => String(vol.volume_number) === req.params.nr)
    sendOne(res, v, Rc.FAIL_NOT_FOUND_VLM, `Volume ${req.params.nr} of resource '${req.params.rd}' on node '${req.params.node}'`)
  })

  r.get('/v1/resource-definitions/:rd/resources/:node/volumes', (req, res) => {
    const x = store.state.rscs[key2(req.params.rd, req.params.node)]
    if (!x) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_RSC, `Resource '${req.params.rd}' on node '${req.params.node}'`)
    sendJson(res, 200, volumesView(store.state, x, link.runtime(x.node)))
  })

  const viewCache = new RenderCache<RscRec>()
  r.get('/v1/view/resources', (req, res) => {
    const nodes = queryList(req, 'nodes')
    const rscs = queryList(req, 'resources')
    const pools = queryList(req, 'storage_pools')
    const props = propsFilter(req)
    const list = Object.values(store.state.rscs)
      .filter((x) => (!nodes || nodes.has(nameKey(x.node))) && (!rscs || rscs.has(nameKey(x.rscDfn))) && props(x.props))
      .filter((x) => !pools || Object.values(x.pools).some((p) => pools.has(nameKey(p))))
      .sort((a, b) => compareNames(a.rscDfn, b.rscDfn) || compareNames(a.node, b.node))
    const parts = page(req, list).map((x) => {
      const rt = link.runtime(x.node)
      const vds = vlmDfnsOf(store.state, x.rscDfn)
      const rd = store.state.rscDfns[nameKey(x.rscDfn)]
      // effective_props come from the definition, its group and the controller as well.
      const inputs = [rt.report, rt.status, ...vds, ...Object.values(x.pools).map((p) => store.state.storPools[key2(x.node, p)]),
        rd, rd && store.state.rscGrps[nameKey(rd.rscGrp)], store.state.ctrlProps.CTRL]
      return viewCache.render(x, inputs, () => resourceWithVolumesView(store.state, x, rt))
    })
    sendJsonList(res, parts)
  })
}

/** One ResourceCreate: `{resource: {node_name, props, flags}, layer_list, drbd_node_id}`; the node may come from the path. */
function readRscCreate(raw: unknown, pathNode: string | undefined): RscRequest {
  const o = object(raw, 'resource create')
  const r = object(o.resource ?? {}, 'resource')
  const node = pathNode ?? optString(r.node_name, 'node_name')
  if (!node) throw new InputError("'resource.node_name' is required")
  const flags = (optStringList(r.flags, 'flags') ?? []).map((f) => f.toUpperCase())
  return {
    node, props: r.props, diskless: flags.some((f) => f === 'DISKLESS' || f === 'DRBD_DISKLESS' || f === 'NVME_INITIATOR'),
    layers: readLayerStack(o.layer_list, 'layer_list'),
    nodeId: optInt(o.drbd_node_id, 'drbd_node_id', 0, 31),
  }
}
