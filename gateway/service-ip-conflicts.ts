// A service IP may belong to one target only: two IPaddr2 agents for one address would fight over
// it on failover. Every gateway file in the cluster is checked, whatever its kind.

import {gatewayResource, startAgents} from './gateway-file.ts'
import type {IscsiResourceConfig} from './iscsi-target.ts'
import {parseTargetIqn} from './iqn.ts'
import type {NfsResourceConfig} from './nfs-export.ts'
import {parseNqn} from './nqn.ts'
import type {NvmeOfResourceConfig} from './nvme-target.ts'
import type {PromoterConfig} from './reactor-options.ts'
import {parseIp, parseServiceIp, sameIp} from './service-ip.ts'
import {isAgent} from './service-ip-agents.ts'

export type GatewayConfig = IscsiResourceConfig | NfsResourceConfig | NvmeOfResourceConfig

/** The resource name and the service IPs of any kind of config (which must be valid). */
export function configServiceIps(config: GatewayConfig): {resource: string, ips: string[]} {
  if ('iqn' in config) return {resource: parseTargetIqn(config.iqn).unique, ips: config.service_ips}
  if ('nqn' in config) return {resource: parseNqn(config.nqn).subsystem, ips: [config.service_ip]}
  return {resource: config.name, ips: [config.service_ip]}
}

/**
 * Upstream's messages for every service IP of `config` already used by another target. The
 * target of the same name is skipped: re-creating it is answered by comparing configs instead.
 */
export function serviceIpConflicts(existing: readonly PromoterConfig[], config: GatewayConfig): string[] {
  const {resource, ips} = configServiceIps(config)
  const wanted = ips.map((ip) => parseServiceIp(ip))
  const problems: string[] = []
  for (const promoter of existing) {
    const {name, options} = gatewayResource(promoter)
    if (name === resource) continue
    for (const agent of startAgents(options).filter((a) => isAgent(a, 'IPaddr2'))) {
      const raw = agent.params['ip'] ?? ''
      const ip = parseIp(raw)
      if (!ip) {
        problems.push(`malformed IP address ${raw} in agent ${agent.instance} of config ${name}`)
        continue
      }
      if (wanted.some((w) => sameIp(w, ip))) problems.push(`IP address ${ip.address} already in use by config ${name}`)
    }
  }
  return problems
}
