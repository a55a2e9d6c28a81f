// Highly available iSCSI targets: one LINSTOR resource, LUN n = volume n, exported through LIO or
// SCST by the iSCSITarget/iSCSILogicalUnit agents behind one or more floating service IPs.

import {createHash} from 'node:crypto'
import {chapCredentialsProblem} from './chap.ts'
import {clusterPrivateAgent, clusterPrivateDir, clusterPrivateVolume} from './cluster-private-volume.ts'
import type {DeploymentFacts, TargetDefinition} from './deployment-facts.ts'
import {deployedVolume} from './deployment-facts.ts'
import {gatewayPromoter, gatewayResource, startAgents} from './gateway-file.ts'
import {initiatorIqnProblem, parseTargetIqn, targetIqnProblem} from './iqn.ts'
import type {OcfAgent} from './ocf-agent.ts'
import {heartbeat} from './ocf-agent.ts'
import type {PromoterConfig} from './reactor-options.ts'
import type {Cidr} from './service-ip.ts'
import {formatCidr, parseServiceIp, sameIp, serviceIpProblem} from './service-ip.ts'
import {isAgent, portBlockAgent, portblockCounts, portUnblockAgent, serviceIpAgent, serviceIpFromAgent} from './service-ip-agents.ts'
import type {ResourceStatus} from './status.ts'
import type {VolumeConfig, VolumeInput} from './volume-config.ts'
import {DEFAULT_RESOURCE_GROUP, userVolumes, volumesProblem} from './volume-config.ts'

export const ISCSI_PORT = 3260
/** The iSCSITarget agent's implementations; empty lets the agent pick one. */
export const ISCSI_IMPLEMENTATIONS = ['lio-t', 'lio', 'scst', 'iet', 'tgt'] as const

/** REST v2 ISCSIResourceConfig. */
export interface IscsiResourceConfig {
  iqn: string
  allowed_initiators?: string[]
  resource_group: string
  volumes: VolumeConfig[]
  username?: string
  password?: string
  service_ips: string[]
  status?: ResourceStatus
  gross_size: boolean
  implementation: string
  /** Go duration in nanoseconds. */
  resource_timeout?: number
  /** Cairn: portblock agents around the service IPs (default true, as upstream always has them). */
  portblock?: boolean
}

/** A create request as the REST API receives it. */
export type IscsiCreateInput = Partial<Omit<IscsiResourceConfig, 'volumes'>> & {volumes?: VolumeInput[]}

/** The defaults for a create request; volume 0 (cluster-private) is put in front of the user's volumes. */
export function iscsiDefaults(input: IscsiCreateInput): IscsiResourceConfig {
  const config: IscsiResourceConfig = {
    iqn: input.iqn ?? '',
    allowed_initiators: input.allowed_initiators ?? [],
    resource_group: input.resource_group || DEFAULT_RESOURCE_GROUP,
    volumes: [clusterPrivateVolume(), ...(input.volumes ?? []).map((v) => ({...v, file_system_root_owner: v.file_system_root_owner ?? {User: '', Group: ''}}))],
    username: input.username ?? '',
    password: input.password ?? '',
    service_ips: input.service_ips ?? [],
    gross_size: input.gross_size ?? false,
    implementation: input.implementation ?? '',
    portblock: input.portblock ?? true,
  }
  if (input.status !== undefined) config.status = input.status
  if (input.resource_timeout !== undefined) config.resource_timeout = input.resource_timeout
  return config
}

const invalid = (message: string): string => `invalid config: ${message}`

/** The first reason the config cannot be created, with upstream's message, or undefined. */
export function validateIscsiConfig(config: IscsiResourceConfig): string | undefined {
  // Parse errors first, as upstream's JSON decoding reports them before validation.
  if (config.iqn !== '') {
    const problem = targetIqnProblem(config.iqn)
    if (problem !== undefined) return problem
  }
  for (const initiator of config.allowed_initiators ?? []) {
    const problem = initiatorIqnProblem(initiator)
    if (problem !== undefined) return problem
  }
  for (const ip of config.service_ips) {
    const problem = serviceIpProblem(ip)
    if (problem !== undefined) return problem
  }
  if (config.iqn === '') return invalid('iscsi wwn string to short (min. 2)')
  if (config.service_ips.length === 0) return invalid('missing service ips')
  const volumes = volumesProblem(config.volumes, 'block')
  if (volumes !== undefined) return invalid(volumes)
  // Cairn's additions: upstream lets these fail later in the resource agent.
  const ips = config.service_ips.map(parseServiceIp)
  const twice = ips.find((ip, i) => ips.findIndex((other) => sameIp(ip, other)) !== i)
  if (twice) return invalid(`service ip ${twice.address} is given twice`)
  if (config.implementation !== '' && !(ISCSI_IMPLEMENTATIONS as readonly string[]).includes(config.implementation)) {
    return invalid(`unknown iscsi implementation ${JSON.stringify(config.implementation)} (expected ${ISCSI_IMPLEMENTATIONS.map((i) => JSON.stringify(i)).join(', ')} or none for the agent's default)`)
  }
  const chap = chapCredentialsProblem(config.username ?? '', config.password ?? '')
  if (chap !== undefined) return invalid(chap)
  return undefined
}

