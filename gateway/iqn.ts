// iSCSI qualified names (RFC 3720 §3.2.6.3.1): iqn.YYYY-MM.reversed.domain[:unique]. Lowercase only,
// because rtslib lowercases names and a mixed-case IQN would never match again.

import {targetNameProblem} from './target-name.ts'

/** RFC 3720: an iSCSI name is at most 223 bytes. */
const MAX_IQN_LENGTH = 223

// Upstream allows exactly two domain labels; real names (Debian's org.debian, Windows' hostnames)
// need more, so any number of labels from two up, and colon-separated parts after the domain.
const IQN_DOMAIN = String.raw`iqn\.\d{4}-[01]\d\.[a-z0-9-]+(?:\.[a-z0-9-]+)+`
const INITIATOR = new RegExp(String.raw`^${IQN_DOMAIN}(?::[a-z0-9.-]+)*$`)
// A target needs a unique part after the last colon: it becomes the resource name.
const TARGET = new RegExp(String.raw`^${IQN_DOMAIN}(?::[a-z0-9.-]+)*:([a-z][a-z0-9-]+)$`)

/** A target IQN and its unique part, the resource definition's name. */
export interface TargetIqn {
  iqn: string
  unique: string
}

/** The message upstream linstor-gateway gives for a malformed IQN. */
export function invalidIqnMessage(text: string): string {
  return `'${text}' is not a valid IQN. expected format: iqn.YYYY-MM.DOTTED.DOMAIN.NAME:UNIQUE_RESOURCE_NAME ` +
    '(only lowercase characters, digits, and "-")'
}

/** Splits a target IQN, throwing the reason when it is not one. */
export function parseTargetIqn(text: string): TargetIqn {
  const problem = targetIqnProblem(text)
  if (problem !== undefined) throw new Error(problem)
  const unique = text.slice(text.lastIndexOf(':') + 1)
  return {iqn: text, unique}
}

/** Why `text` cannot name a gateway iSCSI target, or undefined when it can. */
export function targetIqnProblem(text: string): string | undefined {
  if (text.length > MAX_IQN_LENGTH) return `'${text}' is not a valid IQN: longer than ${MAX_IQN_LENGTH} characters`
  const m = TARGET.exec(text)
  if (!m) return invalidIqnMessage(text)
  const unique = m[1] as string
  const problem = targetNameProblem(unique)
  return problem === undefined ? undefined : `'${text}' is not a valid IQN: the unique part '${unique}' ${problem}`
}

/** Why `text` cannot be an allowed initiator, or undefined when it can. */
export function initiatorIqnProblem(text: string): string | undefined {
  if (text.length > MAX_IQN_LENGTH) return `'${text}' is not a valid IQN: longer than ${MAX_IQN_LENGTH} characters`
  return INITIATOR.test(text) ? undefined : invalidIqnMessage(text)
}
