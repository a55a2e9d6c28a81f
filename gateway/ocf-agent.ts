// One entry of a promoter's start list. "ocf:<vendor>:<agent> <instance> k=v..." runs an OCF
// resource agent through drbd-reactor's ocf.rs@ wrapper; anything else is a systemd unit name.

import {shellQuote, shellSplit} from './shell-words.ts'

/** An OCF resource agent instance with its parameters (OCF_RESKEY_<name>). */
export interface OcfAgent {
  vendor: string
  agent: string
  instance: string
  params: Readonly<Record<string, string>>
}

/** A start entry that names a systemd unit instead of an agent. */
export interface SystemdUnitEntry {
  unit: string
}

export type StartEntry = OcfAgent | SystemdUnitEntry

export const isOcfAgent = (e: StartEntry): e is OcfAgent => 'agent' in e

// Parameter names become environment variable names; vendor, agent and instance become parts of a
// path and a unit name, so they must be single words without "/".
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const NAME_PART = /^[A-Za-z0-9._-]+$/

/** Why `a` cannot be written as a start entry, or undefined. */
export function ocfAgentProblem(a: OcfAgent): string | undefined {
  if (!NAME_PART.test(a.vendor)) return `invalid OCF vendor '${a.vendor}'`
  if (!NAME_PART.test(a.agent)) return `invalid OCF agent '${a.agent}'`
  if (!NAME_PART.test(a.instance)) return `invalid OCF instance name '${a.instance}'`
  for (const k of Object.keys(a.params)) if (!PARAM_NAME.test(k)) return `invalid OCF parameter name '${k}'`
  return undefined
}

/**
 * The start-list form. Parameters are sorted as whole `k=v` strings (not by key), as upstream does,
 * so that regenerating a file gives the same bytes.
 */
export function formatOcfAgent(a: OcfAgent): string {
  const problem = ocfAgentProblem(a)
  if (problem !== undefined) throw new Error(problem)
  const args = Object.entries(a.params).map(([k, v]) => `${k}=${shellQuote(v)}`).sort()
  return [`ocf:${a.vendor}:${a.agent}`, a.instance, ...args].join(' ')
}

/** Reads an "ocf:..." start entry; any shell quoting of the values is accepted. */
export function parseOcfAgent(text: string): OcfAgent {
  const words = shellSplit(text)
  if (words.length < 2) throw new Error(`expected at least type and name in ${JSON.stringify(text)}`)
  const type = (words[0] as string).split(':')
  if (type.length !== 3 || type[0] !== 'ocf') throw new Error(`expected ocf:<vendor>:<agent>, got '${words[0]}'`)
  const entries: [string, string][] = []
  for (const arg of words.slice(2)) {
    const eq = arg.indexOf('=')
    if (eq < 0) throw new Error(`expected key=value pairs as arguments, got '${arg}'`)
    const key = arg.slice(0, eq)
    if (entries.some(([k]) => k === key)) throw new Error(`parameter '${key}' given twice`)
    entries.push([key, arg.slice(eq + 1)])
  }
  // fromEntries defines own properties, so even a key named __proto__ stays a plain parameter.
  const agent: OcfAgent = {
    vendor: type[1] as string,
    agent: type[2] as string,
    instance: words[1] as string,
    params: Object.fromEntries(entries),
  }
  const problem = ocfAgentProblem(agent)
  if (problem !== undefined) throw new Error(problem)
  return agent
}

/** Reads any start entry: drbd-reactor treats entries starting with "ocf:" as agents. */
export function parseStartEntry(text: string): StartEntry {
  return text.startsWith('ocf:') ? parseOcfAgent(text) : {unit: text.trim()}
}

/** Shorthand for the heartbeat agents the gateway uses. */
export function heartbeat(agent: string, instance: string, params: Record<string, string>): OcfAgent {
  return {vendor: 'heartbeat', agent, instance, params}
}
