// PUT /v1/resource-definitions/{rd}/resources/{node} and …/volumes/{nr}: the properties of one
// resource and of its volumes (`resource set-property`, `volume set-property`, and the DRBD
// options a resource carries on its node).
import type {Router} from 'express'
import {Rc} from '../../common/api-call-rc.ts'
import {modifyRscProps, modifyVlmProps} from '../model/resource-props.ts'
import type {RestDeps} from './deps.ts'
import {mutation} from './reply.ts'

export function resourcePropsRoutes(r: Router, deps: RestDeps): void {
  const {store, link} = deps

  r.put('/v1/resource-definitions/:rd/resources/:node', mutation({op: 'modify', obj: 'rsc', body: 'ResourceModify'}, async (req, _res, ok) => {
    const {rsc, changes} = modifyRscProps(store.state, req.params.rd as string, req.params.node as string, req.body)
    await store.commit(changes)
    // The satellite applies changed DRBD options now rather than at its next sync.
    await link.kick([rsc.node])
    return [ok(Rc.MODIFIED, {message: `Resource '${rsc.rscDfn}' on node '${rsc.node}' modified.`, obj_refs: {RscDfn: rsc.rscDfn, Node: rsc.node}})]
  }, 200))

  r.put('/v1/resource-definitions/:rd/resources/:node/volumes/:nr', mutation({op: 'modify', obj: 'vlm', body: 'VolumeModify'}, async (req, _res, ok) => {
    const nr = req.params.nr as string
    const {rsc, changes} = modifyVlmProps(store.state, req.params.rd as string, req.params.node as string, nr, req.body)
    await store.commit(changes)
    return [ok(Rc.MODIFIED, {message: `Volume ${nr} of resource '${rsc.rscDfn}' on node '${rsc.node}' modified.`,
      obj_refs: {RscDfn: rsc.rscDfn, Node: rsc.node, VlmNr: nr}})]
  }, 200))
}
