// Highly available NFS exports: each user volume carries a file system mounted under
// /srv/gateway-exports/<name>/<export path> and exported by the kernel NFS server (exportfs
// agents) or by NFS-Ganesha (one ganesha-nfs agent for all exports).

import {posix} from 'node:path'
import {clusterPrivateAgent, clusterPrivateDir, clusterPrivateVolume} from './cluster-private-volume.ts'
import type {DeploymentFacts, TargetDefinition} from './deployment-facts.ts'
import {deployedVolume} from './deployment-facts.ts'
import {gatewayPromoter, gatewayResource, startAgents} from './gateway-file.ts'
import type {OcfAgent} from './ocf-agent.ts'
import {heartbeat} from './ocf-agent.ts'
import type {PromoterConfig} from './reactor-options.ts'
import type {Cidr, IpFamily} from './service-ip.ts'
import {catchAll, cidrFromParts, formatCidr, isCatchAll, parseCidr, parseIp, parseServiceIp, serviceIpProblem} from './service-ip.ts'
import {isAgent, portBlockAgent, portblockCounts, portUnblockAgent, serviceIpAgent, serviceIpFromAgent} from './service-ip-agents.ts'
import type {ResourceStatus} from './status.ts'
import {targetNameProblem} from './target-name.ts'
import {volumeUuid} from './uuid-v5.ts'
import type {VolumeConfig, VolumeInput} from './volume-config.ts'
import {DEFAULT_RESOURCE_GROUP, userVolumes, volumesProblem} from './volume-config.ts'

export const NFS_PORT = 2049
export const EXPORT_BASE = '/srv/gateway-exports'
export const NFS_IMPLEMENTATIONS = ['kernel', 'ganesha'] as const
export const NFS_FILE_SYSTEMS = ['ext4', 'xfs'] as const
/** Seeds the fsid chain, so fsids stay stable across failovers and differ between exports. */
export const NFS_UUID_DOMAIN = 'nfs.gateway.linstor.linbit.com'
/** Everyone writes as root: the export is the client's file system, not a multi-user share. */
export const EXPORT_OPTIONS = 'rw,all_squash,anonuid=0,anongid=0'

/** REST v2 volume of an NFS export; export_path is relative to /srv/gateway-exports/<name>. */
export interface NfsVolumeConfig extends VolumeConfig {
  export_path: string
}

/** REST v2 NFSResourceConfig. */
export interface NfsResourceConfig {
  name: string
  service_ip: string
  allowed_ips?: string[]
  resource_group: string
  volumes: NfsVolumeConfig[]
  status?: ResourceStatus
  gross_size: boolean
  resource_timeout?: number
  implementation: string
  /** Cairn: portblock agents around the service IP (default true). */
  portblock?: boolean
}

/** Cleans a path and roots it at "/", so "../x" cannot leave the export directory. */
export function rootedPath(path: string): string {
  const clean = posix.normalize(`/${path}`)
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean
}

/** Where a volume is mounted and exported from. */
export function exportDirectory(name: string, exportPath: string): string {
  const path = rootedPath(exportPath)
  return path === '/' ? `${EXPORT_BASE}/${name}` : `${EXPORT_BASE}/${name}${path}`
}

const familyOf = (serviceIp: string): IpFamily => {
  try {
    return parseServiceIp(serviceIp).family
  } catch {
    return 'ipv4'
  }
}

/** A create request as the REST API receives it: volumes may leave out owner, file system and path. */
export type NfsCreateInput = Partial<Omit<NfsResourceConfig, 'volumes'>> & {volumes?: (VolumeInput & {export_path?: string})[]}

/**
 * The defaults for a create request: volume 0 in front, rooted export paths, kernel NFS, ext4
 * owned by nobody:nobody (so that squashed clients can write), and for allowed_ips the catch-all
 * of both families (kernel, as upstream's REST API does) or of the service IP's family (ganesha,
 * whose single "*" could not tell the two apart when read back).
 */
