// Volume 0 of every gateway target: a small ext4 file system that fails over with the target. It
// holds state that must move along (NFS server info, ganesha recovery data, portblock tickles).

import type {OcfAgent} from './ocf-agent.ts'
import {heartbeat} from './ocf-agent.ts'
import type {VolumeConfig} from './volume-config.ts'

export const CLUSTER_PRIVATE_VOLUME_NUMBER = 0
export const CLUSTER_PRIVATE_SIZE_KIB = 64 * 1024
export const CLUSTER_PRIVATE_FILE_SYSTEM = 'ext4'
export const CLUSTER_PRIVATE_MOUNT_BASE = '/srv/ha/internal'
export const CLUSTER_PRIVATE_AGENT = 'fs_cluster_private'

/** The volume config of volume 0; root-owned so that LINSTOR runs mkfs with that owner. */
export function clusterPrivateVolume(): VolumeConfig {
  return {
    number: CLUSTER_PRIVATE_VOLUME_NUMBER,
    size_kib: CLUSTER_PRIVATE_SIZE_KIB,
    file_system: CLUSTER_PRIVATE_FILE_SYSTEM,
    file_system_root_owner: {User: 'root', Group: 'root'},
  }
}

/** Where volume 0 of a resource is mounted. */
export const clusterPrivateDir = (resource: string): string => `${CLUSTER_PRIVATE_MOUNT_BASE}/${resource}`

/** The Filesystem agent that mounts volume 0; always the first thing a target needs. */
export function clusterPrivateAgent(resource: string, devicePath: string): OcfAgent {
  return heartbeat('Filesystem', CLUSTER_PRIVATE_AGENT, {
    device: devicePath,
    directory: clusterPrivateDir(resource),
    fstype: CLUSTER_PRIVATE_FILE_SYSTEM,
    run_fsck: 'no',
  })
}
