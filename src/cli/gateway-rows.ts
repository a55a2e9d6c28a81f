// What the gateway commands print: one view per target, whatever its kind, and from it the rows
// of `list` (one per user volume, as linstor-gateway's tables) and the text of `show`. Pure.
import type {IscsiResourceConfig} from '../../gateway/iscsi-target.ts'
import {exportDirectory, type NfsResourceConfig} from '../../gateway/nfs-export.ts'
import type {NvmeOfResourceConfig} from '../../gateway/nvme-target.ts'
import {parseServiceIp} from '../../gateway/service-ip.ts'
import type {ResourceState, ResourceStatus} from '../../gateway/status.ts'
import {userVolumes} from '../../gateway/volume-config.ts'
import {sizeKib} from './format.ts'
import type {Cell, Colour, Header, Row} from './table.ts'

export interface VolumeView {
  number: number
  size_kib: number
  /** What the kind's volume column shows: the LUN, the namespace id, the export directory. */
  label: string
}

export interface TargetView {
  /** The user's name for the target: IQN, NFS name, NQN. */
  id: string
  serviceIps: readonly string[]
  resourceGroup: string
  status?: ResourceStatus
  volumes: readonly VolumeView[]
  /** Kind-specific lines of `show`. */
  details: readonly [string, string][]
}

/** The columns of `list`, with the kind's titles for the name and the volume. */
export interface ListColumns {id: string, volume: string}

const STATE_COLOUR: Record<ResourceState, Colour> = {OK: 'green', Degraded: 'yellow', Bad: 'red', Unknown: 'none'}

/** "Started (node)" while a node runs the target, else "Stopped" (upstream's wording). */
export function serviceState(status: ResourceStatus | undefined): Cell {
  if (status?.service === 'Started') return {text: `Started (${status.primary})`, colour: 'green'}
  return {text: 'Stopped', colour: 'none'}
}

function volumeState(status: ResourceStatus | undefined, number: number): Cell {
  const state = status?.volumes.find((v) => v.number === number)?.state ?? 'Unknown'
  return {text: state, colour: STATE_COLOUR[state]}
}

/** With `reactor`, a column for what drbd-reactor on this node says (see gateway/reactor-status.ts). */
export const listHeaders = (c: ListColumns, reactor = false): Header[] =>
  [c.id, 'Service IP', 'Service state', ...(reactor ? ['drbd-reactor'] : []), c.volume, 'LINSTOR state']

/**
 * One row per user volume; volume 0, the cluster-private one, is not the user's business.
 * `reactor`, when given, holds drbd-reactor's summary for each view.
 */
export function listRows(views: readonly TargetView[], reactor?: readonly string[]): Row[] {
  return views.flatMap((t, i) => {
    const head = [t.id, t.serviceIps.join(', '), serviceState(t.status), ...(reactor ? [reactor[i] || 'no promoter here'] : [])]
    if (!t.volumes.length) return [[...head, '', {text: t.status?.state ?? 'Unknown'}]]
    return t.volumes.map((v) => [...head, v.label, volumeState(t.status, v.number)])
  })
}

/** `show`: the target's settings and state as "Key: value" lines; the volumes follow as a table. */
export function showLines(kind: string, t: TargetView, reactor?: string): [string, string][] {
  const s = t.status
  return [
    [kind, t.id],
    ['Service IP', t.serviceIps.join(', ')],
    ['Service state', serviceState(s).text],
    ...(reactor === undefined ? [] : [['drbd-reactor', reactor || 'no promoter on this node'] as [string, string]]),
    ['LINSTOR state', s?.state ?? 'Unknown'],
    ['Nodes', s?.nodes.length ? s.nodes.join(', ') : '-'],
    ['Resource group', t.resourceGroup],
    ...t.details,
  ]
}

export const volumeHeaders = (volume: string): Header[] => [volume, {name: 'Size', right: true}, 'LINSTOR state']

export function volumeRows(t: TargetView): Row[] {
  return t.volumes.map((v) => [v.label, sizeKib(v.size_kib), volumeState(t.status, v.number)])
}

/** Aligned "Key: value" text. */
export function keyValueText(lines: readonly [string, string][]): string {
  const width = Math.max(...lines.map(([k]) => k.length)) + 1
  // Further lines of a value line up under its first line.
  return lines.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v.split('\n').join(`\n${' '.repeat(width + 1)}`)}`).join('\n')
}

const yesNo = (b: boolean | undefined): string => (b ?? true ? 'yes' : 'no')

export function iscsiView(c: IscsiResourceConfig): TargetView {
  return {
    id: c.iqn, serviceIps: c.service_ips, resourceGroup: c.resource_group, status: c.status,
    volumes: userVolumes(c.volumes).map((v) => ({number: v.number, size_kib: v.size_kib, label: String(v.number)})),
    details: [
      ['Allowed initiators', c.allowed_initiators?.length ? c.allowed_initiators.join(', ') : 'all'],
      ['CHAP', c.username ? `user ${c.username}, password set` : 'off'],
      ['Implementation', c.implementation || 'the agent\'s default'],
      ['Portblock', yesNo(c.portblock)],
      ['Gross size', yesNo(c.gross_size)],
    ],
  }
}

export function nfsView(c: NfsResourceConfig): TargetView {
  return {
    id: c.name, serviceIps: [c.service_ip], resourceGroup: c.resource_group, status: c.status,
    volumes: userVolumes(c.volumes).map((v) => ({number: v.number, size_kib: v.size_kib, label: exportDirectory(c.name, v.export_path)})),
    details: [
      ['Exports', userVolumes(c.volumes).map((v) => `${nfsAddress(c.service_ip)}:${exportDirectory(c.name, v.export_path)} (${v.file_system ?? '?'})`).join('\n')],
      ['Allowed IPs', (c.allowed_ips ?? []).join(', ')],
      ['Implementation', c.implementation],
      ['Portblock', yesNo(c.portblock)],
      ['Gross size', yesNo(c.gross_size)],
    ],
  }
}

export function nvmeView(c: NvmeOfResourceConfig): TargetView {
  return {
    id: c.nqn, serviceIps: [c.service_ip], resourceGroup: c.resource_group, status: c.status,
    volumes: userVolumes(c.volumes).map((v) => ({number: v.number, size_kib: v.size_kib, label: String(v.number)})),
    details: [
      ['Portblock', yesNo(c.portblock)],
      ['Gross size', yesNo(c.gross_size)],
    ],
  }
}

/** The address clients mount from: the service IP without its prefix, IPv6 in brackets. */
export function nfsAddress(serviceIp: string): string {
  try {
    const ip = parseServiceIp(serviceIp)
    return ip.family === 'ipv6' ? `[${ip.address}]` : ip.address
  } catch {
    return serviceIp
  }
}

/** A config as `list -m` prints it: the REST v2 list blanks the CHAP credentials. */
export function withoutCredentials<C extends object>(config: C): C {
  return 'password' in config ? {...config, username: '', password: ''} : config
}

/** A config as `show -m` and the mutating commands print it: the password is never shown. */
export function withoutPassword<C extends object>(config: C): C {
  return 'password' in config ? {...config, password: ''} : config
}
