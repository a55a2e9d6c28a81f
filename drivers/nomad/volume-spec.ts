// A Nomad CSI volume specification (what `nomad volume create <file>` reads) for a volume of a
// LINSTOR resource group, served by linstor-csi.
//
// linstor-csi re-applies its parameters to the resource group before every volume it creates, and
// a parameter left out means its default (placementCount 1, layerList "drbd storage", ...). So
// the spec repeats every placement rule the group has, or creating a volume would quietly reset
// the group. Resource group properties are not repeated: linstor-csi only adds missing ones.

import type {ResourceGroup} from '../../src/api/wire.ts'
import {CSI_DRIVER_NAME, csiVolumeResourceName} from './csi-names.ts'
import {LAYERS, parseCsiParameters} from './csi-parameters.ts'
import {csiAllocationBytes} from './csi-placement.ts'

export type NomadAccessMode = 'single-node-reader-only' | 'single-node-writer' | 'multi-node-reader-only' |
  'multi-node-single-writer' | 'multi-node-multi-writer'
export type NomadAttachmentMode = 'file-system' | 'block-device'

const ACCESS_MODES: readonly NomadAccessMode[] = ['single-node-reader-only', 'single-node-writer', 'multi-node-reader-only',
  'multi-node-single-writer', 'multi-node-multi-writer']
const FILESYSTEMS = ['ext4', 'xfs']

export interface NomadVolumeOptions {
  /** Nomad's volume id (what jobs name in `volume { source = ... }`). */
  id: string
  /** Sent to linstor-csi as the CSI name: the resource definition's name when LINSTOR accepts it. Default: id. */
  name?: string
  namespace?: string
  pluginId?: string
  /** Bytes, or a size as Nomad reads it ("10GiB", "10 GB", "500MiB"). */
  capacityMin?: number | string
  capacityMax?: number | string
  accessMode?: NomadAccessMode
  attachmentMode?: NomadAttachmentMode
  /** Filesystem volumes only; default ext4. */
  fsType?: string
  mountFlags?: string[]
  /** More linstor-csi parameters (fsOpts, mountOpts, DrbdOptions/..., ...); they win over the group's. */
  parameters?: Record<string, string>
  snapshotId?: string
  cloneId?: string
  topology?: {required?: Record<string, string>[], preferred?: Record<string, string>[]}
  /** linstor-csi serves multi-writer filesystem volumes only through its NFS export (--enable-rwx). */
  nfsExport?: boolean
}

/** The linstor-csi parameters that reproduce a resource group's placement rules. */
export function nomadVolumeParameters(group: ResourceGroup): Record<string, string> {
  const f = group.select_filter ?? {}
  const params: Record<string, string> = {resourceGroup: group.name ?? ''}
  params['placementCount'] = String(f.place_count ?? 2)
  const pools = f.storage_pool_list?.length ? f.storage_pool_list : f.storage_pool ? [f.storage_pool] : []
  if (pools.length > 0) params['storagePool'] = pools.join(' ')
  if (f.layer_stack?.length) params['layerList'] = f.layer_stack.map((l) => l.toLowerCase()).join(' ')
  if (f.replicas_on_same?.length) params['replicasOnSame'] = f.replicas_on_same.join(' ')
  if (f.replicas_on_different?.length) params['replicasOnDifferent'] = f.replicas_on_different.join(' ')
  const x = Object.entries(f.x_replicas_on_different_map ?? {})
  if (x.length > 0) params['xReplicasOnDifferent'] = `{${x.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`
  if (f.not_place_with_rsc_regex) params['doNotPlaceWithRegex'] = f.not_place_with_rsc_regex
  if (f.diskless_on_remaining) params['disklessOnRemaining'] = 'true'
  return params
}

