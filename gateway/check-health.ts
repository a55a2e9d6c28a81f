// `cairn gateway check-health`: what a node needs before it can run gateway targets, judged from
// facts that host-probe.ts gathers (or a test records). Each check says ok or problem and how to
// fix it; the categories follow linstor-gateway's check-health. Pure.
import {extFileAllowed} from '../src/protocol/ext-file-path.ts'
import {REACTOR_SNIPPET_DIR} from './gateway-file.ts'

export type CheckStatus = 'ok' | 'problem'

export interface HealthCheck {
  category: string
  name: string
  status: CheckStatus
  /** What was found, for a problem. */
  detail?: string
  /** How to fix it. */
  fix: string
}

/** systemctl's answers for a unit; '' where systemd could not be asked. */
export interface UnitState {
  active: string
  enabled: string
  /** LoadState ("loaded", "not-found"). */
  load: string
  /** A unit file exists in systemd's directories (known without a running systemd). */
  fileExists: boolean
  /** Why systemd could not be asked. */
  error?: string
}

/** A satellite's external-file settings: of a running satellite, or what one started now would use. */
export interface SatelliteFileSettings {
  /** Where they come from: "pid 1234 (cairn satellite)", "/etc/cairn/cairn.toml". */
  source: string
  allowed: string[]
  root: string
  /** The settings could not be read. */
  error?: string
}

export interface HostFacts {
  /** Command name → found in PATH. */
  binaries: Record<string, boolean>
  units: Record<string, UnitState>
  /** Kernel module → loaded; undefined when that cannot be told (no /proc/modules, no /sys/module). */
  modules?: Record<string, boolean>
  /** The heartbeat resource-agent directory exists. */
  agentDir: boolean
  /** Agent → executable file in the agent directory. */
  agents: Record<string, boolean>
  /** Process name → running. */
  processes: Record<string, boolean>
  satellites: SatelliteFileSettings[]
  /** What decides whether the portblock agent can unblock; undefined when not probed. */
  portblock?: PortblockFacts
}

/**
 * iptables 1.8.9 (Debian bookworm, Fedora 39) lists rules with protocol numbers (`DROP 6 --`, not
 * `DROP tcp --`; netfilter bug 1729, fixed in 1.8.10). portblock finds its own DROP rule in that
 * listing, and before resource-agents 4.14 it matched the protocol's name only: then action=unblock
 * never removes the rule, and clients of every target with portblock stay locked out.
 */
export interface PortblockFacts {
  /** `iptables -V`: "1.8.9"; undefined when it did not answer. */
  iptables?: string
  /** The agent's rule match accepts the protocol as a number too. */
  numericProtocol: boolean
}

/** The iptables releases that list protocols as numbers. */
export const IPTABLES_NUMERIC_PROTOCOL = ['1.8.9']

/**
 * Whether portblock's stock rule match (`^DROP${w}${1}${w}--...`, the protocol as named) is in the
 * agent's text: resource-agents 4.14 matches the number too.
 */
export const portblockMatchesNamesOnly = (agentText: string): boolean => agentText.includes('echo "^DROP${w}${1}${w}--')

/** "iptables v1.8.9 (nf_tables)" → "1.8.9". */
export function parseIptablesVersion(text: string): string | undefined {
  return /\bv(\d+\.\d+(?:\.\d+)?)\b/.exec(text)?.[1]
}

export const AGENT_DIR = '/usr/lib/ocf/resource.d/heartbeat'
export const ISCSI_BACKENDS = ['lio-t', 'scst'] as const
export type IscsiBackend = typeof ISCSI_BACKENDS[number]

const COMMON_AGENTS = ['Filesystem', 'IPaddr2', 'portblock']
const ISCSI_AGENTS = ['iSCSITarget', 'iSCSILogicalUnit']
const NFS_AGENTS = ['nfsserver', 'exportfs']
const NVME_AGENTS = ['nvmet-subsystem', 'nvmet-namespace', 'nvmet-port']
const SCST_MODULES = ['scst', 'iscsi_scst', 'scst_vdisk']

/** Everything the checks look at, so that the probe gathers exactly that. */
export const HEALTH_PROBES = {
  binaries: ['iptables', 'drbd-reactor', 'fuser', 'targetcli', 'scstadmin', 'nvmetcli'],
  units: ['drbd-reactor.service', 'drbd-reactor-reload.path', 'nfs-server.service'],
  modules: ['nvmet', ...SCST_MODULES],
  agents: [...COMMON_AGENTS, ...ISCSI_AGENTS, ...NFS_AGENTS, ...NVME_AGENTS],
  processes: ['iscsi-scstd'],
} as const

