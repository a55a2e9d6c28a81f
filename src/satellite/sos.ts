// The node's part of an `sos-report`: the host commands of protocol/sos.ts run in parallel (a
// missing tool gives a "not installed" file, a failing one its error: the report is made either
// way), a few files, the DRBD resource files Cairn wrote, the version and the settings. Every
// text is redacted here, before it leaves the node, and again on the controller.
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Settings} from '../common/config.ts'
import {redactedSettings, redactText} from '../common/redaction.ts'
import {PROTOCOL_VERSION} from '../protocol/messages.ts'
import {commandFile, HOST_FILES, hostCommands, journalCommand, notInstalled, SATELLITE_UNITS, SOS_PATH, truncate, type HostCommand,
  type SosFile, type SosReply, type SosRequest} from '../protocol/sos.ts'
import {buildInfo} from '../version.ts'
import {DEFAULT_DRBD_LAYOUT} from './drbd/drbdadm.ts'
import {ExecError, hasCommand, type Run} from './exec.ts'
import type {SatelliteRoutes} from './server.ts'

/** The host as the collection sees it; tests pass their own. */
export interface SosHost {
  run: Run
  hasCommand(cmd: string): Promise<boolean>
  /** The file's text, or undefined when it cannot be read. */
  readFile(path: string): Promise<string | undefined>
  /** The names in a directory; empty when it cannot be read. */
  listDir(dir: string): Promise<string[]>
}

export const realSosHost = (run: Run): SosHost => ({
  run, hasCommand,
  readFile: (p) => readFile(p, 'utf8').catch(() => undefined),
  listDir: (d) => readdir(d).catch(() => []),
})

async function runOne(host: SosHost, c: HostCommand): Promise<SosFile> {
  const [tool, ...args] = c.argv
  if (!(await host.hasCommand(tool))) return {name: c.file, content: notInstalled(tool)}
  try {
    const r = await host.run(tool, args, {input: '', timeoutMs: c.timeoutS * 1000})
    return {name: c.file, content: commandFile(c, r)}
  } catch (e) {
    // An ExecError's output says what went wrong; anything else (it could not start) says it in its message.
    const outcome = e instanceof ExecError ? e.result : {stdout: '', error: (e as Error).message}
    return {name: c.file, content: commandFile(c, outcome)}
  }
}

/** The command outputs and host files every part holds (the controller's too), unredacted. */
export async function collectHost(host: SosHost, commands: readonly HostCommand[]): Promise<SosFile[]> {
  const files = await Promise.all(HOST_FILES.map(async (f): Promise<SosFile | undefined> => {
    const text = await host.readFile(f.path)
    return text === undefined ? undefined : {name: f.file, content: truncate(text)}
  }))
  return [...await Promise.all(commands.map((c) => runOne(host, c))), ...files.filter((f) => f !== undefined)]
}

/** This process's version, as the report names it. */
export const versionFile = (role: string): SosFile => ({name: 'cairn-version.txt',
  content: `cairn ${buildInfo.version} (${role})\ngit ${buildInfo.git_hash}\nbuilt ${buildInfo.build_time}\nnode ${process.version}\nsatellite protocol ${PROTOCOL_VERSION}\n`})

export const settingsFile = (s: Settings): SosFile => ({name: 'settings.json', content: JSON.stringify(redactedSettings(s), null, 2) + '\n'})

/** The generated DRBD resource files, under res/. */
async function resFiles(host: SosHost, dir: string): Promise<SosFile[]> {
  const names = (await host.listDir(dir)).filter((n) => n.endsWith('.res')).sort()
  const files = await Promise.all(names.map(async (n) => ({name: `res/${n}`, content: await host.readFile(join(dir, n))})))
  return files.filter((f): f is SosFile => f.content !== undefined)
}

export interface SatelliteSosDeps {
  host: SosHost
  settings: Settings
  /** Secret values this node knows now (the cluster secret, a staged one): never sent, wherever they turn up. */
  secrets: () => readonly (string | undefined)[]
}

export async function satelliteSos(deps: SatelliteSosDeps, body: unknown): Promise<SosReply> {
  const since = (body as Partial<SosRequest> | null)?.since
  const from = typeof since === 'number' && Number.isFinite(since) ? since : undefined
  const files = [
    versionFile('satellite'), settingsFile(deps.settings),
    ...await collectHost(deps.host, [...hostCommands(from), journalCommand('journal-cairn.txt', SATELLITE_UNITS, from)]),
    ...await resFiles(deps.host, DEFAULT_DRBD_LAYOUT.resDir),
  ]
  const known = deps.secrets().filter((k) => k !== undefined)
  return {protocol: PROTOCOL_VERSION, files: files.map((f) => ({name: f.name, content: redactText(f.content, known)}))}
}

export const sosRoutes = (deps: SatelliteSosDeps): SatelliteRoutes => ({[SOS_PATH]: (body) => satelliteSos(deps, body)})
