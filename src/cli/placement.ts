// The autoplacer flags the linstor client gives `rg create/modify/spawn-resources/query-size-info`,
// `rd auto-place` and `r create --auto-place`, and their translation into a select_filter.
import {Flags} from '@oclif/core'
import type {AutoSelectFilter} from '../api/wire.ts'
import {csv, layerList} from './args.ts'

/** The linstor client names auxiliary node properties without their namespace; the API wants it. */
const aux = (v?: string[]): string[] | undefined => csv(v)?.map((x) => (x.startsWith('Aux/') ? x : `Aux/${x}`))

/** Flags shared by every placing command. `-p` means --providers except where it means something else. */
export function selectFlags(pForProviders: boolean) {
  return {
    'storage-pool': Flags.string({char: 's', multiple: true, description: 'storage pool name(s) to use'}),
    'diskless-storage-pool': Flags.string({multiple: true, description: 'diskless storage pool name(s) to use'}),
    'layer-list': Flags.string({char: 'l', description: 'comma-separated layer stack, top-most first, e.g. drbd,storage or storage'}),
    providers: Flags.string({...(pForProviders ? {char: 'p' as const} : {}), aliases: ['prov'], multiple: true,
      description: 'comma-separated provider kinds to consider (LVM, LVM_THIN, ZFS, ZFS_THIN, FILE, FILE_THIN, ...)'}),
    'replicas-on-same': Flags.string({multiple: true, description: 'auxiliary node property all replicas must share'}),
    'replicas-on-different': Flags.string({multiple: true, description: 'auxiliary node property whose values must differ'}),
    'x-replicas-on-different': Flags.string({multiple: true,
      description: 'pairs of auxiliary property and count: "--x-replicas-on-different datacenter 2" allows 2 replicas per datacenter'}),
    'do-not-place-with': Flags.string({multiple: true, description: 'avoid nodes that already have these resources'}),
    'do-not-place-with-regex': Flags.string({description: 'avoid nodes with a resource whose name matches this regular expression'}),
    'diskless-on-remaining': Flags.boolean({allowNo: true, description: 'add a diskless resource on every node without a replica'}),
    'node-list': Flags.string({multiple: true, description: 'only place on these nodes'}),
  }
}

export const placeCountFlag = {
  'place-count': Flags.integer({description: 'number of diskful replicas', min: 0}),
}

export type SelectFlags = Record<string, unknown>

/** `--x-replicas-on-different site 2 rack 1` → {'Aux/site': 2, 'Aux/rack': 1}. */
export function xReplicas(values: string[] | undefined): Record<string, number> | undefined {
  if (values === undefined) return undefined
  const words = values.flatMap((v) => v.split(/\s+/)).filter(Boolean)
  if (words.length % 2) throw new Error('--x-replicas-on-different takes pairs: <aux property> <count>')
  const out: Record<string, number> = {}
  for (let i = 0; i < words.length; i += 2) {
    const key = words[i] as string
    const count = Number(words[i + 1])
    if (!Number.isInteger(count) || count < 1) throw new Error(`--x-replicas-on-different: '${words[i + 1]}' is not a count`)
    out[key.startsWith('Aux/') ? key : `Aux/${key}`] = count
  }
  return out
}

export function selectFilter(f: SelectFlags): AutoSelectFilter {
  const list = (k: string): string[] | undefined => f[k] as string[] | undefined
  return {
    place_count: f['place-count'] as number | undefined,
    storage_pool_list: csv(list('storage-pool')),
    storage_pool_diskless_list: csv(list('diskless-storage-pool')),
    layer_stack: layerList(f['layer-list'] as string | undefined),
    provider_list: csv(list('providers'))?.map((p) => p.toUpperCase()),
    replicas_on_same: aux(list('replicas-on-same')),
    replicas_on_different: aux(list('replicas-on-different')),
    x_replicas_on_different_map: xReplicas(list('x-replicas-on-different')),
    not_place_with_rsc: csv(list('do-not-place-with')),
    not_place_with_rsc_regex: f['do-not-place-with-regex'] as string | undefined,
    diskless_on_remaining: f['diskless-on-remaining'] as boolean | undefined,
    node_name_list: csv(list('node-list')),
  }
}

/** `--auto-place N`, `+N` (replicas beyond the group's count) or `max`/`all`. */
export function parsePlaceCount(text: string): {place_count?: number, additional_place_count?: number} {
  if (/^\+\d+$/.test(text)) return {additional_place_count: Number(text.slice(1))}
  if (text === 'max' || text === 'all') return {place_count: -1, additional_place_count: 0}
  if (/^\d+$/.test(text)) return {place_count: Number(text)}
  throw new Error(`'${text}' is not a replica count (N, +N or max)`)
}
