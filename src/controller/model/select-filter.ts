// AutoSelectFilter: the autoplacer's constraints, as resource groups store them and spawn and
// autoplace requests send them. A request's filter overrides the group's field by field.
import type {AutoSelectFilter} from '../../api/wire.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from './api-failure.ts'
import {InputError, object, optBool, optEnum, optInt, optString, optStringList} from '../../common/input.ts'
import {providerKinds, type ProviderKind} from './storage-pool.ts'

export const layerKinds = ['DRBD', 'STORAGE', 'LUKS', 'NVME', 'WRITECACHE', 'CACHE', 'BCACHE'] as const
export type LayerKind = typeof layerKinds[number]

/** Which layers may sit directly on each layer (LINSTOR's LayerUtils); STORAGE is the bottom of every stack. */
const CHILD_LAYERS: Record<LayerKind, readonly LayerKind[]> = {
  DRBD: ['NVME', 'LUKS', 'STORAGE', 'WRITECACHE', 'CACHE', 'BCACHE'],
  LUKS: ['STORAGE'],
  NVME: ['LUKS', 'STORAGE', 'WRITECACHE', 'CACHE', 'BCACHE'],
  WRITECACHE: ['NVME', 'LUKS', 'STORAGE', 'CACHE', 'BCACHE'],
  CACHE: ['NVME', 'LUKS', 'STORAGE', 'WRITECACHE', 'BCACHE'],
  BCACHE: ['NVME', 'LUKS', 'STORAGE', 'WRITECACHE'],
  STORAGE: [],
}

/** LINSTOR's default layer stack when neither definition nor group names one. */
export const DEFAULT_LAYERS: LayerKind[] = ['DRBD', 'STORAGE']

/** The wire's AutoSelectFilter, with the layer and provider lists checked against their enums. */
export type SelectFilter = Omit<AutoSelectFilter, 'layer_stack' | 'provider_list'> & {layer_stack?: LayerKind[], provider_list?: ProviderKind[]}

/**
 * A layer stack: known kinds, none twice, each on a layer it may sit on, STORAGE at the bottom.
 * `allowEmpty` for filters, where an empty list means "no preference".
 */
export function readLayerStack(raw: unknown, field = 'layer_stack', allowEmpty = false): LayerKind[] | undefined {
  if (raw === undefined || raw === null) return undefined
  if (!Array.isArray(raw)) {
    throw new ApiFailure(Rc.FAIL_INVLD_LAYER_STACK, {message: `'${field}' must be a list of layer kinds (${layerKinds.join(', ')}), got ${JSON.stringify(raw)}`,
      correction: 'Send for example ["DRBD", "STORAGE"] or ["STORAGE"].'})
  }
  let list: LayerKind[]
  try {
    list = raw.map((l) => optEnum(l, 'layer', layerKinds) as LayerKind)
  } catch (e) {
    throw new ApiFailure(Rc.FAIL_INVLD_LAYER_KIND, {message: (e as Error).message, correction: `Use the layer kinds ${layerKinds.join(', ')}.`})
  }
  if (!list.length && allowEmpty) return list
  const twice = list.find((l, i) => list.indexOf(l) !== i)
  if (!list.length || list[list.length - 1] !== 'STORAGE' || twice) {
    throw new ApiFailure(Rc.FAIL_INVLD_LAYER_STACK, {
      message: `Invalid layer stack [${list.join(', ')}]: ${twice ? `${twice} appears twice` : 'it must end with STORAGE'}.`,
      cause: 'Each layer sits on the one below it, and STORAGE is the bottom of every stack.',
      correction: 'Send for example ["DRBD", "STORAGE"], ["LUKS", "STORAGE"] or ["STORAGE"].'})
  }
  const misplaced = list.findIndex((l, i) => i > 0 && !CHILD_LAYERS[list[i - 1] as LayerKind].includes(l))
  if (misplaced > 0) {
    const [upper, lower] = [list[misplaced - 1] as LayerKind, list[misplaced] as LayerKind]
    throw new ApiFailure(Rc.FAIL_INVLD_LAYER_STACK, {
      message: `Invalid layer stack [${list.join(', ')}]: ${lower} cannot be below ${upper}.`,
      cause: `${upper} can only sit on ${CHILD_LAYERS[upper].join(', ')}.`,
      correction: 'Send for example ["DRBD", "LUKS", "STORAGE"], ["NVME", "STORAGE"] or ["LUKS", "STORAGE"].'})
  }
  // DRBD over NVMe runs DRBD on the initiators only, on the connected namespaces: not yet.
  if (list.includes('DRBD') && list.includes('NVME')) {
    throw new ApiFailure(Rc.FAIL_INVLD_LAYER_STACK, {message: `Layer stack [${list.join(', ')}]: Cairn does not run DRBD on top of NVMe-oF yet.`,
      correction: 'Use ["NVME", "STORAGE"] (or with LUKS below NVME) for NVMe-oF, or DRBD without NVME for replication.'})
  }
  return list
}

