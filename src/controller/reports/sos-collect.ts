// `sos-report`, the imperative part: asks every chosen node for its part in parallel (an offline
// or silent node gets a note instead of failing the report), adds the controller's own part, and
// packs the redacted files as a .tar.gz.
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Settings} from '../../common/config.ts'
import type {Logger} from '../../common/log.ts'
import {tarGz} from '../../common/tar.ts'
import {CONTROLLER_UNITS, hostCommands, journalCommand, SOS_PATH, sosRequest, type SosFile, type SosReply} from '../../protocol/sos.ts'
import {collectHost, settingsFile, versionFile, type SosHost} from '../../satellite/sos.ts'
import type {SatelliteLink} from '../link/satellite-link.ts'
import type {NodeRec} from '../model/node.ts'
import type {Store} from '../store/store.ts'
import type {ReportBook} from './report-book.ts'
import {CONTROLLER_DIR, noteFile, reportEntries, reportName, scrubbedDump, sosNodes, stateSecrets, type NodePart, type SosFilter} from './sos-report.ts'

/** What the controller needs beyond the REST deps to make reports. */
export interface SosSetup {
  /** Where `GET /v1/sos-report` writes the archives (<data-dir>/sos: Cairn's logs go to journald). */
  dir: string
  settings: Settings
  /** Secrets held outside the state (the cluster secret, a staged one, the master passphrase). */
  secrets: () => Promise<readonly (string | undefined)[]>
  /** The controller host's commands and files. */
  host: SosHost
}

export interface SosOptions {filter: SosFilter, includeCtrl: boolean, since?: number}

export interface SosDeps {store: Store, link: SatelliteLink, reports: ReportBook, log: Logger, sos: SosSetup}

/**
 * A node gets this long to answer, whatever the link's socket timeout: its commands run in
 * parallel with their own 15 s limit, so only a hung satellite reaches it.
 */
const NODE_TIMEOUT_MS = 45_000

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms)
  })
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}

const isFile = (f: unknown): f is SosFile =>
  !!f && typeof f === 'object' && typeof (f as SosFile).name === 'string' && typeof (f as SosFile).content === 'string'

async function nodePart(d: SosDeps, node: NodeRec, since: number | undefined): Promise<NodePart> {
  const rt = d.link.runtime(node.name)
  const note = (why: string): NodePart => ({dir: node.name, files: [noteFile(`The part of node '${node.name}' is missing: ${why}`)]})
  if (rt.status !== 'ONLINE') return note(`the node is ${rt.status}${rt.lastError ? ` (${rt.lastError})` : ''}.`)
  try {
    const reply = await withTimeout(d.link.call(node.name, SOS_PATH, sosRequest(since)), NODE_TIMEOUT_MS, `Node '${node.name}'`) as SosReply
    if (reply.error) return note(reply.error)
    if (!Array.isArray(reply.files)) return note('the satellite sent no file list (is it an older Cairn?).')
    return {dir: node.name, files: reply.files.filter(isFile)}
  } catch (e) {
    d.log.warn('sos-report: a node part is missing', {node: node.name, error: (e as Error).message})
    return note(`${(e as Error).message}.`)
  }
}

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString())

async function controllerPart(d: SosDeps, since: number | undefined, known: readonly string[], now: number): Promise<NodePart> {
  const state = d.store.state
  const links = Object.values(state.nodes).map((n) => {
    const rt = d.link.runtime(n.name)
    return {name: n.name, type: n.type, status: rt.status, lastError: rt.lastError, lastContact: iso(rt.lastContact), lastFullSync: iso(rt.lastFullSync),
      satelliteVersion: rt.report?.version}
  })
  const errors = d.reports.list({since}).map((r): SosFile => ({name: `error-reports/${r.filename ?? 'unnamed.log'}`, content: r.text ?? JSON.stringify(r, null, 2)}))
  return {dir: CONTROLLER_DIR, files: [
    versionFile('controller'), settingsFile(d.sos.settings),
    {name: 'state.json', content: JSON.stringify(scrubbedDump(state, now, known), null, 1) + '\n'},
    {name: 'node-links.json', content: JSON.stringify(links, null, 2) + '\n'},
    ...errors,
    ...await collectHost(d.sos.host, [...hostCommands(since), journalCommand('journal-cairn.txt', CONTROLLER_UNITS, since)]),
  ]}
}

/** The report as an archive and its file name (`sos_<stamp>.tar.gz`). Throws ApiFailure for an unknown node or resource. */
export async function makeSosReport(d: SosDeps, opts: SosOptions, now = Date.now()): Promise<{filename: string, data: Buffer}> {
  const nodes = sosNodes(d.store.state, opts.filter)
  const known = [...(await d.sos.secrets()).filter((s): s is string => !!s), ...stateSecrets(d.store.state)]
  const parts = await Promise.all([
    ...nodes.map((n) => nodePart(d, n, opts.since)),
    ...(opts.includeCtrl ? [controllerPart(d, opts.since, known, now)] : []),
  ])
  const name = reportName(now)
  return {filename: `${name}.tar.gz`, data: tarGz(reportEntries(name, parts, known, now))}
}

/** Writes the report into the sos directory; answers its path. */
export async function writeSosReport(d: SosDeps, opts: SosOptions, now = Date.now()): Promise<string> {
  const {filename, data} = await makeSosReport(d, opts, now)
  await mkdir(d.sos.dir, {recursive: true, mode: 0o700})
  const path = join(d.sos.dir, filename)
  await writeFile(path, data, {mode: 0o600})
  return path
}
