// The gateway commands' arguments and flags turned into create requests and volumes, as
// linstor-gateway's CLI does it: sizes with rck/unit units, NFS export paths per volume, the
// allowed-IPs default of the service IP's family, the next free LUN. Pure; the service
// validates the result (kind.validate), so only what the service cannot see is checked here.
import {posix} from 'node:path'
import {parseGatewaySizeKib} from '../../gateway/gateway-size.ts'
import type {IscsiCreateInput} from '../../gateway/iscsi-target.ts'
import type {NfsCreateInput} from '../../gateway/nfs-export.ts'
import type {NvmeOfCreateInput} from '../../gateway/nvme-target.ts'
import {catchAll, formatCidr, parseServiceIp} from '../../gateway/service-ip.ts'
import {userVolumes, type VolumeConfig, type VolumeInput} from '../../gateway/volume-config.ts'
import {parseGoDuration} from '../common/go-duration.ts'
import {csv} from './args.ts'

/** Flags every create command has. */
export interface CommonCreateFlags {
  'resource-group'?: string
  gross?: boolean
  portblock?: boolean
  'resource-timeout'?: string
}

/** Sizes → user volumes numbered from 1 (volume 0 is the service's cluster-private volume). */
export function volumesFromSizes(sizes: readonly string[]): VolumeInput[] {
  return sizes.map((s, i) => ({number: i + 1, size_kib: sizeKib(s)}))
}

/** A size argument in KiB, the message naming the argument. */
export function sizeKib(text: string): number {
  try {
    return parseGatewaySizeKib(text)
  } catch (e) {
    throw new Error(`invalid volume size '${text}': ${(e as Error).message}`, {cause: e})
  }
}

/** --resource-timeout in nanoseconds, as the config carries it (Go's time.Duration). */
export function resourceTimeoutNs(text: string | undefined): number | undefined {
  return text === undefined ? undefined : resourceTimeoutMs(text) * 1e6
}

/** --resource-timeout (a Go duration, as linstor-gateway takes it: 30s, 2m, 0) in milliseconds. */
export function resourceTimeoutMs(text: string): number {
  let seconds: number
  try {
    seconds = parseGoDuration(text)
  } catch (e) {
    throw new Error(`invalid --resource-timeout: ${(e as Error).message}`, {cause: e})
  }
  if (seconds < 0) throw new Error(`invalid --resource-timeout: ${text} is negative`)
  return Math.round(seconds * 1000)
}

function common(flags: CommonCreateFlags): {resource_group?: string, gross_size: boolean, portblock: boolean, resource_timeout?: number} {
  const timeout = resourceTimeoutNs(flags['resource-timeout'])
  return {
    ...(flags['resource-group'] ? {resource_group: flags['resource-group']} : {}),
    gross_size: flags.gross ?? false,
    portblock: flags.portblock ?? true,
    ...(timeout === undefined ? {} : {resource_timeout: timeout}),
  }
}

export interface IscsiCreateArgs {iqn: string, serviceIps: string, sizes: readonly string[]}
export interface IscsiCreateFlags extends CommonCreateFlags {
  username?: string
  password?: string
  'allowed-initiators'?: string[]
  implementation?: string
}

export function iscsiCreateInput(a: IscsiCreateArgs, f: IscsiCreateFlags): IscsiCreateInput {
  return {
    iqn: a.iqn,
    service_ips: csv(a.serviceIps) ?? [],
    volumes: volumesFromSizes(a.sizes),
    username: f.username ?? '',
    password: f.password ?? '',
    allowed_initiators: csv(f['allowed-initiators']) ?? [],
    implementation: f.implementation ?? '',
    ...common(f),
  }
}

export interface NfsCreateArgs {name: string, serviceIp: string, sizes: readonly string[]}
export interface NfsCreateFlags extends CommonCreateFlags {
  'export-path'?: string[]
  'allowed-ips'?: string[]
  filesystem?: string
  implementation?: string
}

/**
 * One export path per volume. One path for several volumes becomes <path>/vol1, <path>/vol2, …;
 * otherwise the counts must match (upstream's rule and message).
 */
export function nfsExportPaths(paths: readonly string[], volumes: number): string[] {
  const given = paths.length ? paths : ['/']
  if (volumes > 1 && given.length === 1) {
    return Array.from({length: volumes}, (_, i) => posix.join('/', given[0] as string, `vol${i + 1}`))
  }
  if (given.length !== volumes) {
    throw new Error(`specified ${volumes} volumes but ${given.length} export paths. Need exactly one export path per volume`)
  }
  return [...given]
}

/** The CLI's --allowed-ips default: everyone of the service IP's family (the REST default allows both). */
export function defaultAllowedIps(serviceIp: string): string[] {
  return [formatCidr(catchAll(parseServiceIp(serviceIp).family))]
}

export function nfsCreateInput(a: NfsCreateArgs, f: NfsCreateFlags): NfsCreateInput {
  const volumes = volumesFromSizes(a.sizes)
  const paths = nfsExportPaths(csv(f['export-path']) ?? [], volumes.length)
  const allowed = csv(f['allowed-ips']) ?? []
  return {
    name: a.name,
    service_ip: a.serviceIp,
    allowed_ips: allowed.length ? allowed : defaultAllowedIps(a.serviceIp),
    volumes: volumes.map((v, i) => ({...v, export_path: paths[i] as string, ...(f.filesystem ? {file_system: f.filesystem} : {})})),
    implementation: f.implementation ?? 'kernel',
    ...common(f),
  }
}

export interface NvmeCreateArgs {nqn: string, serviceIp: string, sizes: readonly string[]}

export function nvmeCreateInput(a: NvmeCreateArgs, f: CommonCreateFlags): NvmeOfCreateInput {
  return {nqn: a.nqn, service_ip: a.serviceIp, volumes: volumesFromSizes(a.sizes), ...common(f)}
}

/** The number `add-volume` takes when none is given: one above the highest user volume. */
export function nextVolumeNumber(volumes: readonly VolumeConfig[]): number {
  return Math.max(0, ...userVolumes(volumes).map((v) => v.number)) + 1
}

/**
 * `add-volume ID [NR] SIZE`: with two values the first is the number, with one it is the size
 * and the number is the next free one.
 */
export function addVolumeRequest(first: string, second: string | undefined, existing: readonly VolumeConfig[]): VolumeConfig {
  const number = second === undefined ? nextVolumeNumber(existing) : volumeNumber(first)
  if (number < 1) throw new Error('volume numbers start at 1; volume 0 is the cluster-private volume')
  return {number, size_kib: sizeKib(second ?? first), file_system_root_owner: {User: '', Group: ''}}
}

/** A volume number argument (a whole number ≥ 0). */
export function volumeNumber(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new Error(`invalid volume number '${text}': expected a whole number`)
  return Number(text)
}
