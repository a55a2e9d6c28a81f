// The options of drbd-reactor's promoter plugin for one resource ([promoter.resources.<drbd-res>]),
// with the values the reactor accepts and its defaults (drbd-reactor 1.11).

import {isOcfAgent, parseStartEntry} from './ocf-agent.ts'

export const SYSTEMD_DEPENDENCIES = ['Wants', 'Requires', 'Requisite', 'BindsTo'] as const
export type SystemdDependency = typeof SYSTEMD_DEPENDENCIES[number]

/** systemd FailureAction values for a failed demotion. */
export const DEMOTE_FAILURE_ACTIONS = ['none', 'reboot', 'reboot-force', 'reboot-immediate', 'poweroff',
  'poweroff-force', 'poweroff-immediate', 'exit', 'exit-force'] as const
export type DemoteFailureAction = typeof DEMOTE_FAILURE_ACTIONS[number]

/** One [promoter.resources.<name>] table, keys as they appear in TOML. */
export interface PromoterResourceOptions {
  'start'?: string[]
  'stop'?: string[]
  'runner'?: 'systemd' | 'shell'
  'dependencies-as'?: SystemdDependency
  'target-as'?: SystemdDependency
  'on-drbd-demote-failure'?: DemoteFailureAction
  'stop-services-on-exit'?: boolean
  'secondary-force'?: boolean
  'sleep-before-promote-factor'?: number
  'preferred-nodes'?: string[]
  'preferred-nodes-policy'?: 'always' | 'start-only'
  'on-quorum-loss'?: 'shutdown' | 'freeze'
  'on-disk-detach'?: 'ignore' | 'fail-over'
  'fencing-promote-delay'?: number
  'adjust-resource-on-start'?: boolean
  'on-stop-failure'?: string
}

/** One [[promoter]] entry. `metadata` is the gateway's own table; the reactor ignores it. */
export interface PromoterConfig {
  resources: Record<string, PromoterResourceOptions>
  metadata?: Record<string, unknown>
  id?: string
}

export type PromoterOptionSpec =
  | {kind: 'enum', values: readonly string[], default: string}
  | {kind: 'bool', default: boolean}
  | {kind: 'uint', max: number, default: number}
  | {kind: 'strings', default: readonly string[] | 'reverse of start'}
  | {kind: 'string', default: string, deprecated: true}

const U32_MAX = 2 ** 32 - 1

/** Every promoter option per resource, from drbd-reactor's PromoterOptResource. */
export const PROMOTER_OPTIONS: Readonly<Record<keyof PromoterResourceOptions, PromoterOptionSpec>> = {
  'start': {kind: 'strings', default: []},
  // Only used by the shell runner; systemd stops the units in reverse order by itself.
  'stop': {kind: 'strings', default: 'reverse of start'},
  'runner': {kind: 'enum', values: ['systemd', 'shell'], default: 'systemd'},
  'dependencies-as': {kind: 'enum', values: SYSTEMD_DEPENDENCIES, default: 'Requires'},
  'target-as': {kind: 'enum', values: SYSTEMD_DEPENDENCIES, default: 'Requires'},
  'on-drbd-demote-failure': {kind: 'enum', values: DEMOTE_FAILURE_ACTIONS, default: 'none'},
  'stop-services-on-exit': {kind: 'bool', default: false},
  'secondary-force': {kind: 'bool', default: true},
  'sleep-before-promote-factor': {kind: 'uint', max: U32_MAX, default: 1},
  'preferred-nodes': {kind: 'strings', default: []},
  'preferred-nodes-policy': {kind: 'enum', values: ['always', 'start-only'], default: 'always'},
  'on-quorum-loss': {kind: 'enum', values: ['shutdown', 'freeze'], default: 'shutdown'},
  'on-disk-detach': {kind: 'enum', values: ['ignore', 'fail-over'], default: 'ignore'},
  'fencing-promote-delay': {kind: 'uint', max: Number.MAX_SAFE_INTEGER, default: 5},
  'adjust-resource-on-start': {kind: 'bool', default: true},
  'on-stop-failure': {kind: 'string', default: '', deprecated: true},
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function valueProblem(name: string, spec: PromoterOptionSpec, value: unknown): string | undefined {
  switch (spec.kind) {
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value)
        ? undefined
        : `promoter option '${name}' must be one of ${spec.values.join(', ')}, got ${JSON.stringify(value)}`
    case 'bool':
      return typeof value === 'boolean' ? undefined : `promoter option '${name}' must be true or false, got ${JSON.stringify(value)}`
    case 'uint':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= spec.max
        ? undefined
        : `promoter option '${name}' must be a whole number from 0 to ${spec.max}, got ${JSON.stringify(value)}`
    case 'strings':
      return Array.isArray(value) && value.every((s) => typeof s === 'string')
        ? undefined
        : `promoter option '${name}' must be a list of strings`
    case 'string':
      return typeof value === 'string' ? undefined : `promoter option '${name}' must be a string`
  }
}

// The systemd runner turns each entry into a unit; a "/" in a unit name or two entries with the
// same name make the reactor refuse the whole resource.
function startProblems(start: readonly string[]): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const entry of start) {
    let name: string
    try {
      const e = parseStartEntry(entry)
      name = isOcfAgent(e) ? e.instance : e.unit
    } catch (err) {
      problems.push(`start entry ${JSON.stringify(entry)}: ${(err as Error).message}`)
      continue
    }
    if (name === '' || name.includes('/') || /\s/.test(name)) {
      problems.push(`start entry ${JSON.stringify(entry)}: invalid unit name '${name}'`)
    } else if (seen.has(name)) problems.push(`start entry ${JSON.stringify(entry)}: the name '${name}' is used twice`)
    seen.add(name)
  }
  return problems
}

/** Everything wrong with one resource's promoter options; unknown keys are reported as typos. */
export function promoterOptionProblems(options: unknown): string[] {
  if (!isRecord(options)) return ['promoter resource options must be a table']
  const problems: string[] = []
  for (const [name, value] of Object.entries(options)) {
    const spec = Object.hasOwn(PROMOTER_OPTIONS, name) ? PROMOTER_OPTIONS[name as keyof PromoterResourceOptions] : undefined
    if (!spec) {
      problems.push(`unknown promoter option '${name}'`)
      continue
    }
    const problem = valueProblem(name, spec, value)
    if (problem !== undefined) problems.push(problem)
  }
  const start = options['start']
  if (Array.isArray(start) && start.every((s) => typeof s === 'string') && options['runner'] !== 'shell') {
    problems.push(...startProblems(start))
  }
  return problems
}

/** Everything wrong with one [[promoter]] entry and its resources. */
export function promoterConfigProblems(promoter: unknown): string[] {
  if (!isRecord(promoter)) return ['a promoter entry must be a table']
  const problems: string[] = []
  for (const key of Object.keys(promoter)) {
    if (!['resources', 'metadata', 'id'].includes(key)) problems.push(`unknown promoter key '${key}'`)
  }
  const resources = promoter['resources'] ?? {}
  if (!isRecord(resources)) return [...problems, "promoter 'resources' must be a table"]
  for (const [name, options] of Object.entries(resources)) {
    problems.push(...promoterOptionProblems(options).map((p) => `resource ${name}: ${p}`))
  }
  return problems
}
