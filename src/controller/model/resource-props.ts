// The properties of one resource (a definition deployed on a node) and of its volumes, as
// `resource set-property` and `volume set-property` change them (PUT …/resources/{node} and
// …/resources/{node}/volumes/{nr}). A resource's DrbdOptions/* win over its definition's on that
// node; volume properties are kept and listed, as LINSTOR keeps them. Pure.
import {Rc} from '../../common/api-call-rc.ts'
import {object} from '../../common/input.ts'
import {ApiFailure, asApiFailure} from './api-failure.ts'
import {modifyProps} from './props.ts'
import {findRsc, type RscRec} from './resource.ts'
import {vlmDfnsOf} from './resource-definition.ts'
import {type Change, type ClusterState, key2} from './state.ts'

const changed = (r: RscRec): {rsc: RscRec, changes: Change[]} => ({rsc: r, changes: [{t: 'rscs', k: key2(r.rscDfn, r.node), v: r}]})

export function modifyRscProps(state: ClusterState, rd: string, node: string, body: unknown): {rsc: RscRec, changes: Change[]} {
  const r = findRsc(state, rd, node)
  return asApiFailure(() => changed({...r, props: modifyProps(r.props, object(body ?? {}, 'resource modify'))}))
}

export function modifyVlmProps(state: ClusterState, rd: string, node: string, vlmNr: string, body: unknown):
  {rsc: RscRec, changes: Change[]} {
  const r = findRsc(state, rd, node)
  if (!vlmDfnsOf(state, r.rscDfn).some((vd) => String(vd.vlmNr) === vlmNr)) {
    throw new ApiFailure(Rc.FAIL_NOT_FOUND_VLM, {message: `Volume ${vlmNr} of resource '${r.rscDfn}' on node '${r.node}' not found.`})
  }
  return asApiFailure(() => changed({...r, vlmProps: {...r.vlmProps, [vlmNr]: modifyProps(r.vlmProps?.[vlmNr] ?? {}, object(body ?? {}, 'volume modify'))}}))
}
