// The names linstor-csi derives, reproduced so that a volume or storage class gets the same
// LINSTOR name whether linstor-csi or Cairn's CSI plugin creates it.
//
// Both use pborman/uuid.NewSHA1(space, data): SHA-1 over the *bytes* of `space` (here plain
// strings, not 16-byte UUIDs) followed by `data`, first 16 bytes, version 5, RFC 4122 variant.

import {createHash} from 'node:crypto'
import type {CsiParameters} from './csi-parameters.ts'

export const CSI_DRIVER_NAME = 'linstor.csi.linbit.com'
const RESOURCE_GROUP_NAMESPACE = `resourcegroup.${CSI_DRIVER_NAME}`

export function sha1Uuid(space: string | Uint8Array, data: string): string {
  const bytes = createHash('sha1').update(space).update(data, 'utf8').digest().subarray(0, 16)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** linstor-csi's own check, slightly different from LINSTOR's (it refuses 'all' and 1-letter names). */
export function csiResourceNameProblem(name: string): string | undefined {
  if (name === 'all') return "'all' is not allowed as a resource name"
  if (!/[A-Za-z]/.test(name)) return 'the resource name has no letter (A-Z, a-z)'
  if (!/^[A-Za-z_][A-Za-z0-9_-]{1,47}$/.test(name)) return 'the resource name does not match ^[A-Za-z_][A-Za-z0-9_-]{1,47}$'
  return undefined
}

/**
 * The resource definition for a CSI volume name (Nomad: the volume spec's `name`): the name itself
 * when LINSTOR accepts it, else `vol-<uuid5 of the name>`.
 */
export function csiVolumeResourceName(name: string): string {
  return csiResourceNameProblem(name) === undefined ? name : `vol-${sha1Uuid(CSI_DRIVER_NAME, name)}`
}

export type DerivationInput = Pick<CsiParameters, 'placementCount' | 'storagePools' | 'doNotPlaceWithRegex' | 'replicasOnSame' |
  'replicasOnDifferent' | 'xReplicasOnDifferent' | 'layerList' | 'disklessOnRemaining' | 'properties'>

/**
 * The resource group of a storage class without `resourceGroup`: `sc-<uuid5>` of the Go JSON of
 * the modification its parameters would make to an empty group.
 */
export function csiDerivedResourceGroupName(p: DerivationInput): string {
  return `sc-${sha1Uuid(RESOURCE_GROUP_NAMESPACE, derivationModifyJson(p))}`
}

/**
 * That modification as golinstor's ResourceGroupModify marshals it: fields in struct order, zero
 * values left out (omitempty), map keys sorted, <>& escaped. Written by hand so that neither the
 * field order nor the order of integer-like map keys depends on JavaScript's object rules.
 */
export function derivationModifyJson(p: DerivationInput): string {
  const map = (m: Record<string, string | number>): string =>
    `{${Object.keys(m).sort(byBytes).map((k) => `${goJson(k)}:${goJson(m[k])}`).join(',')}}`
  const filter: string[] = []
  const field = (name: string, json: string): void => void filter.push(`"${name}":${json}`)
  if (p.placementCount !== 0) field('place_count', String(p.placementCount))
  if (p.storagePools.length > 0) field('storage_pool_list', goJson(p.storagePools))
  if (p.doNotPlaceWithRegex !== '') field('not_place_with_rsc_regex', goJson(p.doNotPlaceWithRegex))
  if (p.replicasOnSame.length > 0) field('replicas_on_same', goJson(p.replicasOnSame))
  if (p.replicasOnDifferent.length > 0) field('replicas_on_different', goJson(p.replicasOnDifferent))
  if (Object.keys(p.xReplicasOnDifferent).length > 0) field('x_replicas_on_different_map', map(p.xReplicasOnDifferent))
  if (p.layerList.length > 0) field('layer_stack', goJson(p.layerList))
  if (p.disklessOnRemaining) field('diskless_on_remaining', 'true')
  const props = Object.keys(p.properties).length > 0 ? `"override_props":${map(p.properties)},` : ''
  return `{${props}"select_filter":{${filter.join(',')}}}`
}

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))

/** Go's encoding/json escapes <, > and & (and U+2028/9) inside strings; JSON.stringify does not. */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}
