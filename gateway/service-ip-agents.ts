// The agents around a floating service IP: IPaddr2 moves the address; portblock drops packets to
// the service port while the target starts or stops, so clients retry instead of seeing resets.

import type {OcfAgent} from './ocf-agent.ts'
import {heartbeat} from './ocf-agent.ts'
import type {Cidr} from './service-ip.ts'
import {cidrFromParts} from './service-ip.ts'

export function serviceIpAgent(instance: string, ip: Cidr): OcfAgent {
  return heartbeat('IPaddr2', instance, {ip: ip.address, cidr_netmask: String(ip.prefix)})
}

export function portBlockAgent(instance: string, ip: Cidr, port: number): OcfAgent {
  return heartbeat('portblock', instance, {ip: ip.address, portno: String(port), action: 'block', protocol: 'tcp'})
}

/** The unblock side also sends TCP tickle ACKs, recorded on the cluster-private volume. */
export function portUnblockAgent(instance: string, ip: Cidr, port: number, tickleDir: string): OcfAgent {
  return heartbeat('portblock', instance, {
    ip: ip.address, portno: String(port), action: 'unblock', protocol: 'tcp', tickle_dir: tickleDir,
  })
}

/** The service IP an IPaddr2 agent configures. */
export function serviceIpFromAgent(a: OcfAgent): Cidr {
  const prefix = a.params['cidr_netmask'] ?? ''
  if (!/^\d+$/.test(prefix)) throw new Error(`failed to parse service ip prefix '${prefix}' of agent ${a.instance}`)
  return cidrFromParts(a.params['ip'] ?? '', Number(prefix))
}

export const isAgent = (a: OcfAgent, agent: string): boolean => a.vendor === 'heartbeat' && a.agent === agent

/** Counts portblock agents by action; block and unblock must pair up. */
export function portblockCounts(agents: readonly OcfAgent[]): {block: number, unblock: number} {
  const blocks = agents.filter((a) => isAgent(a, 'portblock'))
  return {
    block: blocks.filter((a) => a.params['action'] === 'block').length,
    unblock: blocks.filter((a) => a.params['action'] === 'unblock').length,
  }
}
