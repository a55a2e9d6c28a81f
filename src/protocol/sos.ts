// `sos-report`: what every node contributes, and the controller ↔ satellite message that asks for
// it. Outside the sync, like the physical-storage requests: one signed request per node, whose
// reply carries the node's files as text. The command list is data, so that it can be tested
// and read: each entry is an argument vector (never a shell string) and the file it fills.
import {PROTOCOL_VERSION} from './messages.ts'

/** Collects this node's part of a report. Request body: SosRequest. Reply: SosReply. */
export const SOS_PATH = '/internal/v1/sos'

export interface SosRequest {
  protocol: number
  /** Logs from this time on, epoch milliseconds; left out: the current boot. */
  since?: number
}

/** One file of the report, its name relative to the node's directory. */
export interface SosFile {name: string, content: string}

export interface SosReply {protocol: number, files?: SosFile[], error?: string}

export interface HostCommand {
  /** The report file it fills. */
  file: string
  argv: readonly [string, ...string[]]
  /** Seconds before it is killed: a hung tool must not hold the whole report up. */
  timeoutS: number
}

/** The satellite answers well within the link's 30 s: commands run in parallel, none longer than this. */
export const COMMAND_TIMEOUT_S = 15
/** Output beyond this is cut: one runaway journal must not make the reply too large to send. */
export const MAX_OUTPUT_BYTES = 8 * 1024 * 1024
/** journalctl lines per report file, newest kept. */
const JOURNAL_LINES = 50_000

/** Which Cairn services' journals a node's part holds. */
export const SATELLITE_UNITS = ['cairn-satellite', 'cairn-combined'] as const
export const CONTROLLER_UNITS = ['cairn-controller', 'cairn-combined'] as const

const cmd = (file: string, ...argv: [string, ...string[]]): HostCommand => ({file, argv, timeoutS: COMMAND_TIMEOUT_S})

/** journalctl's `--since @<seconds>`, or the current boot. */
const journalRange = (since: number | undefined): string[] =>
  since === undefined ? ['-b'] : ['--since', `@${Math.floor(since / 1000)}`]

/** The journal of Cairn's units on this host; `since` in epoch ms. */
export const journalCommand = (file: string, units: readonly string[], since: number | undefined): HostCommand =>
  cmd(file, 'journalctl', ...units.flatMap((u) => ['-u', u]), ...journalRange(since), '--no-pager', '-o', 'short-iso-precise', '-n', String(JOURNAL_LINES))

/**
 * What every node (and the controller's host) runs: kernel, network, block devices, DRBD, LVM,
 * ZFS, cryptsetup. Read-only commands only; `drbdadm dump` prints the configuration (its shared
 * secrets are redacted before the text leaves the node).
 */
export function hostCommands(since: number | undefined): HostCommand[] {
  return [
    cmd('uname.txt', 'uname', '-a'),
    cmd('uptime.txt', 'uptime'),
    cmd('dmesg.txt', 'dmesg', '--ctime'),
    cmd('journal-kernel.txt', 'journalctl', '-k', ...journalRange(since), '--no-pager', '-o', 'short-iso-precise', '-n', String(JOURNAL_LINES)),
    cmd('ip-addr.txt', 'ip', '-d', 'addr'),
    cmd('ip-route.txt', 'ip', 'route'),
    cmd('df.txt', 'df', '-hT'),
    cmd('lsblk.json', 'lsblk', '-O', '--json'),
    cmd('losetup.json', 'losetup', '--list', '--json'),
    cmd('drbdadm-version.txt', 'drbdadm', '--version'),
    cmd('drbdsetup-events2.txt', 'drbdsetup', 'events2', '--now', '--statistics'),
    cmd('drbdsetup-status.txt', 'drbdsetup', 'status', '--verbose', '--statistics'),
    cmd('drbdadm-dump.txt', 'drbdadm', 'dump', 'all'),
    cmd('lvs.json', 'lvs', '--reportformat', 'json', '-a', '-o', '+devices'),
    cmd('vgs.json', 'vgs', '--reportformat', 'json'),
    cmd('pvs.json', 'pvs', '--reportformat', 'json'),
    cmd('zfs-list.txt', 'zfs', 'list', '-t', 'all'),
    cmd('zpool-status.txt', 'zpool', 'status'),
    cmd('cryptsetup-version.txt', 'cryptsetup', '--version'),
  ]
}

/** Files copied as they are (apart from redaction), by report name. */
export const HOST_FILES: readonly {file: string, path: string}[] = [
  {file: 'proc-drbd.txt', path: '/proc/drbd'},
  {file: 'os-release.txt', path: '/etc/os-release'},
  {file: 'drbd.d/cairn.res', path: '/etc/drbd.d/cairn.res'},
  {file: 'drbd.d/global_common.conf', path: '/etc/drbd.d/global_common.conf'},
]

/** What stands in a file whose command is not on this host. */
export const notInstalled = (tool: string): string => `${tool}: not installed on this node\n`

/** A command's file: its output, or why there is none (the report is made either way). */
export function commandFile(c: HostCommand, outcome: {stdout: string, stderr?: string, exitCode?: number, error?: string}): string {
  const head = `$ ${c.argv.join(' ')}\n`
  const failed = outcome.error !== undefined || (outcome.exitCode !== undefined && outcome.exitCode !== 0)
  const body = truncate(outcome.stdout)
  if (!failed) return body
  const why = `# failed${outcome.exitCode !== undefined ? ` (exit ${outcome.exitCode})` : ''}${outcome.error ? `: ${outcome.error}` : ''}\n`
  return `${head}${why}${truncate(outcome.stderr ?? '')}${body ? `\n${body}` : ''}`
}

export function truncate(text: string, max = MAX_OUTPUT_BYTES): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text
  return `${Buffer.from(text, 'utf8').subarray(0, max).toString('utf8')}\n# ... cut at ${max} bytes\n`
}

export const sosRequest = (since: number | undefined): SosRequest => ({protocol: PROTOCOL_VERSION, ...(since === undefined ? {} : {since})})