export function nfsDefaults(input: NfsCreateInput): NfsResourceConfig {
  const implementation = input.implementation || 'kernel'
  const serviceIp = input.service_ip ?? ''
  let allowed = input.allowed_ips ?? []
  if (allowed.length === 0) {
    allowed = implementation === 'ganesha' ? [formatCidr(catchAll(familyOf(serviceIp)))] : ['::/0', '0.0.0.0/0']
  }
  const config: NfsResourceConfig = {
    name: input.name ?? '',
    service_ip: serviceIp,
    allowed_ips: allowed,
    resource_group: input.resource_group || DEFAULT_RESOURCE_GROUP,
    volumes: [
      {...clusterPrivateVolume(), export_path: ''},
      ...(input.volumes ?? []).map((v) => ({
        ...v,
        file_system: v.file_system || 'ext4',
        file_system_root_owner: v.file_system_root_owner ?? {User: 'nobody', Group: 'nobody'},
        export_path: rootedPath(v.export_path ?? ''),
      })),
    ],
    gross_size: input.gross_size ?? false,
    implementation,
    portblock: input.portblock ?? true,
  }
  if (input.status !== undefined) config.status = input.status
  if (input.resource_timeout !== undefined) config.resource_timeout = input.resource_timeout
  return config
}

const invalid = (message: string): string => `invalid config: ${message}`

// Paths end up in agent parameters, in ganesha's ";"-separated list and in /etc/exports syntax.
const EXPORT_PATH = /^[A-Za-z0-9._/+@%=:-]*$/

/** The first reason the config cannot be created, with upstream's message, or undefined. */
export function validateNfsConfig(config: NfsResourceConfig): string | undefined {
  if (config.service_ip !== '') {
    const problem = serviceIpProblem(config.service_ip)
    if (problem !== undefined) return problem
  }
  for (const ip of config.allowed_ips ?? []) {
    const problem = serviceIpProblem(ip)
    if (problem !== undefined) return problem
  }
  if (config.name.length < 2) return invalid('nfs resource name to short (min. 2)')
  if (config.service_ip === '') return invalid('missing service ip')
  if (!(NFS_IMPLEMENTATIONS as readonly string[]).includes(config.implementation)) {
    return invalid(`unknown nfs implementation ${JSON.stringify(config.implementation)} (expected "kernel" or "ganesha")`)
  }
  const volumes = volumesProblem(config.volumes, 'nfs')
  if (volumes !== undefined) return invalid(volumes)
  if (new Set(config.volumes.map((v) => v.export_path)).size !== config.volumes.length) {
    return invalid('nfs export paths must be unique')
  }
  // Cairn's additions.
  const nameProblem = targetNameProblem(config.name)
  if (nameProblem !== undefined) return invalid(`nfs resource name '${config.name}' ${nameProblem}`)
  const exported = userVolumes(config.volumes)
  if (exported.length === 0) return invalid('an nfs export needs at least one volume')
  for (const v of exported) {
    if (!EXPORT_PATH.test(v.export_path)) return invalid(`nfs export path ${JSON.stringify(v.export_path)} may only contain letters, digits and ._/+@%=:-`)
    if (!(NFS_FILE_SYSTEMS as readonly string[]).includes(v.file_system ?? '')) {
      return invalid(`unknown file system ${JSON.stringify(v.file_system ?? '')} for volume ${v.number} (expected "ext4" or "xfs")`)
    }
  }
  if ((config.allowed_ips ?? []).length === 0) return invalid('allowed ips must not be empty')
  return undefined
}

/** exportfs syntax: nfs does not take a.b.c.d/0, so IPv4 /0 gets a dotted mask; IPv6 is bracketed. */
export function nfsClientSpec(c: Cidr): string {
  if (c.family === 'ipv6') return `[${c.address}]/${c.prefix}`
  return c.prefix === 0 ? `${c.address}/0.0.0.0` : formatCidr(c)
}

/** Reads an exportfs clientspec back. */
export function cidrFromNfsClientSpec(spec: string): Cidr {
  const slash = spec.indexOf('/')
  if (slash < 0) throw new Error(`expected at least one / in nfs export control ${spec}`)
  const address = spec.slice(0, slash).replace(/^\[(.*)\]$/, '$1')
  const mask = spec.slice(slash + 1)
  if (!mask.includes('.')) return parseCidr(`${address}/${mask}`)
  const dotted = parseIp(mask)
  if (!dotted || dotted.family !== 'ipv4') throw new Error(`failed to parse nfs export control ${mask} as mask`)
  const bits = dotted.bytes.map((b) => b.toString(2).padStart(8, '0')).join('')
  if (!/^1*0*$/.test(bits)) throw new Error(`non-contiguous mask ${mask} in nfs export control ${spec}`)
  return cidrFromParts(address, bits.indexOf('0') < 0 ? 32 : bits.indexOf('0'))
}

