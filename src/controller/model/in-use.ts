// Deleting what is open. Pure: whether a resource is open comes from the satellites' reports.
import {Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from './api-failure.ts'
import type {RscRec} from './resource.ts'

/** Whether a node reports the resource open (DRBD Primary); from the satellites' reports. */
export type InUse = (rsc: string, node: string) => boolean

/**
 * A resource that is open is not torn down under its user: LINSTOR answers FAIL_IN_USE, and
 * clients such as Incus retry the delete until the device is closed.
 */
export function refuseInUse(rscs: readonly RscRec[], inUse: InUse, retry = 'delete'): void {
  const busy = rscs.filter((r) => inUse(r.rscDfn, r.node))
  if (!busy.length) return
  throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Resource '${busy[0]?.rscDfn}' is in use on ${busy.map((r) => `'${r.node}'`).join(', ')}.`,
    cause: 'The DRBD device is open (Primary) there: a mounted file system, a running VM or a target.',
    correction: `Stop what uses it (unmount, stop the VM or target), then ${retry} again.`})
}
