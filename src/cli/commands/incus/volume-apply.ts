// `cairn incus volume-apply POOL VOLUME [KEY=VALUE]...`: applies Incus volume keys to the resource
// definition holding the volume, found as Incus finds it (by its Aux/Incus/name and type props,
// then by the pool's resource group). drbd.* and linstor.raw.* keys become its properties; `size`
// (and a VM's `size.state`) grows its volume definition, dropping ExactSize first as Incus does.
// The other keys (block.filesystem, block.mount_options, ...) live in Incus's database only: Incus
// formats and mounts the device itself, so they are checked and reported, not sent.
import {Flags} from '@oclif/core'
import type {ResourceDefinition, ResourceDefinitionModify} from '../../../api/wire.ts'
import {drbdProps, propFor} from '../../../../drivers/incus/drbd-props.ts'
import {incusVolumeKib} from '../../../../drivers/incus/incus-size.ts'
import type {IncusPool} from '../../../../drivers/incus/pool-config.ts'
import {incusVolume, isVmBlock, VOLUME_TYPES, type IncusContentType, type IncusVolume, type IncusVolumeType} from '../../../../drivers/incus/volume-config.ts'
import {AUX_CONTENT_TYPE, AUX_NAME, AUX_TYPE, incusVolumeName} from '../../../../drivers/incus/volume-spawn.ts'
import {arg, listOf, variadicArg} from '../../args.ts'
import {EXIT_API_ERROR, path} from '../../base-command.ts'
import {sizeKib} from '../../format.ts'
import {dryRunFlag, PlanCommand, type PlannedCall} from '../../planned-calls.ts'
import {parseConfigArgs} from './config-args.ts'
import {incusPoolOf, poolFlags} from './pool-flags.ts'

const EXACT_SIZE = 'DrbdOptions/ExactSize'
/** Size keys and the volume number each one sizes. */
const SIZE_KEYS: [key: 'size' | 'size.state', volumeNumber: number, bytes: (v: IncusVolume) => number | undefined][] =
  [['size', 0, (v) => v.sizeBytes], ['size.state', 1, (v) => v.stateSizeBytes]]

export default class IncusVolumeApply extends PlanCommand<typeof IncusVolumeApply> {
  static override summary = 'Apply Incus volume keys (size, drbd.*, linstor.raw.*) to the resource definition of an Incus volume'
  static override description = 'The volume is looked up as Incus looks it up: Aux/Incus/name = prefix + volume name (custom volumes '
    + 'with their project), Aux/Incus/type, in the pool\'s resource group. An empty value removes a property. Volumes only grow.'

  static override examples = [
    '<%= config.bin %> incus volume-apply tank data size=20GiB drbd.on_no_quorum=io-error',
    '<%= config.bin %> incus volume-apply tank web01 --type containers drbd.auto_diskful=5m --dry-run',
  ]

  static override args = {
    pool: arg('Incus storage pool name'),
    volume: arg('Incus volume name (an instance name for containers and virtual-machines)'),
    config: variadicArg('volume keys as KEY=VALUE', false),
  }

  static override flags = {
    ...poolFlags, ...dryRunFlag,
    type: Flags.string({description: 'Incus volume type', options: [...VOLUME_TYPES], default: 'custom'}),
    project: Flags.string({description: 'Incus project of the volume', default: 'default'}),
  }

  async run(): Promise<void> {
    const config = this.checked(() => parseConfigArgs(listOf(this.args.config)))
    const pool = this.checked(() => incusPoolOf(this.args.pool, this.flags))
    const type = this.flags.type as IncusVolumeType
    const rd = await this.lookup(pool, incusVolumeName(type, this.args.volume, this.flags.project), type)
    const contentType = rd.props?.[AUX_CONTENT_TYPE] as IncusContentType
    const {volume, errors} = incusVolume(pool, {type, contentType, config})
    if (!volume) return this.usage(errors.join('\n'))

    const rdPath = path`/v1/resource-definitions/${rd.name ?? ''}`
    const sizing = this.sizeCalls(rd, rdPath, volume, config)
    const calls = [...propCalls(rd, rdPath, config), ...sizing.calls]
    // Incus grows the filesystem itself when it resizes; here only the device grows.
    const formatted = volume.contentType === 'filesystem' ? 0 : isVmBlock(volume) ? 1 : undefined
    if (volume.filesystem && formatted !== undefined && sizing.grown.includes(formatted)) {
      this.note(`The filesystem on volume ${formatted} keeps its size until it is grown where the volume is mounted`)
    }
    const incusOnly = Object.keys(config).filter((k) => propFor(k) === undefined && !SIZE_KEYS.some(([s]) => s === k))
    if (incusOnly.length > 0) this.note(`Kept by Incus, nothing to do in LINSTOR: ${incusOnly.join(', ')}`)
    if (calls.length === 0) this.note(`Resource definition '${rd.name}' already matches; nothing to change.`)
    await this.apply(calls, this.flags['dry-run'])
  }