/** ganesha's Clients list: "*" for a catch-all, a bare address for an IPv6 host (it refuses /128). */
export function ganeshaClients(allowed: readonly Cidr[]): string {
  return allowed.map((c) => {
    if (isCatchAll(c)) return '*'
    if (c.family === 'ipv6' && c.prefix === 128) return c.address
    return formatCidr(c)
  }).join(',')
}

/** Reads a Clients list back; "*" becomes the catch-all of the service IP's family. */
export function allowedIpsFromGaneshaClients(clients: string, serviceFamily: IpFamily): Cidr[] {
  return clients.split(',').map((s) => s.trim()).filter((s) => s !== '').map((entry) => {
    if (entry === '*') return catchAll(serviceFamily)
    if (entry.includes('/')) return parseCidr(entry)
    const ip = parseIp(entry)
    if (!ip) throw new Error(`unparseable ganesha client '${entry}'`)
    return cidrFromParts(ip.address, ip.family === 'ipv4' ? 32 : 128)
  })
}

/** The promoter config for a deployed export. */
export function nfsPromoter(config: NfsResourceConfig, facts: DeploymentFacts): PromoterConfig {
  const name = config.name
  const ip = parseServiceIp(config.service_ip)
  const allowed = (config.allowed_ips ?? []).map(parseCidr)
  const portblock = config.portblock ?? true
  const volumes = userVolumes(config.volumes)
  const start: OcfAgent[] = []
  if (portblock) start.push(portBlockAgent('portblock', ip, NFS_PORT))
  start.push(clusterPrivateAgent(name, deployedVolume(facts, name, 0).devicePath))
  for (const v of volumes) {
    start.push(heartbeat('Filesystem', `fs_${v.number}`, {
      device: deployedVolume(facts, name, v.number).devicePath,
      directory: exportDirectory(name, v.export_path),
      fstype: v.file_system ?? '',
      run_fsck: 'no',
    }))
  }
  start.push(serviceIpAgent('service_ip', ip))
  if (config.implementation === 'ganesha') {
    start.push(heartbeat('ganesha-nfs', 'nfsserver', {
      nfs_ip: ip.address,
      export_path: volumes.map((v) => exportDirectory(name, v.export_path)).join(';'),
      export_id: volumes.map((v) => String(v.number)).join(';'),
      clients: ganeshaClients(allowed),
      // Mirrors the kernel's all_squash,anonuid=0,anongid=0.
      squash: 'All_Squash',
      anonuid: '0',
      anongid: '0',
      // A fixed scope lets NFSv4.1 clients reclaim their state on another node after failover.
      server_scope: ip.address,
      // The recovery database must fail over too, so it lives on the cluster-private volume.
      recovery_dir: `${clusterPrivateDir(name)}/ganesha`,
      // With NLM ganesha always waits out the full grace period; without it v4 resumes at once.
      enable_nlm: 'false',
    }))
  } else {
    start.push(heartbeat('nfsserver', 'nfsserver', {
      nfs_ip: ip.address,
      nfs_shared_infodir: `${clusterPrivateDir(name)}/nfs`,
      nfs_server_scope: ip.address,
    }))
    for (const v of volumes) {
      const fsid = volumeUuid(NFS_UUID_DOMAIN, facts.resourceUuid, deployedVolume(facts, name, v.number).uuid)
      allowed.forEach((client, j) => start.push(heartbeat('exportfs', `export_${v.number}_${j}`, {
        directory: exportDirectory(name, v.export_path),
        fsid,
        clientspec: nfsClientSpec(client),
        options: EXPORT_OPTIONS,
      })))
    }
  }
  if (portblock) start.push(portUnblockAgent('portunblock', ip, NFS_PORT, clusterPrivateDir(name)))
  return gatewayPromoter(name, 'BindsTo', start)
}

/**
 * The config back from a promoter config. Export paths, file system types, IPs and the
 * implementation come from the agents; sizes, owners, group and gross size from `definition`.
 */