/** "lio-t,scst" → the backends; unknown names are refused. */
export function parseIscsiBackends(text: string): IscsiBackend[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = names.filter((n) => !(ISCSI_BACKENDS as readonly string[]).includes(n))
  if (unknown.length) throw new Error(`unknown iSCSI backend ${unknown.join(', ')} (expected ${ISCSI_BACKENDS.join(' or ')})`)
  if (!names.length) throw new Error('no iSCSI backend given')
  return [...new Set(names)] as IscsiBackend[]
}

type Check = Omit<HealthCheck, 'category'>
const check = (name: string, ok: boolean, detail: string, fix: string): Check =>
  ok ? {name, status: 'ok', fix} : {name, status: 'problem', detail, fix}

function binary(f: HostFacts, name: string, fix: string): Check {
  return check(`${name} in PATH`, f.binaries[name] === true, 'not found', fix)
}

function unitActive(f: HostFacts, unit: string, fix: string): Check {
  const u = f.units[unit]
  return check(`${unit} active`, u?.active === 'active', u?.active ? u.active : `systemd could not be asked${u?.error ? `: ${u.error}` : ''}`, fix)
}

function unitEnabled(f: HostFacts, unit: string, fix: string): Check {
  const u = f.units[unit]
  return check(`${unit} enabled`, ['enabled', 'enabled-runtime', 'static', 'alias'].includes(u?.enabled ?? ''),
    u?.enabled ? u.enabled : `systemd could not be asked${u?.error ? `: ${u.error}` : ''}`, fix)
}

function module(f: HostFacts, name: string, fix: string): Check {
  return check(`kernel module ${name} loaded`, f.modules?.[name] === true,
    f.modules ? 'not loaded' : 'cannot tell: neither /proc/modules nor /sys/module is readable', fix)
}

/** The agent checks, or none when the directory is missing (its own check covers them). */
function agents(f: HostFacts, names: readonly string[], fix: string): Check[] {
  if (!f.agentDir) return []
  return names.map((a) => check(`resource agent ${a}`, f.agents[a] === true, `${AGENT_DIR}/${a} is missing`, fix))
}

const RESOURCE_AGENTS_FIX = 'Install resource-agents (4.9 or newer): apt install resource-agents / dnf install resource-agents'

function portblockUnblocks(f: HostFacts): Check[] {
  const p = f.portblock
  if (!p || !f.agents['portblock'] || !p.iptables) return []
  const broken = IPTABLES_NUMERIC_PROTOCOL.includes(p.iptables) && !p.numericProtocol
  return [check(`portblock can unblock with iptables ${p.iptables}`, !broken,
    `iptables ${p.iptables} lists rules with protocol numbers ("6", not "tcp") and this portblock agent matches the name only, ` +
      'so action=unblock never removes its DROP rule: clients cannot reach a target with portblock',
    'Install resource-agents 4.14 or newer (its portblock matches both), or iptables 1.8.10 or newer; ' +
      'until then create targets with --no-portblock')]
}

function satellite(s: SatelliteFileSettings): Check {
  const name = `Cairn satellite (${s.source}) may write ${REACTOR_SNIPPET_DIR}`
  const fix = `Add '${REACTOR_SNIPPET_DIR}' to [files] allowExtFiles in /etc/cairn/cairn.toml (or --allow-ext-files, ` +
    'CAIRN_ALLOW_EXT_FILES) and restart the satellite: without it the satellite refuses the promoter files'
  if (s.error) return check(name, false, `its settings cannot be read: ${s.error}`, fix)
  const root = s.root.replace(/\/+$/, '')
  const where = root ? ` (files go to ${root}${REACTOR_SNIPPET_DIR})` : ''
  return check(name, extFileAllowed(s.allowed, `${REACTOR_SNIPPET_DIR}/x.toml`),
    `allowExtFiles is ${s.allowed.length ? s.allowed.join(', ') : 'empty'}${where}`, fix)
}

function iscsiBackendChecks(f: HostFacts, backend: IscsiBackend): Check[] {
  if (backend === 'lio-t') {
    return [binary(f, 'targetcli', 'Install targetcli-fb (Debian, Ubuntu) or targetcli (RHEL) for LIO')]
  }
  const build = 'Build and install SCST (https://github.com/SCST-project/scst)'
  return [
    binary(f, 'scstadmin', `${build}; scstadmin comes with it`),
    ...SCST_MODULES.map((m) => module(f, m, `modprobe ${m}, and list it in /etc/modules-load.d/scst.conf to load it at boot`)),
    check('process iscsi-scstd running', f.processes['iscsi-scstd'] === true, 'not running',
      'Start the SCST iSCSI daemon: systemctl enable --now iscsi-scst'),
  ]
}

