// Gathers the facts `cairn gateway check-health` judges (check-health.ts) from this host: commands
// in PATH, systemd units (systemctl through execa), loaded kernel modules, resource agents,
// running processes, the external-file settings of Cairn's satellite, and drbd-reactor's status.
import {access, readdir, readFile, readlink, stat} from 'node:fs/promises'
import {constants} from 'node:fs'
import {hostname} from 'node:os'
import {delimiter, isAbsolute, join, resolve} from 'node:path'
import {resolveSettings, type Settings} from '../src/common/config.ts'
import {readConfigFile, DEFAULT_CONFIG} from '../src/daemon/config-file.ts'
import {daemonInvocation} from '../src/daemon/daemon-argv.ts'
import {parseAllowList} from '../src/satellite/ext-files.ts'
import {parseReactorStatus, type ReactorPromoterStatus} from './reactor-status.ts'
import {AGENT_DIR, HEALTH_PROBES, parseIptablesVersion, portblockMatchesNamesOnly, type HostFacts, type PortblockFacts, type SatelliteFileSettings,
  type UnitState} from './check-health.ts'

type Env = Readonly<Record<string, string | undefined>>

// Root's tools live in sbin, which a user's PATH often lacks; drbd-reactor runs them as root.
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin']
const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system']

const isExecutableFile = async (p: string): Promise<boolean> =>
  (await stat(p).then((s) => s.isFile(), () => false)) && (await access(p, constants.X_OK).then(() => true, () => false))

async function inPath(cmd: string, env: Env): Promise<boolean> {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN]
  for (const d of dirs) if (await isExecutableFile(join(d, cmd))) return true
  return false
}

async function systemctl(args: string[]): Promise<{out: string, error: string}> {
  const {execa} = await import('execa')
  const r = await execa('systemctl', args, {reject: false, timeout: 10_000, env: {LC_ALL: 'C'}})
  const out = String(r.stdout ?? '').trim()
  const error = String(r.stderr ?? '').trim().split('\n').at(-1) || (r.failed && !out ? r.shortMessage ?? 'systemctl failed' : '')
  return {out, error}
}

async function unitState(unit: string): Promise<UnitState> {
  const [active, enabled, load] = await Promise.all([
    systemctl(['is-active', unit]), systemctl(['is-enabled', unit]), systemctl(['show', '--property=LoadState', '--value', unit])])
  const fileExists = (await Promise.all(UNIT_DIRS.map((d) => stat(join(d, unit)).then(() => true, () => false)))).some(Boolean)
  const state: UnitState = {active: active.out, enabled: enabled.out, load: load.out, fileExists}
  const error = active.out ? '' : active.error
  if (error) state.error = error
  return state
}

/** Loaded modules from /proc/modules, and built-in ones from /sys/module; undefined if neither is there. */
async function loadedModules(names: readonly string[]): Promise<Record<string, boolean> | undefined> {
  const proc = await readFile('/proc/modules', 'utf8').then((t) => new Set(t.split('\n').map((l) => l.split(' ')[0])), () => undefined)
  const sys = await stat('/sys/module').then((s) => s.isDirectory(), () => false)
  if (!proc && !sys) return undefined
  const out: Record<string, boolean> = {}
  for (const n of names) out[n] = proc?.has(n) === true || (sys && await stat(`/sys/module/${n}`).then(() => true, () => false))
  return out
}

async function pids(): Promise<string[]> {
  return (await readdir('/proc').catch(() => [] as string[])).filter((p) => /^\d+$/.test(p))
}

async function runningProcesses(names: readonly string[]): Promise<Record<string, boolean>> {
  const comms = new Set<string>()
  for (const pid of await pids()) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')
    if (comm) comms.add(comm.trim())
  }
  return Object.fromEntries(names.map((n) => [n, comms.has(n)]))
}

const nulSplit = (buf: Buffer): string[] => buf.toString('utf8').split('\0').filter((s, i, all) => s !== '' || i < all.length - 1)

/** The external-file settings as the daemon resolves them: flags, environment, cairn.toml, defaults. */
async function fileSettings(flags: Partial<Record<keyof Settings, string>>, env: Env, config: string | undefined):
  Promise<Pick<SatelliteFileSettings, 'allowed' | 'root' | 'error'>> {
  try {
    const file = await readConfigFile(config)
    const {settings} = resolveSettings(flags, env, file, {hostname: hostname()})
    return {allowed: parseAllowList(settings['allow-ext-files']), root: settings['ext-files-root']}
  } catch (e) {
    return {allowed: [], root: '/', error: (e as Error).message}
  }
}

