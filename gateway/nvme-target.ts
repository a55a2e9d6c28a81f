// Highly available NVMe-oF targets over TCP: one nvmet subsystem per LINSTOR resource, namespace n
// = volume n, exposed on an nvmet port bound to the floating service IP.

import {createHash} from 'node:crypto'
import {clusterPrivateAgent, clusterPrivateDir, clusterPrivateVolume} from './cluster-private-volume.ts'
import type {DeploymentFacts, TargetDefinition} from './deployment-facts.ts'
import {deployedVolume} from './deployment-facts.ts'
import {gatewayPromoter, gatewayResource, startAgents} from './gateway-file.ts'
import {nqnProblem, parseNqn} from './nqn.ts'
import type {OcfAgent} from './ocf-agent.ts'
import {heartbeat} from './ocf-agent.ts'
import type {PromoterConfig} from './reactor-options.ts'
import {formatCidr, parseServiceIp, serviceIpProblem} from './service-ip.ts'
import {isAgent, portBlockAgent, portblockCounts, portUnblockAgent, serviceIpAgent, serviceIpFromAgent} from './service-ip-agents.ts'
import type {ResourceStatus} from './status.ts'
import {volumeUuid} from './uuid-v5.ts'
import type {VolumeConfig, VolumeInput} from './volume-config.ts'
import {DEFAULT_RESOURCE_GROUP, userVolumes, volumesProblem} from './volume-config.ts'

export const NVME_PORT = 4420
/** Seeds the namespace UUID chain, so a namespace keeps its identity across failovers. */
export const NVME_UUID_DOMAIN = 'nvmeof.gateway.linstor.linbit.com'
/** nvmet port ids are 16-bit. */
export const MAX_NVMET_PORT_ID = 0xffff

/** REST v2 NvmeOfResourceConfig. */
export interface NvmeOfResourceConfig {
  nqn: string
  service_ip: string
  resource_group: string
  volumes: VolumeConfig[]
  status?: ResourceStatus
  gross_size: boolean
  resource_timeout?: number
  /** Cairn: portblock agents around the service IP (default true). */
  portblock?: boolean
}

/**
 * Deployment facts plus the nvmet port id. nvmet-port's start does nothing when ports/<id> already
 * exists, so two targets active on one node need different ids; upstream leaves the default 0.
 */
export interface NvmeDeploymentFacts extends DeploymentFacts {
  portId: number
}

/** A create request as the REST API receives it. */
export type NvmeOfCreateInput = Partial<Omit<NvmeOfResourceConfig, 'volumes'>> & {volumes?: VolumeInput[]}

/** The defaults for a create request; volume 0 (cluster-private) is put in front. */
export function nvmeDefaults(input: NvmeOfCreateInput): NvmeOfResourceConfig {
  const config: NvmeOfResourceConfig = {
    nqn: input.nqn ?? '',
    service_ip: input.service_ip ?? '',
    resource_group: input.resource_group || DEFAULT_RESOURCE_GROUP,
    volumes: [clusterPrivateVolume(), ...(input.volumes ?? []).map((v) => ({...v, file_system_root_owner: v.file_system_root_owner ?? {User: '', Group: ''}}))],
    gross_size: input.gross_size ?? false,
    portblock: input.portblock ?? true,
  }
  if (input.status !== undefined) config.status = input.status
  if (input.resource_timeout !== undefined) config.resource_timeout = input.resource_timeout
  return config
}

const invalid = (message: string): string => `invalid config: ${message}`

/** The first reason the config cannot be created, with upstream's message, or undefined. */
export function validateNvmeConfig(config: NvmeOfResourceConfig): string | undefined {
  if (config.nqn !== '') {
    const problem = nqnProblem(config.nqn)
    if (problem !== undefined) return problem
  }
  if (config.service_ip !== '') {
    const problem = serviceIpProblem(config.service_ip)
    if (problem !== undefined) return problem
  }
  if (config.nqn === '') return invalid('nvme subsystem string to short (min. 2)')
  if (config.service_ip === '') return invalid('missing service ip')
  const volumes = volumesProblem(config.volumes, 'block')
  return volumes === undefined ? undefined : invalid(volumes)
}

/** The subsystem serial: the first 8 bytes of sha256(nqn) in hex, stable on every node. */
export function nvmeSerial(nqn: string): string {
  return createHash('sha256').update(nqn).digest().subarray(0, 8).toString('hex')
}

