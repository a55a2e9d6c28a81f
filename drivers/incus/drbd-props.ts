// The Incus keys that become LINSTOR properties: drbd.* (on the resource group for a pool, on
// the resource definition for a volume) and linstor.raw.<LINSTOR key> passed through verbatim.
//
// drbd.auto_diskful: Incus takes a Go duration (at least one minute) and writes
// int(duration.Seconds()), so "5m" reaches LINSTOR as "300". LINSTOR reads DrbdOptions/auto-diskful
// in minutes, so Cairn converts to minutes instead, truncating as Incus's int() does ("90s" is 1).
// The 'incus-seconds' unit reproduces what Incus itself sends, for comparisons.

import {parseIncusBool} from './config-values.ts'
import {parseGoDuration} from '../../src/common/go-duration.ts'

export const DRBD_PROPS: Readonly<Record<string, string>> = {
  'drbd.on_no_quorum': 'DrbdOptions/Resource/on-no-quorum',
  'drbd.auto_diskful': 'DrbdOptions/auto-diskful',
  'drbd.auto_add_quorum_tiebreaker': 'DrbdOptions/auto-add-quorum-tiebreaker',
}

export const RAW_PREFIX = 'linstor.raw.'

/** LINSTOR keys Incus itself manages and refuses through linstor.raw.*. */
const LOCKED = ['DrbdOptions/Net/allow-two-primaries', 'DrbdOptions/Resource/quorum', 'DrbdOptions/auto-verify-alg']

export const ON_NO_QUORUM = ['io-error', 'suspend-io']

export type AutoDiskfulUnit = 'minutes' | 'incus-seconds'

export interface PropChanges {
  override: Record<string, string>
  /** Keys given an empty value: Incus removes the property. */
  delete: string[]
  errors: string[]
}

/** Converts the drbd.* and linstor.raw.* entries of a config (or of a set of changed keys). */
export function drbdProps(config: Record<string, string>, unit: AutoDiskfulUnit = 'minutes'): PropChanges {
  const result: PropChanges = {override: {}, delete: [], errors: []}
  for (const [key, value] of Object.entries(config)) {
    const prop = propFor(key)
    if (prop === undefined) continue
    if ('error' in prop) {
      result.errors.push(prop.error)
      continue
    }
    if (value === '') {
      result.delete.push(prop.name)
      continue
    }
    const converted = convert(key, value, unit)
    if ('error' in converted) result.errors.push(`${key}: ${converted.error}`)
    else result.override[prop.name] = converted.value
  }
  result.delete.sort()
  return result
}

/** The LINSTOR property of an Incus key, an error for a forbidden raw key, undefined for other keys. */
export function propFor(key: string): {name: string} | {error: string} | undefined {
  if (key.startsWith(RAW_PREFIX)) {
    const raw = key.slice(RAW_PREFIX.length)
    if (raw === '') return {error: `${key}: the LINSTOR property name is missing`}
    if (raw.startsWith('Aux/Incus/')) return {error: `${key}: Incus metadata cannot be set by hand`}
    const incusKey = Object.entries(DRBD_PROPS).find(([, p]) => p === raw)?.[0]
    if (incusKey) return {error: `${key}: set DRBD property '${raw}' with the '${incusKey}' key`}
    if (LOCKED.includes(raw)) return {error: `${key}: DRBD property '${raw}' is managed by Incus and cannot be set by hand`}
    return {name: raw}
  }
  const name = DRBD_PROPS[key]
  return name === undefined ? undefined : {name}
}

function convert(key: string, value: string, unit: AutoDiskfulUnit): {value: string} | {error: string} {
  switch (key) {
    case 'drbd.on_no_quorum':
      return ON_NO_QUORUM.includes(value) ? {value} : {error: `'${value}' is not one of ${ON_NO_QUORUM.join(', ')}`}
    case 'drbd.auto_add_quorum_tiebreaker': {
      const b = parseIncusBool(value)
      return b === undefined ? {error: `'${value}' is not a boolean (true or false)`} : {value: String(b)}
    }
    case 'drbd.auto_diskful': {
      let seconds: number
      try {
        seconds = parseGoDuration(value)
      } catch (e) {
        return {error: `'${value}' is not a duration (${(e as Error).message})`}
      }
      if (seconds < 60) return {error: `'${value}' is shorter than one minute`}
      return {value: String(Math.trunc(unit === 'minutes' ? seconds / 60 : seconds))}
    }
    default:
      return {value}
  }
}
