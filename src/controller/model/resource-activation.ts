// resource activate/deactivate: an INACTIVE resource keeps its volumes, but its node takes the
// DRBD resource down and its peers stop expecting it (as LINSTOR does for a shipping target or
// the passive side of a shared storage pool). Pure.
import {Rc, type RcText} from '../../common/api-call-rc.ts'
import {ApiFailure} from './api-failure.ts'
import type {InUse} from './in-use.ts'
import {findRsc, type RscRec} from './resource.ts'
import {key2, type Change, type ClusterState} from './state.ts'

const INACTIVE = 'INACTIVE'

export const isActive = (r: RscRec): boolean => !r.flags.includes(INACTIVE)

/** Sets the resource active or inactive; `noop` says why nothing changes. */
export function setActive(state: ClusterState, rd: string, node: string, active: boolean, inUse: InUse):
  {rsc: RscRec, changes: Change[], noop?: RcText} {
  const r = findRsc(state, rd, node)
  if (isActive(r) === active) return {rsc: r, changes: [], noop: {message: `Resource is already ${active ? 'activated' : 'deactivated'}. Noop`}}
  if (!active && inUse(r.rscDfn, r.node)) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: 'Cannot deactivate a resource while being in use!',
      cause: `Resource '${r.rscDfn}' is open (Primary) on node '${r.node}'.`, correction: 'Stop what uses it (unmount, stop the VM or target), then try again.'})
  }
  const next: RscRec = {...r, flags: active ? r.flags.filter((f) => f !== INACTIVE) : [...r.flags, INACTIVE]}
  return {rsc: next, changes: [{t: 'rscs', k: key2(r.rscDfn, r.node), v: next}]}
}