/**
 * Every check, in report order. For iSCSI one complete backend is enough: when one of the given
 * backends has everything, only its checks are reported.
 */
export function evaluateHealth(f: HostFacts, opts: {iscsiBackends: readonly IscsiBackend[]}): HealthCheck[] {
  const backends = opts.iscsiBackends.map((b) => iscsiBackendChecks(f, b))
  const complete = backends.find((checks) => checks.every((c) => c.status === 'ok'))
  const nfs = f.units['nfs-server.service']
  const nfsRunning = nfs?.active === 'active' || ['enabled', 'enabled-runtime'].includes(nfs?.enabled ?? '')
  const categories: [string, Check[]][] = [
    ['System utilities', [
      binary(f, 'iptables', 'Install iptables: the portblock agent blocks the service port with it while a target moves'),
    ]],
    ['Cairn satellite', f.satellites.map(satellite)],
    ['drbd-reactor', [
      binary(f, 'drbd-reactor', 'Install drbd-reactor (LINBIT\'s package repositories) on every gateway node'),
      unitActive(f, 'drbd-reactor.service', 'systemctl enable --now drbd-reactor'),
      unitEnabled(f, 'drbd-reactor.service', 'systemctl enable --now drbd-reactor'),
      unitActive(f, 'drbd-reactor-reload.path', 'cp /usr/share/doc/drbd-reactor/drbd-reactor-reload.{path,service} /etc/systemd/system/ ' +
        '&& systemctl enable --now drbd-reactor-reload.path (drbd-reactor then reloads when a promoter file changes)'),
    ]],
    ['Resource agents', [
      check(`directory ${AGENT_DIR}`, f.agentDir, 'missing', RESOURCE_AGENTS_FIX),
      ...agents(f, COMMON_AGENTS, RESOURCE_AGENTS_FIX),
      ...portblockUnblocks(f),
      binary(f, 'fuser', 'Install psmisc: the Filesystem agent needs fuser to stop what still uses a mount'),
    ]],
    ['iSCSI', [
      ...agents(f, ISCSI_AGENTS, RESOURCE_AGENTS_FIX),
      ...(complete ?? backends.flat()),
    ]],
    ['NVMe-oF', [
      ...agents(f, NVME_AGENTS, `${RESOURCE_AGENTS_FIX} (the nvmet agents came with 4.9)`),
      binary(f, 'nvmetcli', 'Install nvmetcli'),
      module(f, 'nvmet', 'modprobe nvmet nvmet-tcp, and list both in /etc/modules-load.d/ to load them at boot'),
    ]],
    ['NFS', [
      ...agents(f, NFS_AGENTS, RESOURCE_AGENTS_FIX),
      check('nfs-server.service installed', nfs?.load === 'loaded' || nfs?.fileExists === true, 'not found',
        'Install nfs-kernel-server (Debian, Ubuntu) or nfs-utils (RHEL)'),
      check('nfs-server.service inactive and disabled', nfs?.active !== undefined && nfs.active !== '' && !nfsRunning,
        nfs?.active ? `it is ${nfs.active} and ${nfs.enabled || 'of unknown enablement'}` : `systemd could not be asked${nfs?.error ? `: ${nfs.error}` : ''}`,
        'systemctl disable --now nfs-server: the nfsserver agent starts it on the node that runs the export'),
    ]],
  ]
  return categories.flatMap(([category, checks]) => checks.map((c) => ({category, ...c})))
}

export const issueCount = (checks: readonly HealthCheck[]): number => checks.filter((c) => c.status === 'problem').length

/** The report: a [✓]/[!] line per category, then each check with ✓/✗ and, for problems, the fix. */
export function formatHealthReport(checks: readonly HealthCheck[], opts: {utf8: boolean}): string {
  const g = opts.utf8 ? {good: '✓', bad: '✗', fix: '→'} : {good: '+', bad: 'x', fix: '->'}
  const lines: string[] = []
  for (const category of [...new Set(checks.map((c) => c.category))]) {
    const own = checks.filter((c) => c.category === category)
    lines.push(`[${own.every((c) => c.status === 'ok') ? g.good : '!'}] ${category}`)
    for (const c of own) {
      if (c.status === 'ok') lines.push(`    ${g.good} ${c.name}`)
      else lines.push(`    ${g.bad} ${c.name}: ${c.detail ?? 'problem'}`, `        ${g.fix} ${c.fix}`)
    }
  }
  return lines.join('\n')
}
