// The initiator side of the NVMe layer: nvme-cli's command lines and what their output means.
// Pure. The arguments are LINSTOR's (NvmeUtils): long options, and the node's name as host NQN.
import type {NvmeHostFacts} from './nvmet.ts'

export interface NvmeConnection {nqn: string, transport: string, traddr: string, trsvcid: string, hostNqn: string}

export const connectArgs = (c: NvmeConnection): string[] =>
  ['connect', `--transport=${c.transport}`, `--nqn=${c.nqn}`, `--traddr=${c.traddr}`, `--trsvcid=${c.trsvcid}`, `--hostnqn=${c.hostNqn}`]

/** Asked only when a connect fails, to say why: no target answers, or it does not offer the subsystem. */
export const discoverArgs = (c: NvmeConnection): string[] =>
  ['discover', `--transport=${c.transport}`, `--traddr=${c.traddr}`, `--trsvcid=${c.trsvcid}`, `--hostnqn=${c.hostNqn}`, '--output-format=json']

/** Idempotent: "disconnected 0 controller(s)" and exit 0 when not connected. */
export const disconnectArgs = (nqn: string): string[] => ['disconnect', `--nqn=${nqn}`]

/** The verbose list is the one that names each subsystem's NQN next to its namespaces. */
export const listArgs = (): string[] => ['list', '--verbose', '--output-format=json']

/** The kernel modules an initiator loads: the transport's host driver (nvme-tcp, nvme-rdma), which brings nvme-fabrics. */
export const hostModule = (transport: string): string => `nvme-${transport}`

/** A connected subsystem: its namespaces' block devices by namespace id. */
export interface ConnectedSubsystem {nqn: string, namespaces: {nsid: number, devicePath: string}[]}

interface ListV {Devices?: {Subsystems?: {SubsystemNQN?: string, Namespaces?: {NameSpace?: string, NSID?: number}[]}[]}[]}

/**
 * `nvme list --verbose --output-format=json` (nvme-cli 2.x): Devices (one per host NQN) hold
 * Subsystems with their NQN and Namespaces ("nvme0n1", NSID 1). With native multipath the
 * namespace's block device is named after the subsystem, not the controller: only this list
 * (not the controller's nvmeXcYnZ path) gives the right /dev node.
 */
export function parseList(json: string): ConnectedSubsystem[] {
  const out: ConnectedSubsystem[] = []
  for (const dev of (JSON.parse(json) as ListV).Devices ?? []) {
    for (const s of dev.Subsystems ?? []) {
      if (!s.SubsystemNQN) continue
      const namespaces = (s.Namespaces ?? []).flatMap((n) => (n.NameSpace && n.NSID !== undefined ? [{nsid: n.NSID, devicePath: `/dev/${n.NameSpace}`}] : []))
      const known = out.find((c) => c.nqn === s.SubsystemNQN)
      if (known) known.namespaces.push(...namespaces.filter((n) => !known.namespaces.some((k) => k.nsid === n.nsid)))
      else out.push({nqn: s.SubsystemNQN, namespaces})
    }
  }
  return out
}

/** Without the nvme core module there is no topology to scan: nothing is connected. */
export const isEmptyTopology = (stderr: string): boolean => /Failed to scan topology: No such file or directory/.test(stderr)

/** The subsystem NQNs a discovery log (`--output-format=json`) offers. */
export const parseDiscovery = (json: string): string[] =>
  ((JSON.parse(json) as {records?: {subtype?: string, subnqn?: string}[]}).records ?? [])
    .filter((r) => r.subtype === 'nvme subsystem' && r.subnqn).map((r) => r.subnqn as string)

/** Why this host cannot be an NVMe-oF initiator; empty when it can. */
export function initiatorProblems(f: NvmeHostFacts): string[] {
  return f.nvmeCli ? [] : ["'nvme' not found (an NVMe-oF initiator needs nvme-cli; install nvme-cli)"]
}
