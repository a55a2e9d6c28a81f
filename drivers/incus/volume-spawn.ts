// Creating an Incus volume on LINSTOR, as the linstor driver does it: spawn the definitions only,
// tag the resource definition with Incus's Aux properties, pin its size, then autoplace.
//
// Incus formats filesystem volumes itself (mkfs on the device path, right after autoplace), so no
// FileSystem/* property is set: a satellite formatting the same device would race with it. The
// filesystem Incus will create is returned beside the bodies instead.

import type {AutoPlaceRequest, ResourceDefinitionModify, ResourceGroupSpawn} from '../../src/api/wire.ts'
import {drbdProps, type AutoDiskfulUnit} from './drbd-props.ts'
import {incusVolumeKib} from './incus-size.ts'
import type {IncusPool} from './pool-config.ts'
import {isVmBlock, type IncusVolume, type IncusVolumeType} from './volume-config.ts'

export const AUX_NAME = 'Aux/Incus/name'
export const AUX_TYPE = 'Aux/Incus/type'
export const AUX_CONTENT_TYPE = 'Aux/Incus/content-type'
export const AUX_SNAPSHOT_PREFIX = 'Aux/Incus/snapshot-name/'

export interface IncusVolumePlan {
  resourceName: string
  /** POST /v1/resource-groups/{rg}/spawn */
  spawn: ResourceGroupSpawn
  /** PUT /v1/resource-definitions/{rd}: Aux/Incus/*, dual primary for live migration, drbd.* and linstor.raw.* */
  properties: ResourceDefinitionModify
  /** PUT /v1/resource-definitions/{rd} (removed again before every resize) */
  exactSize: ResourceDefinitionModify
  /** POST /v1/resource-definitions/{rd}/autoplace: the group's filter decides */
  autoplace: AutoPlaceRequest
  /** What Incus formats and mounts on the node, if anything. */
  filesystem: IncusVolume['filesystem']
}

/** `<prefix><uuid without dashes>`, the name of a volume's resource definition and of a snapshot. */
export function incusResourceName(prefix: string, uuid: string): string {
  const hex = uuid.replaceAll('-', '').toLowerCase()
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`'${uuid}' is not a UUID`)
  return prefix + hex
}

/**
 * Incus's internal volume name, which Aux/Incus/name carries after the prefix: custom volumes
 * always carry their project ("default_data"), instances only outside the default project,
 * images never (they are named by fingerprint).
 */
export function incusVolumeName(type: IncusVolumeType, name: string, project = 'default'): string {
  if (type === 'custom') return `${project}_${name}`
  if (type === 'images' || project === 'default') return name
  return `${project}_${name}`
}

export interface IncusVolumeRequest {
  /** Incus's internal volume name (see incusVolumeName). */
  name: string
  volume: IncusVolume
  /** The volume's own config, for its drbd.* and linstor.raw.* keys. */
  config?: Record<string, string>
  uuid: string
}

export function incusVolumePlan(pool: IncusPool, request: IncusVolumeRequest, unit: AutoDiskfulUnit = 'minutes'): IncusVolumePlan {
  const {volume} = request
  const resourceName = incusResourceName(pool.volumePrefix, request.uuid)
  const sizes = [incusVolumeKib(volume.sizeBytes)]
  if (isVmBlock(volume)) sizes.push(incusVolumeKib(volume.stateSizeBytes ?? 0))
  const set = Object.fromEntries(Object.entries(request.config ?? {}).filter(([, v]) => v !== ''))
  const props = drbdProps(set, unit)
  if (props.errors.length > 0) throw new Error(props.errors.join('; '))
  return {
    resourceName,
    spawn: {resource_definition_name: resourceName, volume_sizes: sizes, definitions_only: true, select_filter: {}},
    properties: {
      override_props: {
        [AUX_NAME]: pool.volumePrefix + request.name,
        [AUX_TYPE]: volume.type,
        [AUX_CONTENT_TYPE]: volume.contentType,
        'DrbdOptions/Net/allow-two-primaries': 'yes',
        ...props.override,
      },
    },
    exactSize: {override_props: {'DrbdOptions/ExactSize': 'true'}},
    autoplace: {select_filter: {}},
    filesystem: volume.filesystem,
  }
}
