// /v1/nodes, their storage pools, and the storage-pool views.
import type {Router} from 'express'
import {Rc} from '../../common/api-call-rc.ts'
import {compareNames, nameKey} from '../../common/names.ts'
import {createNode} from '../model/node.ts'
import {createStorPool} from '../model/storage-pool.ts'
import {key2} from '../model/state.ts'
import {nodeView, storagePoolView} from '../views/node-view.ts'
import type {RestDeps} from './deps.ts'
import {listed, mutation, page, propsFilter, queryList, sendJson, sendOne} from './reply.ts'

export function nodeRoutes(r: Router, deps: RestDeps): void {
  const {store, link, ids} = deps
  const nodeViews = (): ReturnType<typeof nodeView>[] =>
    Object.values(store.state.nodes).sort((a, b) => compareNames(a.name, b.name)).map((n) => nodeView(n, link.runtime(n.name)))

  r.get('/v1/nodes', (req, res) => {
    sendJson(res, 200, listed(req, nodeViews(), 'nodes', (n) => n.name, (n) => n.props ?? {}))
  })

  r.get('/v1/nodes/:node', (req, res) => {
    const n = store.state.nodes[nameKey(req.params.node)]
    sendOne(res, n && nodeView(n, link.runtime(n.name)), Rc.FAIL_NOT_FOUND_NODE, `Node '${req.params.node}'`)
  })

  r.post('/v1/nodes', mutation({op: 'create', obj: 'node'}, async (req, _res, ok) => {
    const {node, changes} = createNode(store.state, req.body, ids)
    await store.commit(changes)
    void link.kick([node.name])
    return [ok(Rc.CREATED, {message: `New node '${node.name}' registered.`, details: `Node '${node.name}' UUID is: ${node.uuid}`,
      obj_refs: {Node: node.name, UUID: node.uuid}})]
  }, 201))

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

  r.post('/v1/nodes/:node/storage-pools', mutation({op: 'create', obj: 'storPool'}, async (req, _res, ok) => {
    const {pool, changes} = createStorPool(store.state, req.params.node as string, req.body, ids)
    await store.commit(changes)
    await link.kick([pool.node])
    return [ok(Rc.CREATED, {message: `Storage pool '${pool.name}' on node '${pool.node}' registered.`,
      details: `Storage pool '${pool.name}' on node '${pool.node}' UUID is: ${pool.uuid}`,
      obj_refs: {Node: pool.node, StorPoolDfn: pool.name, UUID: pool.uuid}})]
  }, 201))

  r.get('/v1/storage-pool-definitions', (_req, res) => {
    sendJson(res, 200, Object.values(store.state.storPoolDfns).sort((a, b) => compareNames(a.name, b.name))
      .map((d) => ({storage_pool_name: d.name, props: d.props})))
  })
}