export function nfsFromPromoter(promoter: PromoterConfig, definition?: TargetDefinition): NfsResourceConfig {
  const {name, options} = gatewayResource(promoter)
  const agents = startAgents(options)
  let serviceIp: Cidr | undefined
  let implementation = ''
  let clients: string | undefined
  const allowed: string[] = []
  const volumes: NfsVolumeConfig[] = []
  for (const a of agents) {
    if (a.vendor !== 'heartbeat') throw new Error(`unexpected resource agent: ocf:${a.vendor}:${a.agent}`)
    switch (a.agent) {
      case 'portblock':
        break
      case 'Filesystem':
        volumes.push(nfsVolumeFromAgent(name, a, definition))
        break
      case 'IPaddr2':
        serviceIp = serviceIpFromAgent(a)
        break
      case 'nfsserver':
        implementation = 'kernel'
        break
      case 'ganesha-nfs':
        implementation = 'ganesha'
        clients = a.params['clients'] ?? ''
        break
      case 'exportfs': {
        const cidr = formatCidr(cidrFromNfsClientSpec(a.params['clientspec'] ?? ''))
        if (!allowed.includes(cidr)) allowed.push(cidr)
        break
      }
      default:
        throw new Error(`unexpected resource agent: ocf:${a.vendor}:${a.agent}`)
    }
  }
  const blocks = portblockCounts(agents)
  if (blocks.block !== blocks.unblock) {
    throw new Error(`malformed configuration: got a different number of portblock and portunblock agents (${blocks.block} vs ${blocks.unblock})`)
  }
  if (blocks.block > 1) throw new Error(`malformed configuration: got a different number of portblock agents (${blocks.block}) than IPaddr2 agents (1)`)
  if (!serviceIp) throw new Error('malformed configuration: no IPaddr2 agent')
  if (implementation === '') throw new Error('malformed configuration: no nfsserver or ganesha-nfs agent')
  const allowedIps = clients === undefined ? allowed : allowedIpsFromGaneshaClients(clients, serviceIp.family).map(formatCidr)
  return {
    name,
    service_ip: formatCidr(serviceIp),
    allowed_ips: allowedIps,
    resource_group: definition?.resource_group ?? '',
    volumes,
    gross_size: definition?.gross_size ?? false,
    implementation,
    portblock: blocks.block > 0,
  }
}

function nfsVolumeFromAgent(name: string, a: OcfAgent, definition: TargetDefinition | undefined): NfsVolumeConfig {
  let number = 0
  let exportPath = ''
  if (a.instance !== 'fs_cluster_private') {
    const m = /^fs_(\d+)$/.exec(a.instance)
    if (!m) throw new Error(`agent ${a.instance} doesn't have expected name`)
    number = Number(m[1])
    const dir = a.params['directory'] ?? ''
    const base = `${EXPORT_BASE}/${name}`
    if (dir !== base && !dir.startsWith(`${base}/`)) throw new Error(`export path ${dir} not rooted in expected export path ${base}`)
    exportPath = rootedPath(dir.slice(base.length))
  }
  const known = definition?.volumes.find((v) => v.number === number)
  const volume: NfsVolumeConfig = {
    number,
    size_kib: known?.size_kib ?? 0,
    file_system: known?.file_system || (a.params['fstype'] ?? ''),
    file_system_root_owner: known?.file_system_root_owner ?? {User: '', Group: ''},
    export_path: exportPath,
  }
  return volume
}

/**
 * The kernel NFS server is one per node, so only one kernel export may exist in the cluster
 * (any node could end up running two). Returns upstream's message, or undefined.
 */
export function kernelNfsConflict(existing: readonly {path: string, promoter: PromoterConfig}[], config: NfsResourceConfig): string | undefined {
  if (config.implementation !== 'kernel') return undefined
  for (const {path, promoter} of existing) {
    const {name, options} = gatewayResource(promoter)
    if (name === config.name) continue
    if (startAgents(options).some((a) => isAgent(a, 'nfsserver'))) {
      return `a kernel NFS config already exists in ${path}. Only one kernel NFS resource is allowed; use --implementation=ganesha to create multiple NFS resources`
    }
  }
  return undefined
}
