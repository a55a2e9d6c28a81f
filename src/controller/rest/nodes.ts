// /v1/nodes, their storage pools, and the storage-pool views.
import type {Router} from 'express'
import {connChangesForNode} from '../model/connections.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {compareNames, nameKey} from '../../common/names.ts'
import {evictionTimestamp} from '../model/auto-evict.ts'
import {createNetIf, createNode, deleteNetIf, deleteNode, findNode, lostNodeChanges, modifyNetIf, modifyNode, type NodeRec} from '../model/node.ts'
import {evacuateNode, restoreNode} from '../model/evacuation.ts'
import {rscsOf} from '../model/resource.ts'
import {createStorPool, createStorPoolDfn, deleteStorPool, deleteStorPoolDfn, modifyStorPool, modifyStorPoolDfn, type StorPoolDfnRec} from '../model/storage-pool.ts'
import {key2} from '../model/state.ts'
import {rscsOnNode} from '../model/state-index.ts'
import {nodeView, storagePoolView} from '../views/node-view.ts'
import {inUse, placementFacts, type RestDeps} from './deps.ts'
import {deploymentReplies} from './deployment.ts'
import {listed, mutation, page, propsFilter, queryList, sendJson, sendOne, simpleDelete} from './reply.ts'

export function nodeRoutes(r: Router, deps: RestDeps): void {
  const {store, link, ids} = deps
  const view = (n: NodeRec): ReturnType<typeof nodeView> => nodeView(n, link.runtime(n.name), evictionTimestamp(store.state, n, deps.offlineSince?.(n.name)))
  const nodeViews = (): ReturnType<typeof nodeView>[] =>
    Object.values(store.state.nodes).sort((a, b) => compareNames(a.name, b.name)).map(view)

  r.get('/v1/nodes', (req, res) => {
    sendJson(res, 200, listed(req, nodeViews(), 'nodes', (n) => n.name, (n) => n.props ?? {}))
  })

  r.get('/v1/nodes/:node', (req, res) => {
    const n = store.state.nodes[nameKey(req.params.node)]
    sendOne(res, n && view(n), Rc.FAIL_NOT_FOUND_NODE, `Node '${req.params.node}'`)
  })

  r.post('/v1/nodes', mutation({op: 'create', obj: 'node', body: 'Node'}, async (req, _res, ok) => {
    const {node, changes} = createNode(store.state, req.body, ids)
    await store.commit(changes)
    void link.kick([node.name])
    return [ok(Rc.CREATED, {message: `New node '${node.name}' registered.`, details: `Node '${node.name}' UUID is: ${node.uuid}`,
      obj_refs: {Node: node.name, UUID: node.uuid}})]
  }, 201))

  r.put('/v1/nodes/:node', mutation({op: 'modify', obj: 'node', body: 'NodeModify'}, async (req, _res, ok) => {
    const {node, changes} = modifyNode(store.state, req.params.node as string, req.body)
    await store.commit(changes)
    return [ok(Rc.MODIFIED, {message: `Node '${node.name}' modified.`, obj_refs: {Node: node.name}})]
  }, 200))

  r.delete('/v1/nodes/:node', simpleDelete(store, 'node', (p) => `Node '${p.node}'`, (p) =>
    (store.state.nodes[nameKey(p.node as string)] ? [...deleteNode(store.state, p.node as string), ...connChangesForNode(store.state, p.node as string)] : undefined)))

  r.delete('/v1/nodes/:node/lost', mutation({op: 'delete', obj: 'node'}, async (req, _res, ok) => {
    const node = findNode(store.state, req.params.node as string)
    await store.commit([...lostNodeChanges(store.state, node.name), ...connChangesForNode(store.state, node.name)])
    return [ok(Rc.DELETED, {message: `Node '${node.name}' and everything on it removed from the cluster.`,
      details: 'Nothing was asked of the node itself; wipe it before it rejoins.'})]
  }, 200))

  // Evacuate: the replies say where each replica goes, once the new replicas were created there.
  r.put('/v1/nodes/:node/evacuate', mutation({op: 'modify', obj: 'node', body: 'NodeEvacuate'}, async (req, _res, ok) => {
    const {node, placed, changes, notes} = evacuateNode(store.state, req.params.node as string, req.body, placementFacts(link), ids, inUse(deps))
    await store.commit(changes)
    const peers = [...new Set(rscsOnNode(store.state, node.name).flatMap((x) => rscsOf(store.state, x.rscDfn).map((p) => p.node)))]
    const created = await deploymentReplies(deps, placed, ok, (x) => `Created resource '${x.rscDfn}' on '${x.node}'`)
    void link.kick(peers)
    return [ok(Rc.MODIFIED, {message: `Node '${node.name}' is being evacuated.`, obj_refs: {Node: node.name},
      details: 'Each replica is deleted from the node once its replacement is up to date; watch it with `resource list`.'}),
    ...notes.map((n) => ok(n.code, n.text)), ...created]
  }, 200))

  r.put('/v1/nodes/:node/restore', mutation({op: 'modify', obj: 'node', body: 'NodeRestore'}, async (req, _res, ok) => {
    const {node, changes, notes} = restoreNode(store.state, req.params.node as string, req.body)
    if (changes.length) await store.commit(changes)
    void link.kick([node.name])
    return notes.map((n) => ok(n.code, n.text))
  }, 200))

  r.put('/v1/nodes/:node/reconnect', mutation({op: 'modify', obj: 'node'}, async (req, _res, ok) => {
    const node = findNode(store.state, req.params.node as string)
    if (node.flags.includes('EVICTED')) {
      return [ok(Rc.WARN_NODE_EVICTED, {message: `Node '${node.name}' is evicted: the controller does not connect to it.`,
        correction: `Use 'node restore ${node.name}' first.`})]
    }
    await link.kick([node.name])
    const rt = link.runtime(node.name)
    return [ok(rt.status === 'ONLINE' ? Rc.MODIFIED : Rc.WARN_NOT_CONNECTED,
      {message: `Node '${node.name}' reconnected: ${rt.status}.`, details: rt.lastError})]
  }, 200))

  r.get('/v1/nodes/:node/net-interfaces', (req, res) => {
    const n = store.state.nodes[nameKey(req.params.node)]
    if (!n) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_NODE, `Node '${req.params.node}'`)
    sendJson(res, 200, nodeView(n, link.runtime(n.name)).net_interfaces ?? [])
  })

  r.get('/v1/nodes/:node/net-interfaces/:netif', (req, res) => {
    const n = store.state.nodes[nameKey(req.params.node)]
    const netIf = n && nodeView(n, link.runtime(n.name)).net_interfaces?.find((i) => nameKey(i.name) === nameKey(req.params.netif))
    sendOne(res, netIf, Rc.FAIL_NOT_FOUND_NET_IF, `Net interface '${req.params.netif}' on node '${req.params.node}'`)
  })

  r.post('/v1/nodes/:node/net-interfaces', mutation({op: 'create', obj: 'netIf', body: 'NetInterface'}, async (req, _res, ok) => {
    const {netIf, changes} = createNetIf(store.state, req.params.node as string, req.body, ids)
    await store.commit(changes)
    return [ok(Rc.CREATED, {message: `New net interface '${netIf.name}' on node '${req.params.node}' created.`})]
  }, 201))

  r.put('/v1/nodes/:node/net-interfaces/:netif', mutation({op: 'modify', obj: 'netIf', body: 'NetInterface'}, async (req, _res, ok) => {
    await store.commit(modifyNetIf(store.state, req.params.node as string, req.params.netif as string, req.body, ids))
    void link.kick([req.params.node as string])
    return [ok(Rc.MODIFIED, {message: `Net interface '${req.params.netif}' on node '${req.params.node}' modified.`})]
  }, 200))

  r.delete('/v1/nodes/:node/net-interfaces/:netif', simpleDelete(store, 'netIf', (p) => `Net interface '${p.netif}' on node '${p.node}'`,
    (p) => deleteNetIf(store.state, p.node as string, p.netif as string)))

  const poolViews = (nodeFilter?: Set<string>, poolFilter?: Set<string>): ReturnType<typeof storagePoolView>[] =>
    Object.values(store.state.storPools)
      .filter((p) => (!nodeFilter || nodeFilter.has(nameKey(p.node))) && (!poolFilter || poolFilter.has(nameKey(p.name))))
      .sort((a, b) => compareNames(a.node, b.node) || compareNames(a.name, b.name))
      .map((p) => storagePoolView(p, link.runtime(p.node)))

  r.get('/v1/view/storage-pools', (req, res) => {
    const props = propsFilter(req)
    sendJson(res, 200, page(req, poolViews(queryList(req, 'nodes'), queryList(req, 'storage_pools')).filter((p) => props(p.props ?? {}))))
  })

  r.get('/v1/nodes/:node/storage-pools', (req, res) => {
    const node = store.state.nodes[nameKey(req.params.node)]
    if (!node) return sendOne(res, undefined, Rc.FAIL_NOT_FOUND_NODE, `Node '${req.params.node}'`)
    const props = propsFilter(req)
    sendJson(res, 200, page(req, poolViews(new Set([nameKey(node.name)]), queryList(req, 'storage_pools')).filter((p) => props(p.props ?? {}))))
  })

  r.get('/v1/nodes/:node/storage-pools/:sp', (req, res) => {
    const sp = store.state.storPools[key2(req.params.node, req.params.sp)]
    sendOne(res, sp && storagePoolView(sp, link.runtime(sp.node)), Rc.FAIL_NOT_FOUND_STOR_POOL,
      `Storage pool '${req.params.sp}' on node '${req.params.node}'`)
  })

  r.post('/v1/nodes/:node/storage-pools', mutation({op: 'create', obj: 'storPool', body: 'StoragePool'}, async (req, _res, ok) => {
    const {pool, changes} = createStorPool(store.state, req.params.node as string, req.body, ids)
    await store.commit(changes)
    await link.kick([pool.node])
    return [ok(Rc.CREATED, {message: `Storage pool '${pool.name}' on node '${pool.node}' registered.`,
      details: `Storage pool '${pool.name}' on node '${pool.node}' UUID is: ${pool.uuid}`,
      obj_refs: {Node: pool.node, StorPoolDfn: pool.name, UUID: pool.uuid}})]
  }, 201))

  r.put('/v1/nodes/:node/storage-pools/:sp', mutation({op: 'modify', obj: 'storPool', body: 'StoragePoolDefinitionModify'}, async (req, _res, ok) => {
    await store.commit(modifyStorPool(store.state, req.params.node as string, req.params.sp as string, req.body))
    return [ok(Rc.MODIFIED, {message: `Storage pool '${req.params.sp}' on node '${req.params.node}' modified.`})]
  }, 200))

  r.delete('/v1/nodes/:node/storage-pools/:sp', simpleDelete(store, 'storPool', (p) => `Storage pool '${p.sp}' on node '${p.node}'`,
    (p) => deleteStorPool(store.state, p.node as string, p.sp as string)))

  const spdView = (d: StorPoolDfnRec): object => ({storage_pool_name: d.name, props: d.props})
  r.get('/v1/storage-pool-definitions', (req, res) => {
    const all = Object.values(store.state.storPoolDfns).sort((a, b) => compareNames(a.name, b.name))
    sendJson(res, 200, listed(req, all, 'storage_pools', (d) => d.name, (d) => d.props).map(spdView))
  })

  r.get('/v1/storage-pool-definitions/:sp', (req, res) => {
    const d = store.state.storPoolDfns[nameKey(req.params.sp)]
    sendOne(res, d && spdView(d), Rc.FAIL_NOT_FOUND_STOR_POOL_DFN, `Storage pool definition '${req.params.sp}'`)
  })

  r.post('/v1/storage-pool-definitions', mutation({op: 'create', obj: 'storPoolDfn', body: 'StoragePoolDefinition'}, async (req, _res, ok) => {
    const {dfn, changes} = createStorPoolDfn(store.state, req.body, ids)
    await store.commit(changes)
    return [ok(Rc.CREATED, {message: `New storage pool definition '${dfn.name}' created.`, obj_refs: {StorPoolDfn: dfn.name}})]
  }, 201))

  r.put('/v1/storage-pool-definitions/:sp', mutation({op: 'modify', obj: 'storPoolDfn', body: 'StoragePoolDefinitionModify'}, async (req, _res, ok) => {
    await store.commit(modifyStorPoolDfn(store.state, req.params.sp as string, req.body))
    return [ok(Rc.MODIFIED, {message: `Storage pool definition '${req.params.sp}' modified.`})]
  }, 200))

  r.delete('/v1/storage-pool-definitions/:sp', simpleDelete(store, 'storPoolDfn', (p) => `Storage pool definition '${p.sp}'`,
    (p) => deleteStorPoolDfn(store.state, p.sp as string)))
}