/** Reads a select_filter from a request; unknown values are refused with the field's name. */
export function readSelectFilter(raw: unknown): SelectFilter {
  if (raw === undefined || raw === null) return {}
  const o = object(raw, 'select_filter')
  const regex = optString(o.not_place_with_rsc_regex, 'not_place_with_rsc_regex')
  if (regex !== undefined) {
    try {
      new RegExp(regex)
    } catch {
      throw new InputError(`'not_place_with_rsc_regex' is not a valid regular expression: ${regex}`)
    }
  }
  const xmap = o.x_replicas_on_different_map
  let xReplicas: Record<string, number> | undefined
  if (xmap !== undefined && xmap !== null) {
    xReplicas = {}
    for (const [k, v] of Object.entries(object(xmap, 'x_replicas_on_different_map'))) {
      xReplicas[k] = optInt(v, `x_replicas_on_different_map.${k}`, 1, 255) as number
    }
  }
  const overprovision = o.overprovision
  if (overprovision !== undefined && overprovision !== null && (typeof overprovision !== 'number' || !(overprovision > 0))) {
    throw new InputError("'overprovision' must be a positive number")
  }
  const list = <T extends string>(v: unknown, f: string, choices: readonly T[]): T[] | undefined =>
    optStringList(v, f)?.map((x) => optEnum(x, f, choices) as T)
  const f: SelectFilter = {
    place_count: optInt(o.place_count, 'place_count', 1, 32),
    additional_place_count: optInt(o.additional_place_count, 'additional_place_count', 1, 32),
    node_name_list: optStringList(o.node_name_list, 'node_name_list'),
    storage_pool: optString(o.storage_pool, 'storage_pool'),
    storage_pool_list: optStringList(o.storage_pool_list, 'storage_pool_list'),
    storage_pool_diskless_list: optStringList(o.storage_pool_diskless_list, 'storage_pool_diskless_list'),
    not_place_with_rsc: optStringList(o.not_place_with_rsc, 'not_place_with_rsc'),
    not_place_with_rsc_regex: regex,
    replicas_on_same: optStringList(o.replicas_on_same, 'replicas_on_same'),
    replicas_on_different: optStringList(o.replicas_on_different, 'replicas_on_different'),
    x_replicas_on_different_map: xReplicas,
    layer_stack: readLayerStack(o.layer_stack, 'layer_stack', true),
    provider_list: list(o.provider_list, 'provider_list', providerKinds),
    diskless_on_remaining: optBool(o.diskless_on_remaining, 'diskless_on_remaining'),
    diskless_type: optString(o.diskless_type, 'diskless_type'),
    overprovision: overprovision as number | undefined,
  }
  for (const k of Object.keys(f) as (keyof SelectFilter)[]) if (f[k] === undefined) delete f[k]
  return f
}

/** The request's fields win over the group's; fields the request leaves out come from the group. */
export function mergeFilters(group: SelectFilter, request: SelectFilter): SelectFilter {
  return {...group, ...request}
}