  /** Incus's getResourceDefinition: the props query, then exactly one in the pool's group. */
  private async lookup(pool: IncusPool, name: string, type: IncusVolumeType): Promise<ResourceDefinition> {
    const auxName = pool.volumePrefix + name
    const found = (await this.get<ResourceDefinition[]>('/v1/resource-definitions', {
      props: [`${AUX_NAME}=${auxName}`, `${AUX_TYPE}=${type}`], with_volume_definitions: true,
    })).filter((rd) => rd.resource_group_name === pool.resourceGroup)
    const what = `Incus ${type} volume '${name}' (${AUX_NAME}=${auxName}) in resource group '${pool.resourceGroup}'`
    if (found.length === 0) return this.error(`${what} not found`, {exit: EXIT_API_ERROR})
    if (found.length > 1) return this.error(`${what} is held by several resource definitions: ${found.map((rd) => rd.name).join(', ')}`, {exit: EXIT_API_ERROR})
    return found[0] as ResourceDefinition
  }

  /** Incus's SetVolumeQuota: drop ExactSize (LINSTOR cannot resize exact-size volumes), then grow. */
  private sizeCalls(rd: ResourceDefinition, rdPath: string, volume: IncusVolume, config: Record<string, string>):
    {calls: PlannedCall[], grown: number[]} {
    const calls: PlannedCall[] = []
    const grown: number[] = []
    for (const [key, number, bytes] of SIZE_KEYS) {
      const target = bytes(volume)
      const vd = rd.volume_definitions?.find((v) => (v.volume_number ?? 0) === number)
      if (config[key] === undefined || target === undefined || !vd) continue
      const have = Number(vd.size_kib)
      const want = incusVolumeKib(target)
      if (want < have) return this.usage(`${key}: '${config[key]}' is smaller than the volume (${sizeKib(have)}); LINSTOR volumes only grow`)
      if (want === have) continue
      if (rd.props?.[EXACT_SIZE] !== undefined && !calls.some((c) => c.path === rdPath)) {
        calls.push({method: 'PUT', path: rdPath, body: {delete_props: [EXACT_SIZE]}, says: `Removed ${EXACT_SIZE} from '${rd.name}' (needed to resize)`})
      }
      calls.push({method: 'PUT', path: `${rdPath}/volume-definitions/${number}`, body: {size_kib: want},
        says: `Volume ${number} of '${rd.name}': ${sizeKib(have)} -> ${sizeKib(want)}`})
      grown.push(number)
    }
    return {calls, grown}
  }
}

/** The drbd.* and linstor.raw.* keys as one modify, sent when it changes something. */
function propCalls(rd: ResourceDefinition, rdPath: string, config: Record<string, string>): PlannedCall[] {
  const {override, delete: deletes} = drbdProps(config)
  const props = rd.props ?? {}
  const lines = [
    ...Object.entries(override).filter(([k, v]) => props[k] !== v).map(([k, v]) => `${k}: ${props[k] ?? '(unset)'} -> ${v}`),
    ...deletes.filter((k) => props[k] !== undefined).map((k) => `${k}: ${props[k]} -> (removed)`),
  ]
  if (lines.length === 0) return []
  const body: ResourceDefinitionModify = {
    ...(Object.keys(override).length > 0 ? {override_props: override} : {}),
    ...(deletes.length > 0 ? {delete_props: deletes} : {}),
  }
  return [{method: 'PUT', path: rdPath, body, says: [`Resource definition '${rd.name}':`, ...lines.map((l) => `  ${l}`)].join('\n')}]
}
