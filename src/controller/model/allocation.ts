// DRBD numbers: TCP ports per resource definition, minors per volume definition, node-ids per
// resource. The lowest free number in the range wins; ranges come from controller properties.
import {Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from './api-failure.ts'
import type {ClusterState} from './state.ts'

export interface Range {min: number, max: number}

function parseRange(text: string | undefined, dflt: Range): Range {
  const m = /^(\d+)\s*-\s*(\d+)$/.exec(text ?? '')
  return m ? {min: Number(m[1]), max: Number(m[2])} : dflt
}

export const portRange = (s: ClusterState): Range => parseRange(s.ctrlProps.CTRL?.props['TcpPortAutoRange'], {min: 7000, max: 7999})
export const minorRange = (s: ClusterState): Range => parseRange(s.ctrlProps.CTRL?.props['MinorNrAutoRange'], {min: 1000, max: 49999})

export function lowestFree(used: Iterable<number>, range: Range, what: string): number {
  const taken = new Set(used)
  for (let n = range.min; n <= range.max; n++) if (!taken.has(n)) return n
  throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: `No free ${what} left in ${range.min}-${range.max}.`,
    correction: 'Widen the range in the controller properties or delete unused resources.'})
}

export const usedPorts = (s: ClusterState): number[] =>
  Object.values(s.rscDfns).flatMap((d) => (d.drbd?.port !== undefined ? [d.drbd.port] : []))
export const usedMinors = (s: ClusterState): number[] =>
  Object.values(s.vlmDfns).flatMap((v) => (v.minor !== undefined ? [v.minor] : []))