/**
 * The settings of every running satellite (or combined daemon), read from its command line and
 * environment; when none runs, those a satellite started now would get.
 */
async function satelliteSettings(env: Env): Promise<SatelliteFileSettings[]> {
  const out: SatelliteFileSettings[] = []
  for (const pid of await pids()) {
    const argv = await readFile(`/proc/${pid}/cmdline`).then(nulSplit, () => [] as string[])
    // `cairn satellite …` from the binary, or `node …/bin/cairn.js satellite …` from the sources.
    const at = argv.findIndex((a, i) => i <= 1 && /(^|\/)cairn(\.js)?$/.test(a))
    const daemon = at < 0 ? undefined : daemonInvocation(argv.slice(at + 1))
    if (!daemon || daemon.mode === 'controller') continue
    const environ = await readFile(`/proc/${pid}/environ`).then(nulSplit, () => undefined)
    const theirEnv: Env = environ ? Object.fromEntries(environ.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])) : env
    let config = daemon.config ?? theirEnv.CAIRN_CONFIG
    if (config && !isAbsolute(config)) config = resolve(await readlink(`/proc/${pid}/cwd`).catch(() => '/'), config)
    out.push({source: `pid ${pid}, cairn ${daemon.mode}${environ ? '' : '; its environment is unreadable, ours is used'}`,
      ...await fileSettings(daemon.flags, theirEnv, config)})
  }
  if (out.length) return out
  const config = env.CAIRN_CONFIG
  return [{source: `${config ?? DEFAULT_CONFIG} and the environment; no satellite is running`, ...await fileSettings({}, env, config)}]
}

/** iptables' version and the portblock agent's rule match; undefined without the agent. */
async function portblockFacts(env: Env): Promise<PortblockFacts | undefined> {
  const text = await readFile(join(AGENT_DIR, 'portblock'), 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  const facts: PortblockFacts = {numericProtocol: !portblockMatchesNamesOnly(text)}
  if (await inPath('iptables', env)) {
    const {execa} = await import('execa')
    const r = await execa('iptables', ['-V'], {reject: false, timeout: 10_000, env: {LC_ALL: 'C', PATH: [env.PATH ?? '', ...SBIN].join(delimiter)}})
    const version = parseIptablesVersion(String(r.stdout ?? ''))
    if (version) facts.iptables = version
  }
  return facts
}

export async function probeHost(env: Env = process.env): Promise<HostFacts> {
  const p = HEALTH_PROBES
  const [binaries, units, modules, agentDir, agents, processes, satellites, portblock] = await Promise.all([
    Promise.all(p.binaries.map(async (b) => [b, await inPath(b, env)] as const)).then(Object.fromEntries),
    Promise.all(p.units.map(async (u) => [u, await unitState(u)] as const)).then(Object.fromEntries),
    loadedModules(p.modules),
    stat(AGENT_DIR).then((s) => s.isDirectory(), () => false),
    Promise.all(p.agents.map(async (a) => [a, await isExecutableFile(join(AGENT_DIR, a))] as const)).then(Object.fromEntries),
    runningProcesses(p.processes),
    satelliteSettings(env),
    portblockFacts(env),
  ])
  const facts: HostFacts = {binaries, units, agentDir, agents, processes, satellites}
  if (modules) facts.modules = modules
  if (portblock) facts.portblock = portblock
  return facts
}

/**
 * drbd-reactor's own view of its promoters, or undefined where drbd-reactor is not installed (or
 * does not answer): then `gateway list/show` show LINSTOR's view alone.
 */
export async function reactorStatus(env: Env = process.env): Promise<Map<string, ReactorPromoterStatus> | undefined> {
  if (!(await inPath('drbd-reactorctl', env))) return undefined
  const {execa} = await import('execa')
  const r = await execa('drbd-reactorctl', ['status', '--json'], {reject: false, timeout: 10_000, env: {LC_ALL: 'C'}})
  if (r.failed) return undefined
  try {
    return parseReactorStatus(String(r.stdout))
  } catch {
    return undefined
  }
}
