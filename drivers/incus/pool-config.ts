// The configuration of an Incus storage pool of driver `linstor`: validation with one message per
// problem, and the filled-in values Incus works with (its FillConfig and Create defaults).

import {nameProblem} from '../../src/common/names.ts'
import {parseIncusBool, parseUint32} from './config-values.ts'
import {DRBD_PROPS, RAW_PREFIX, drbdProps, propFor} from './drbd-props.ts'
import {parseIncusSize} from './incus-size.ts'
import {VOLUME_RULES} from './volume-config.ts'

export const DEFAULT_RESOURCE_GROUP = 'incus'
export const DEFAULT_PLACE_COUNT = 2
export const DEFAULT_VOLUME_PREFIX = 'incus-volume-'

/**
 * Resource and snapshot names are the prefix plus 32 hex digits and LINSTOR allows 48 characters,
 * so the prefix may have 16 at most (Incus itself only demands fewer than 24, which LINSTOR refuses).
 */
export const MAX_VOLUME_PREFIX = 48 - 32

export interface IncusPool {
  resourceGroup: string
  placeCount: number
  storagePool: string | undefined
  volumePrefix: string
  onNoQuorum: string
  /** The Go duration as written; drbd-props.ts converts it. */
  autoDiskful: string | undefined
  autoAddQuorumTiebreaker: boolean
  /** linstor.raw.<key> entries, by LINSTOR property name. */
  raw: Record<string, string>
  /** Whether Incus created the resource group (and so deletes it with the pool). */
  pristine: boolean
  /** The pool's `volume.<key>` defaults, by volume key. */
  volumeDefaults: Record<string, string>
}

const POOL_KEYS = [
  'linstor.resource_group.name', 'linstor.resource_group.place_count', 'linstor.resource_group.storage_pool',
  'linstor.volume.prefix', 'volatile.pool.pristine', 'source', 'source.wipe', 'volatile.initial_source',
  'rsync.bwlimit', 'rsync.compression', ...Object.keys(DRBD_PROPS),
]

/**
 * `poolName` is the Incus pool's own name: Incus uses it for the resource group when neither
 * `source` nor linstor.resource_group.name is set (its documentation says `incus`, the default
 * used here when no pool name is given).
 */
export function incusPoolConfig(config: Record<string, string>, poolName?: string): {pool?: IncusPool, errors: string[]} {
  const errors = unknownKeys(config)
  const problem = (key: string, message: string | undefined): void => void (message && errors.push(`${key}: ${message}`))

  const source = config['source'] || undefined
  const named = config['linstor.resource_group.name'] || undefined
  if (source && named && source !== named) {
    errors.push(`source and linstor.resource_group.name must not differ ('${source}' and '${named}')`)
  }
  const resourceGroup = source ?? named ?? poolName ?? DEFAULT_RESOURCE_GROUP
  const rgProblem = nameProblem('resource group', resourceGroup)
  if (rgProblem) errors.push(`${source ? 'source' : 'linstor.resource_group.name'}: '${resourceGroup}' is not a resource group name (${rgProblem})`)

  const countText = config['linstor.resource_group.place_count'] || String(DEFAULT_PLACE_COUNT)
  const placeCount = parseUint32(countText)
  problem('linstor.resource_group.place_count', placeCount === undefined || placeCount < 1
    ? `'${countText}' is not a positive whole number` : undefined)

  const storagePool = config['linstor.resource_group.storage_pool'] || undefined
  if (storagePool) {
    const sp = nameProblem('storage pool', storagePool)
    problem('linstor.resource_group.storage_pool', sp && `'${storagePool}' is not a storage pool name (${sp})`)
  }

  const volumePrefix = config['linstor.volume.prefix'] || DEFAULT_VOLUME_PREFIX
  problem('linstor.volume.prefix', prefixProblem(volumePrefix))

  for (const key of ['source.wipe', 'rsync.compression', 'volatile.pool.pristine']) {
    const v = config[key]
    if (v) problem(key, parseIncusBool(v) === undefined ? `'${v}' is not a boolean (true or false)` : undefined)
  }
  const bwlimit = config['rsync.bwlimit']
  if (bwlimit) problem('rsync.bwlimit', sizeProblem(bwlimit))

  const volumeDefaults: Record<string, string> = {}
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith('volume.')) continue
    const volumeKey = key.slice('volume.'.length)
    volumeDefaults[volumeKey] = value
    const rule = VOLUME_RULES[volumeKey]
    if (rule && value !== '') problem(key, rule(value))
  }
  const volumeDrbd = Object.fromEntries(Object.entries(volumeDefaults).filter(([k]) => k in DRBD_PROPS))
  errors.push(...drbdProps(volumeDrbd).errors.map((e) => `volume.${e}`))
  errors.push(...drbdProps(config).errors)
  if (errors.length > 0) return {errors}

  const raw: Record<string, string> = {}
  for (const [key, value] of Object.entries(config)) {
    const prop = key.startsWith(RAW_PREFIX) ? propFor(key) : undefined
    if (prop && 'name' in prop) raw[prop.name] = value
  }
  const pool: IncusPool = {
    resourceGroup,
    placeCount: placeCount as number,
    storagePool,
    volumePrefix,
    onNoQuorum: config['drbd.on_no_quorum'] || 'suspend-io',
    autoDiskful: config['drbd.auto_diskful'] || undefined,
    autoAddQuorumTiebreaker: parseIncusBool(config['drbd.auto_add_quorum_tiebreaker'] || 'true') ?? true,
    raw,
    pristine: parseIncusBool(config['volatile.pool.pristine'] ?? 'false') ?? false,
    volumeDefaults,
  }
  return {pool, errors}
}

function unknownKeys(config: Record<string, string>): string[] {
  return Object.keys(config).filter((key) => {
    if (POOL_KEYS.includes(key) || key.startsWith('user.') || key.startsWith(RAW_PREFIX)) return false
    return !(key.startsWith('volume.') && key.slice('volume.'.length) in VOLUME_RULES)
  }).map((key) => `unknown key '${key}'`)
}

function prefixProblem(prefix: string): string | undefined {
  if (prefix.length > MAX_VOLUME_PREFIX) {
    return `'${prefix}' is longer than ${MAX_VOLUME_PREFIX} characters (resource names are the prefix plus 32 characters, at most 48)`
  }
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(prefix)) {
    return `'${prefix}' cannot start a LINSTOR resource name (a letter or '_' first, then letters, digits, '_' or '-')`
  }
  return undefined
}

function sizeProblem(value: string): string | undefined {
  try {
    parseIncusSize(value)
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}
