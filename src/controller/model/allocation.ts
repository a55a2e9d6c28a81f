// DRBD numbers: TCP ports per resource definition, minors per volume definition, node-ids per
// resource. The lowest free number in the range wins; ranges come from controller properties.
import {Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from './api-failure.ts'
import type {ClusterState} from './state.ts'
import {minorsInUse, portsInUse} from './state-index.ts'

export interface Range {min: number, max: number}

function parseRange(text: string | undefined, dflt: Range): Range {
  const m = /^(\d+)\s*-\s*(\d+)$/.exec(text ?? '')
  return m ? {min: Number(m[1]), max: Number(m[2])} : dflt
}

export const portRange = (s: ClusterState): Range => parseRange(s.ctrlProps.CTRL?.props['TcpPortAutoRange'], {min: 7000, max: 7999})
/** Ports a snapshot shipment's receiver listens on (LINSTOR's default 12000-12999). */
export const shippingPortRange = (s: ClusterState): Range => parseRange(s.ctrlProps.CTRL?.props['SnapshotShipping/TcpPortRange'], {min: 12000, max: 12999})
export const minorRange = (s: ClusterState): Range => parseRange(s.ctrlProps.CTRL?.props['MinorNrAutoRange'], {min: 1000, max: 49999})

export function lowestFree(taken: (n: number) => boolean, range: Range, what: string): number {
  for (let n = range.min; n <= range.max; n++) if (!taken(n)) return n
  throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: `No free ${what} left in ${range.min}-${range.max}.`,
    correction: 'Widen the range in the controller properties or delete unused resources.'})
}

// The index's map is looked up once: a search for the lowest free number tries every one in use below it.
export function portTaken(s: ClusterState): (n: number) => boolean {
  const inUse = portsInUse(s)
  return (n) => inUse.has(n)
}
export function minorTaken(s: ClusterState): (n: number) => boolean {
  const inUse = minorsInUse(s)
  return (n) => inUse.has(n)
}
