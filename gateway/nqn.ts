// NVMe qualified names. Upstream accepts any three colon-separated parts and rewrites the middle one
// to "nvme"; Cairn accepts the NVMe spec's nqn.YYYY-MM.domain:... form, or vendor:nvme:subsystem,
// and keeps the name exactly as given.

import {targetNameProblem} from './target-name.ts'

/** NVMe base specification: an NQN is at most 223 bytes. */
const MAX_NQN_LENGTH = 223

const SPEC_FORM = /^nqn\.\d{4}-[01]\d\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::[A-Za-z0-9._-]+)+$/
const VENDOR = /^[A-Za-z0-9._-]+$/

/** An NQN and its subsystem part (after the last colon), the resource definition's name. */
export interface Nqn {
  nqn: string
  subsystem: string
}

/** Splits an NQN, throwing the reason when it cannot name a gateway target. */
export function parseNqn(text: string): Nqn {
  const problem = nqnProblem(text)
  if (problem !== undefined) throw new Error(problem)
  return {nqn: text, subsystem: text.slice(text.lastIndexOf(':') + 1)}
}

/** Why `text` cannot name a gateway NVMe-oF target, or undefined when it can. */
export function nqnProblem(text: string): string | undefined {
  const upstream = `NQN '${text}' malformed, expected <vendor>:nvme:<subsystem>`
  if (text.length > MAX_NQN_LENGTH) return `${upstream} (at most ${MAX_NQN_LENGTH} characters)`
  if (text.startsWith('nqn.')) {
    if (!SPEC_FORM.test(text)) return `${upstream} or nqn.YYYY-MM.<domain>:<subsystem>`
  } else {
    const parts = text.split(':')
    if (parts.length !== 3 || parts[1] !== 'nvme' || !VENDOR.test(parts[0] as string)) return upstream
  }
  const subsystem = text.slice(text.lastIndexOf(':') + 1)
  const problem = targetNameProblem(subsystem)
  return problem === undefined ? undefined : `NQN '${text}' malformed: the subsystem '${subsystem}' ${problem}`
}
