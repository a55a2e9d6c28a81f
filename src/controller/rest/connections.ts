// /v1/node-connections and /v1/resource-definitions/{rd}/resource-connections.
import type {Request, Response, Router} from 'express'
import {rc, Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from '../model/api-failure.ts'
import {findRscConn, listNodeConns, listRscConns, modifyNodeConn, modifyRscConn} from '../model/connections.ts'
import type {RestDeps} from './deps.ts'
import {mutation, sendJson, sendRcs} from './reply.ts'

/** A read whose model function may refuse: the value with 200, or the failure (404 for NOT_FOUND codes). */
function read(res: Response, fn: () => unknown): void {
  try {
    sendJson(res, 200, fn())
  } catch (e) {
    if (e instanceof ApiFailure) sendRcs(res, [rc(e.code, e.text)], 200)
    else throw e
  }
}

function queryOne(req: Request, name: string): string | undefined {
  const raw = req.query[name]
  const v = Array.isArray(raw) ? raw[0] : raw
  return typeof v === 'string' && v !== '' ? v : undefined
}

export function connectionRoutes(r: Router, deps: RestDeps): void {
  const {store, ids} = deps

  r.get('/v1/node-connections', (req, res) => {
    read(res, () => listNodeConns(store.state, queryOne(req, 'node_a'), queryOne(req, 'node_b')))
  })

  r.put('/v1/node-connections/:a/:b', mutation({op: 'modify', obj: 'nodeConn', body: 'NodeConnectionModify'}, async (req, _res, ok) => {
    const a = req.params.a as string
    const b = req.params.b as string
    const {changes, conn} = modifyNodeConn(store.state, a, b, req.body, ids)
    // LINSTOR sends this warning without masks.
    if (!conn) return [rc(Rc.WARN_NOT_FOUND, {message: `Node connection between nodes '${a}' and '${b}' does not exist`})]
    await store.commit(changes)
    const what = `Node connection between nodes '${conn.nodeA}' and '${conn.nodeB}'`
    return [ok(Rc.MODIFIED, {message: `${what} modified.`, details: `${what} UUID is: ${conn.uuid}`,
      obj_refs: {FirstNode: a, SecondNode: b, UUID: conn.uuid}})]
  }, 200))

  r.get('/v1/resource-definitions/:rd/resource-connections', (req, res) => {
    read(res, () => listRscConns(store.state, req.params.rd))
  })

  r.get('/v1/resource-definitions/:rd/resource-connections/:a/:b', (req, res) => {
    read(res, () => findRscConn(store.state, req.params.rd, req.params.a, req.params.b))
  })

  r.put('/v1/resource-definitions/:rd/resource-connections/:a/:b', mutation({op: 'modify', obj: 'rscConn', body: 'ResourceConnectionModify'}, async (req, _res, ok) => {
    const {rd, a, b} = req.params as {rd: string, a: string, b: string}
    const {changes, conn} = modifyRscConn(store.state, rd, a, b, req.body, ids)
    if (changes.length) await store.commit(changes)
    const what = `Resource connection between nodes '${conn.nodeA}' and '${conn.nodeB}' for resource '${conn.rscDfn}'`
    return [ok(Rc.MODIFIED, {message: `${what} modified.`, details: `${what} UUID is: ${conn.uuid}`,
      obj_refs: {FirstNode: a, SecondNode: b, RscDfn: conn.rscDfn, UUID: conn.uuid}})]
  }, 200))
}