/** The HCL text; throws with every problem, one per line. */
export function nomadVolumeSpec(group: ResourceGroup, options: NomadVolumeOptions): string {
  const problems: string[] = []
  const name = options.name ?? options.id
  const accessMode = options.accessMode ?? 'single-node-writer'
  const attachment = options.attachmentMode ?? 'file-system'
  const fsType = attachment === 'file-system' ? options.fsType ?? 'ext4' : undefined

  if (!group.name) problems.push('the resource group has no name')
  if (!/^[^\s"\\]+$/.test(options.id)) problems.push(`bad volume id '${options.id}'`)
  if (name === '') problems.push('the volume name is empty')
  if (!ACCESS_MODES.includes(accessMode)) problems.push(`unknown access mode '${accessMode}' (one of ${ACCESS_MODES.join(', ')})`)
  if (!['file-system', 'block-device'].includes(attachment)) problems.push(`unknown attachment mode '${attachment}' (file-system or block-device)`)
  if (attachment === 'block-device' && options.fsType !== undefined) problems.push('fs_type only applies to file-system volumes')
  if (attachment === 'block-device' && options.mountFlags?.length) problems.push('mount flags only apply to file-system volumes')
  if (fsType !== undefined && !FILESYSTEMS.includes(fsType)) problems.push(`unsupported filesystem '${fsType}' (ext4 or xfs)`)
  if (attachment === 'file-system' && accessMode.startsWith('multi-node-') && accessMode !== 'multi-node-reader-only' && !options.nfsExport) {
    problems.push(`access mode ${accessMode} on a file-system volume needs linstor-csi's NFS export (--enable-rwx)`)
  }
  for (const layer of group.select_filter?.layer_stack ?? []) {
    if (!LAYERS.includes(layer.toUpperCase() as never)) problems.push(`linstor-csi cannot use layer '${layer}' of the resource group`)
  }
  const min = size('capacity_min', options.capacityMin, problems)
  const max = size('capacity_max', options.capacityMax, problems)
  if (min !== undefined && max !== undefined && min > max) problems.push('capacity_min is larger than capacity_max')
  else if (problems.length === 0 && (min !== undefined || max !== undefined)) {
    try {
      csiAllocationBytes(min ?? 0, max ?? 0, fsType)
    } catch (e) {
      problems.push((e as Error).message)
    }
  }

  const parameters = {...(group.name ? nomadVolumeParameters(group) : {}), ...options.parameters}
  const parsed = parseCsiParameters(parameters)
  if (!parsed.ok) problems.push(...parsed.errors.map((e) => `parameters: ${e}`))
  const segments = [...options.topology?.required ?? [], ...options.topology?.preferred ?? []]
  const texts = [options.id, name, options.namespace, options.snapshotId, options.cloneId, ...(options.mountFlags ?? []),
    ...Object.entries(parameters).flat(), ...segments.flatMap(Object.entries).flat()]
  for (const text of texts) {
    if (text !== undefined && /[$%]\{/.test(text)) problems.push(`'${text}' contains \${ or %{, which HCL cannot carry in a string`)
  }
  if (problems.length > 0) throw new Error(problems.join('\n'))

  const out: string[] = [`# LINSTOR resource definition: ${csiVolumeResourceName(name)}`]
  out.push(...assignments([['id', options.id], ['name', name], ...(options.namespace ? [['namespace', options.namespace] as [string, string]] : []),
    ['type', 'csi'], ['plugin_id', options.pluginId ?? CSI_DRIVER_NAME]]))
  const sizes: [string, string][] = []
  if (options.capacityMin !== undefined) sizes.push(['capacity_min', sizeText(options.capacityMin)])
  if (options.capacityMax !== undefined) sizes.push(['capacity_max', sizeText(options.capacityMax)])
  if (sizes.length > 0) out.push('', ...assignments(sizes))
  if (options.snapshotId !== undefined || options.cloneId !== undefined) {
    out.push('', ...assignments([...(options.snapshotId !== undefined ? [['snapshot_id', options.snapshotId] as [string, string]] : []),
      ...(options.cloneId !== undefined ? [['clone_id', options.cloneId] as [string, string]] : [])]))
  }
  out.push('', 'capability {', ...assignments([['access_mode', accessMode], ['attachment_mode', attachment]], '  '), '}')
  if (fsType !== undefined) {
    const flags = options.mountFlags?.length ? [`mount_flags = [${options.mountFlags.map(quote).join(', ')}]`] : []
    out.push('', 'mount_options {', ...alignRaw([`fs_type = ${quote(fsType)}`, ...flags], '  '), '}')
  }
  if (options.topology?.required?.length || options.topology?.preferred?.length) {
    out.push('', 'topology_request {')
    for (const kind of ['required', 'preferred'] as const) {
      const list = options.topology[kind] ?? []
      if (list.length === 0) continue
      out.push(`  ${kind} {`)
      for (const segments of list) {
        out.push('    topology {', '      segments {', ...assignments(Object.entries(segments), '        ', true), '      }', '    }')
      }
      out.push('  }')
    }
    out.push('}')
  }
  out.push('', 'parameters {', ...assignments(Object.entries(parameters), '  ', true), '}')
  return out.join('\n') + '\n'
}

// ---- HCL rendering --------------------------------------------------------------------------------

/**
 * An HCL string literal. Nomad reads volume specs with HCL 1, which has no escape for `${` (its
 * lexer treats it as the start of an interpolation), so such values are refused earlier.
 */
export function quote(value: string): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')
  return `"${escaped}"`
}

function assignments(pairs: [string, string][], indent = '', quotedKeys = false): string[] {
  return alignRaw(pairs.map(([k, v]) => `${quotedKeys ? quote(k) : k} = ${quote(v)}`), indent)
}

/** Lines up the `=` of `key = value` lines, as `nomad fmt` does. */
function alignRaw(lines: string[], indent: string): string[] {
  const width = Math.max(0, ...lines.map((l) => l.indexOf(' = ')))
  return lines.map((l) => {
    const at = l.indexOf(' = ')
    return `${indent}${l.slice(0, at).padEnd(width)}${l.slice(at)}`
  })
}

// ---- sizes, as Nomad reads them (go-humanize ParseBytes) ------------------------------------------

const UNITS: Record<string, number> = {
  'b': 1, '': 1,
  'k': 1e3, 'kb': 1e3, 'ki': 2 ** 10, 'kib': 2 ** 10,
  'm': 1e6, 'mb': 1e6, 'mi': 2 ** 20, 'mib': 2 ** 20,
  'g': 1e9, 'gb': 1e9, 'gi': 2 ** 30, 'gib': 2 ** 30,
  't': 1e12, 'tb': 1e12, 'ti': 2 ** 40, 'tib': 2 ** 40,
  'p': 1e15, 'pb': 1e15, 'pi': 2 ** 50, 'pib': 2 ** 50,
}

export function parseNomadSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text)
  const unit = m ? UNITS[(m[2] as string).toLowerCase()] : undefined
  if (!m || unit === undefined) throw new Error(`'${text}' is not a size (examples: 10GiB, 500MiB, 1TB)`)
  return Math.floor(Number(m[1]) * unit)
}

function size(field: string, value: number | string | undefined, problems: string[]): number | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value > 0) return value
    problems.push(`${field}: ${value} is not a positive number of bytes`)
    return undefined
  }
  try {
    return parseNomadSize(value)
  } catch (e) {
    problems.push(`${field}: ${(e as Error).message}`)
    return undefined
  }
}

/** Bytes in the largest binary unit that divides them exactly; strings as given. */
function sizeText(value: number | string): string {
  if (typeof value === 'string') return value
  for (const [unit, factor] of [['TiB', 2 ** 40], ['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (value % factor === 0) return `${value / factor}${unit}`
  }
  return String(value)
}