/** The promoter config for a deployed target. */
export function nvmePromoter(config: NvmeOfResourceConfig, facts: NvmeDeploymentFacts): PromoterConfig {
  const {nqn, subsystem: resource} = parseNqn(config.nqn)
  const ip = parseServiceIp(config.service_ip)
  if (!Number.isInteger(facts.portId) || facts.portId < 0 || facts.portId > MAX_NVMET_PORT_ID) {
    throw new Error(`nvmet port id must be a whole number from 0 to ${MAX_NVMET_PORT_ID}, got ${facts.portId}`)
  }
  const portblock = config.portblock ?? true
  const start: OcfAgent[] = []
  if (portblock) start.push(portBlockAgent('portblock', ip, NVME_PORT))
  start.push(clusterPrivateAgent(resource, deployedVolume(facts, resource, 0).devicePath))
  start.push(serviceIpAgent('service_ip', ip))
  start.push(heartbeat('nvmet-subsystem', 'subsys', {nqn, serial: nvmeSerial(nqn)}))
  for (const v of userVolumes(config.volumes)) {
    const deployed = deployedVolume(facts, resource, v.number)
    const uuid = volumeUuid(NVME_UUID_DOMAIN, facts.resourceUuid, deployed.uuid)
    start.push(heartbeat('nvmet-namespace', `ns_${v.number}`, {
      nqn,
      // Namespace ids start at 1, like the user volumes.
      namespace_id: String(v.number),
      backing_path: deployed.devicePath,
      uuid,
      nguid: uuid,
    }))
  }
  start.push(heartbeat('nvmet-port', 'port', {
    nqns: nqn,
    addr: ip.address,
    // The agent defaults to ipv4, which an IPv6 service IP cannot use.
    addr_fam: ip.family,
    port_id: String(facts.portId),
    type: 'tcp',
  }))
  if (portblock) start.push(portUnblockAgent('portunblock', ip, NVME_PORT, clusterPrivateDir(resource)))
  return gatewayPromoter(resource, 'Requires', start)
}

/**
 * The config back from a promoter config. NQN and service IP come from the agents (found by type,
 * not by position as upstream does); group, sizes and gross size from `definition`.
 */
export function nvmeFromPromoter(promoter: PromoterConfig, definition?: TargetDefinition): NvmeOfResourceConfig {
  const {name, options} = gatewayResource(promoter)
  const agents = startAgents(options)
  const one = (agent: string): OcfAgent => {
    const found = agents.filter((a) => isAgent(a, agent))
    if (found.length !== 1) throw new Error(`malformed configuration: expected one ${agent} agent, got ${found.length}`)
    return found[0] as OcfAgent
  }
  const ip = serviceIpFromAgent(one('IPaddr2'))
  const {nqn, subsystem} = parseNqn(one('nvmet-subsystem').params['nqn'] ?? '')
  if (subsystem !== name) throw new Error(`malformed configuration: resource ${name} holds the subsystem of ${nqn}`)
  const blocks = portblockCounts(agents)
  if (blocks.block !== blocks.unblock || blocks.block > 1) {
    throw new Error('malformed configuration: expected one portblock and one portunblock agent or none')
  }
  const namespaces = agents.filter((a) => isAgent(a, 'nvmet-namespace')).map((a) => Number(a.params['namespace_id']))
  const volumes = definition
    ? definition.volumes.map((v) => ({...v}))
    : [clusterPrivateVolume(), ...namespaces.map((number) => ({number, size_kib: 0, file_system_root_owner: {User: '', Group: ''}}))]
  return {
    nqn,
    service_ip: formatCidr(ip),
    resource_group: definition?.resource_group ?? '',
    volumes,
    gross_size: definition?.gross_size ?? false,
    portblock: blocks.block > 0,
  }
}

/** The nvmet port id of a target's config; upstream's files have none, which means port 0. */
export function nvmetPortIdOf(promoter: PromoterConfig): number {
  const port = startAgents(gatewayResource(promoter).options).find((a) => isAgent(a, 'nvmet-port'))
  return Number(port?.params['port_id'] ?? 0)
}

/**
 * The lowest port id from 1 up that no existing NVMe-oF target uses; 0 stays free for targets made
 * by upstream, which all use it.
 */
export function freeNvmetPortId(existing: readonly PromoterConfig[]): number {
  const used = new Set(existing.map(nvmetPortIdOf))
  for (let id = 1; id <= MAX_NVMET_PORT_ID; id++) if (!used.has(id)) return id
  throw new Error('no free nvmet port id')
}
