// Controller ↔ satellite messages for `physical-storage list` and `create-device-pool`: the
// satellite lists its unused disks and turns some of them into an LVM volume group (with a thin
// pool) or a zpool. Outside the sync: these are one-off requests the controller makes on behalf of
// a REST call. Every reply is HTTP 200 with `protocol`; a refusal or failure is told in `error`.

/** Lists the node's unused whole disks. Request body: `{}`. Reply: PhysicalDevicesReply. */
export const PHYSICAL_DEVICES_PATH = '/internal/v1/physical-devices'
/** Creates a device pool. Request body: DevicePoolRequest. Reply: DevicePoolReply. */
export const DEVICE_POOL_PATH = '/internal/v1/device-pool'

/** One unused disk. Sizes are bytes: below 2^53 for any real disk, so plain JSON numbers. */
export interface PhysicalDevice {
  /** The device path, e.g. /dev/sdb. */
  device: string
  size: number
  rotational: boolean
  model?: string
  serial?: string
  wwn?: string
}

export interface PhysicalDevicesReply {protocol: number, devices?: PhysicalDevice[], error?: string}

export const devicePoolKinds = ['LVM', 'LVM_THIN', 'ZFS', 'ZFS_THIN'] as const
export type DevicePoolKind = typeof devicePoolKinds[number]

export interface DevicePoolRequest {
  protocol: number
  kind: DevicePoolKind
  /** Absolute /dev/ paths; each must be an unused disk in the satellite's own listing. */
  devicePaths: string[]
  /** The pool's name as the clients give it (`pool_name`); see devicePoolTarget for what is created. */
  poolName: string
  /** Extra options for the commands, as `pv_create_arguments` etc. of PhysicalStorageCreate. */
  pvCreateArgs?: string[]
  vgCreateArgs?: string[]
  lvCreateArgs?: string[]
  zpoolCreateArgs?: string[]
}

export interface DevicePoolReply {
  protocol: number
  /** What was done, one line per step ("PV for device '/dev/sdb' created."). */
  messages?: string[]
  /**
   * Set when nothing usable was created: 'refused' when the request was turned down before any
   * command ran (a device in use, a bad name), 'failed' when a command failed (and what had been
   * created was removed again, as far as possible).
   */
  error?: string
  errorKind?: 'refused' | 'failed'
  details?: string
}

/** What a device pool consists of: the volume group (and thin pool), or the zpool. */
export interface DevicePoolTarget {vg?: string, thinPool?: string, zpool?: string}

/**
 * LINSTOR's naming: LVM makes VG `<pool>`; LVM_THIN makes VG `linstor_<pool>` holding the thin
 * pool `<pool>`; ZFS and ZFS_THIN make zpool `<pool>` (the same pool serves both kinds).
 */
export function devicePoolTarget(kind: DevicePoolKind, pool: string): DevicePoolTarget {
  switch (kind) {
    case 'LVM': return {vg: pool}
    case 'LVM_THIN': return {vg: `linstor_${pool}`, thinPool: pool}
    case 'ZFS': case 'ZFS_THIN': return {zpool: pool}
  }
}

/** An absolute /dev/ path, without `..` (which could lead out of /dev) or NUL. */
export const devicePathOk = (p: string): boolean => /^\/dev\/[^\0]+$/.test(p) && !p.split('/').includes('..')

/** LINSTOR's default pool name when the client gives none: `linstor_` and the first device's last path component. */
export function defaultPoolName(devicePaths: readonly string[]): string {
  const first = devicePaths[0] ?? 'unknown'
  return `linstor_${first.slice(first.lastIndexOf('/') + 1)}`
}
