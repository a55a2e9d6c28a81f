// What the caller knows about a deployed target when it writes or reads the promoter config:
// LINSTOR's UUIDs and device paths (for writing) and the definitions (for reading back).

import type {VolumeConfig} from './volume-config.ts'

export interface DeployedVolume {
  number: number
  /** The volume definition's UUID; seeds NFS fsids and NVMe namespace UUIDs. */
  uuid: string
  /** Defaults to the stable udev link /dev/drbd/by-res/<resource>/<volume>. */
  devicePath?: string
}

export interface DeploymentFacts {
  /** The resource definition's UUID. */
  resourceUuid: string
  volumes: readonly DeployedVolume[]
}

/**
 * The resource definition's side of a target, which the promoter file does not hold: upstream
 * treats LINSTOR as the truth for the group, the sizes and the gross-size flag.
 */
export interface TargetDefinition {
  resource_group: string
  gross_size: boolean
  volumes: readonly VolumeConfig[]
}

/** The by-res link, preferred over /dev/drbdNNNN because the minor can differ between nodes. */
export const byResDevicePath = (resource: string, volume: number): string => `/dev/drbd/by-res/${resource}/${volume}`

/** The deployed volume with this number, with its device path filled in. */
export function deployedVolume(facts: DeploymentFacts, resource: string, number: number): Required<DeployedVolume> {
  const v = facts.volumes.find((x) => x.number === number)
  if (!v) throw new Error(`inconsistent volumes: volume ${number} of ${resource} is not deployed`)
  return {number, uuid: v.uuid, devicePath: v.devicePath ?? byResDevicePath(resource, number)}
}