/**
 * The SCSI serial and product id of a LUN: like the agent's default (md5 of the instance) but from
 * IQN and LUN, so that every LUN differs in the first 8 bytes, which is all VMware compares.
 */
export function iscsiLunSerial(iqn: string, lun: number): string {
  return createHash('md5').update(`${iqn}-${lun}`).digest('hex').slice(0, 8)
}

/** The promoter config for a deployed target. */
export function iscsiPromoter(config: IscsiResourceConfig, facts: DeploymentFacts): PromoterConfig {
  const {iqn, unique: resource} = parseTargetIqn(config.iqn)
  const ips = config.service_ips.map(parseServiceIp)
  const portblock = config.portblock ?? true
  const impl: Record<string, string> = config.implementation ? {implementation: config.implementation} : {}
  const start: OcfAgent[] = [clusterPrivateAgent(resource, deployedVolume(facts, resource, 0).devicePath)]
  if (portblock) ips.forEach((ip, i) => start.push(portBlockAgent(`pblock${i}`, ip, ISCSI_PORT)))
  ips.forEach((ip, i) => start.push(serviceIpAgent(`service_ip${i}`, ip)))
  start.push(heartbeat('iSCSITarget', 'target', {
    iqn,
    portals: ips.map((ip) => `${ip.family === 'ipv6' ? `[${ip.address}]` : ip.address}:${ISCSI_PORT}`).join(' '),
    incoming_username: config.username ?? '',
    incoming_password: config.password ?? '',
    allowed_initiators: (config.allowed_initiators ?? []).join(' '),
    ...impl,
  }))
  for (const v of userVolumes(config.volumes)) {
    const serial = iscsiLunSerial(iqn, v.number)
    start.push(heartbeat('iSCSILogicalUnit', `lu${v.number}`, {
      target_iqn: iqn,
      lun: String(v.number),
      path: deployedVolume(facts, resource, v.number).devicePath,
      product_id: serial,
      scsi_sn: serial,
      ...impl,
    }))
  }
  if (portblock) ips.forEach((ip, i) => start.push(portUnblockAgent(`portunblock${i}`, ip, ISCSI_PORT, clusterPrivateDir(resource))))
  return gatewayPromoter(resource, 'Requires', start)
}

/**
 * The config back from a promoter config. The agents are the truth for IPs, IQN, CHAP, initiators
 * and implementation; `definition` (from LINSTOR) for group, sizes and gross size. Without it the
 * volumes are the LUNs found, with size 0.
 */
export function iscsiFromPromoter(promoter: PromoterConfig, definition?: TargetDefinition): IscsiResourceConfig {
  const {name, options} = gatewayResource(promoter)
  const agents = startAgents(options)
  const ips: Cidr[] = agents.filter((a) => isAgent(a, 'IPaddr2')).map(serviceIpFromAgent)
  const targets = agents.filter((a) => isAgent(a, 'iSCSITarget'))
  if (targets.length !== 1) throw new Error(`malformed configuration: expected one iSCSITarget agent, got ${targets.length}`)
  const target = targets[0] as OcfAgent
  const {iqn, unique} = parseTargetIqn(target.params['iqn'] ?? '')
  if (unique !== name) throw new Error(`malformed configuration: resource ${name} holds the target of ${iqn}`)
  const initiators = (target.params['allowed_initiators'] ?? '').split(/\s+/).filter((s) => s !== '')
  for (const i of initiators) {
    const problem = initiatorIqnProblem(i)
    if (problem !== undefined) throw new Error(`got malformed iqn ${i} for allowed initiators: ${problem}`)
  }
  const blocks = portblockCounts(agents)
  if (blocks.block !== blocks.unblock) {
    throw new Error('malformed configuration: got a different number of portblock and portunblock agents')
  }
  if (blocks.block !== 0 && blocks.block !== ips.length) {
    throw new Error('malformed configuration: got a different number of portblock agents than IPaddr2 agents')
  }
  const luns = agents.filter((a) => isAgent(a, 'iSCSILogicalUnit')).map((a) => Number(a.params['lun']))
  const volumes = definition
    ? definition.volumes.map((v) => ({...v}))
    : [clusterPrivateVolume(), ...luns.map((number) => ({number, size_kib: 0, file_system_root_owner: {User: '', Group: ''}}))]
  return {
    iqn,
    allowed_initiators: initiators,
    resource_group: definition?.resource_group ?? '',
    volumes,
    username: target.params['incoming_username'] ?? '',
    password: target.params['incoming_password'] ?? '',
    service_ips: ips.map(formatCidr),
    gross_size: definition?.gross_size ?? false,
    implementation: target.params['implementation'] ?? '',
    portblock: blocks.block > 0,
  }
}
