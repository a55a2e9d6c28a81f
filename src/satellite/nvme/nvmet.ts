// The target side of the NVMe layer: what nvmet's configfs tree must look like for a resource, as
// the list of directory and attribute changes that takes the current tree there. Pure; names and
// order as LINSTOR's NvmeUtils: subsystem `LS-NVMe_<rsc>` open to any host, namespace vlmNr+1 per
// volume (device_path, then enable), one port per address, transport and service id, linked last.
import {isIPv6} from 'node:net'

export const NVMET_ROOT = '/sys/kernel/config/nvmet'
export const NQN_PREFIX = 'LS-NVMe_'

export const subsystemNqn = (rsc: string): string => `${NQN_PREFIX}${rsc}`
export const namespaceId = (vlmNr: number): number => vlmNr + 1

export interface NvmetNamespace {nsid: number, devicePath: string, enabled: boolean}
export interface NvmetSubsystem {nqn: string, namespaces: NvmetNamespace[]}
export interface NvmetPort {id: string, traddr: string, trtype: string, trsvcid: string, subsystems: string[]}
/** The parts of /sys/kernel/config/nvmet the layer reads. */
export interface NvmetTree {subsystems: NvmetSubsystem[], ports: NvmetPort[]}

/** What a target exports: its subsystem's namespaces, reachable at one address. */
export interface NvmetExport {
  nqn: string
  transport: string
  traddr: string
  trsvcid: string
  namespaces: {nsid: number, devicePath: string}[]
}

export type ConfigfsChange =
  | {op: 'mkdir', path: string}
  | {op: 'write', path: string, value: string}
  | {op: 'symlink', target: string, path: string}
  | {op: 'unlink', path: string}
  | {op: 'rmdir', path: string}

const subsystemDir = (nqn: string): string => `${NVMET_ROOT}/subsystems/${nqn}`
const namespaceDir = (nqn: string, nsid: number): string => `${subsystemDir(nqn)}/namespaces/${nsid}`
const portDir = (id: string): string => `${NVMET_ROOT}/ports/${id}`
const portLink = (id: string, nqn: string): string => `${portDir(id)}/subsystems/${nqn}`

/** An unset device_path reads "(null)". */
export const parseDevicePath = (text: string): string => (text.trim() === '(null)' ? '' : text.trim())

/** A port's configuration cannot change once it serves a subsystem (EACCES): a new one is made. */
const samePort = (p: NvmetPort, e: NvmetExport): boolean => p.traddr === e.traddr && p.trtype === e.transport && p.trsvcid === e.trsvcid

/** Ports are numbered directories; a new one takes the next number. */
const nextPortId = (ports: readonly NvmetPort[]): string => String(Math.max(0, ...ports.map((p) => Number(p.id)).filter(Number.isInteger)) + 1)

/** Unlinks `nqn` from `ports`, removing each port it leaves without subsystems. */
function unlinkFrom(ports: readonly NvmetPort[], nqn: string): ConfigfsChange[] {
  return ports.filter((p) => p.subsystems.includes(nqn)).flatMap((p): ConfigfsChange[] => [
    {op: 'unlink', path: portLink(p.id, nqn)},
    ...(p.subsystems.length === 1 ? [{op: 'rmdir' as const, path: portDir(p.id)}] : []),
  ])
}

/** A namespace comes out of service before its directory goes (or its device changes: EBUSY while enabled). */
const disable = (nqn: string, ns: NvmetNamespace): ConfigfsChange[] => (ns.enabled ? [{op: 'write', path: `${namespaceDir(nqn, ns.nsid)}/enable`, value: '0'}] : [])

/** The changes that make `tree` export `e`: nothing when it already does. */
export function exportChanges(e: NvmetExport, tree: NvmetTree): ConfigfsChange[] {
  const out: ConfigfsChange[] = []
  const sub = tree.subsystems.find((s) => s.nqn === e.nqn)
  if (!sub) {
    out.push({op: 'mkdir', path: subsystemDir(e.nqn)}, {op: 'write', path: `${subsystemDir(e.nqn)}/attr_allow_any_host`, value: '1'})
  }
  for (const want of e.namespaces) {
    const dir = namespaceDir(e.nqn, want.nsid)
    const have = sub?.namespaces.find((n) => n.nsid === want.nsid)
    if (!have) out.push({op: 'mkdir', path: dir})
    else if (have.devicePath === want.devicePath && have.enabled) continue
    if (have && have.devicePath !== want.devicePath) out.push(...disable(e.nqn, have))
    if (have?.devicePath !== want.devicePath) out.push({op: 'write', path: `${dir}/device_path`, value: want.devicePath})
    out.push({op: 'write', path: `${dir}/enable`, value: '1'})
  }
  for (const extra of sub?.namespaces.filter((n) => !e.namespaces.some((w) => w.nsid === n.nsid)) ?? []) {
    out.push(...disable(e.nqn, extra), {op: 'rmdir', path: namespaceDir(e.nqn, extra.nsid)})
  }
  const port = tree.ports.find((p) => samePort(p, e))
  // Linked elsewhere (the address or transport changed): off the old port first.
  out.push(...unlinkFrom(tree.ports.filter((p) => p !== port), e.nqn))
  const id = port?.id ?? nextPortId(tree.ports)
  if (!port) {
    out.push({op: 'mkdir', path: portDir(id)},
      {op: 'write', path: `${portDir(id)}/addr_traddr`, value: e.traddr},
      {op: 'write', path: `${portDir(id)}/addr_trtype`, value: e.transport},
      {op: 'write', path: `${portDir(id)}/addr_trsvcid`, value: e.trsvcid},
      {op: 'write', path: `${portDir(id)}/addr_adrfam`, value: isIPv6(e.traddr) ? 'ipv6' : 'ipv4'})
  }
  if (!port?.subsystems.includes(e.nqn)) out.push({op: 'symlink', target: subsystemDir(e.nqn), path: portLink(id, e.nqn)})
  return out
}

/** The changes that remove the subsystem `nqn` from `tree`: unlinked, namespaces disabled and removed, then itself. */
export function unexportChanges(nqn: string, tree: NvmetTree): ConfigfsChange[] {
  const sub = tree.subsystems.find((s) => s.nqn === nqn)
  return [
    ...unlinkFrom(tree.ports, nqn),
    ...(sub?.namespaces ?? []).flatMap((n) => [...disable(nqn, n), {op: 'rmdir' as const, path: namespaceDir(nqn, n.nsid)}]),
    ...(sub ? [{op: 'rmdir' as const, path: subsystemDir(nqn)}] : []),
  ]
}

export interface NvmeHostFacts {
  /** nvme-cli's `nvme` is on the PATH. */
  nvmeCli: boolean
  /** nvmet is loaded or loadable (/sys/module/nvmet or `modinfo nvmet`). */
  nvmet: boolean
  /** configfs is mounted at /sys/kernel/config. */
  configfs: boolean
}

/** Why this host cannot be an NVMe-oF target; empty when it can. */
export function targetProblems(f: NvmeHostFacts): string[] {
  const out: string[] = []
  if (!f.nvmet) out.push('the nvmet kernel module is not available (an NVMe-oF target needs it; install it or try modprobe nvmet)')
  if (!f.configfs) out.push('configfs is not mounted at /sys/kernel/config (mount -t configfs none /sys/kernel/config)')
  return out
}
