// `sos-report`, the pure part: which nodes a report covers (`nodes`, `rscs`, `exclude` as
// LINSTOR's /v1/sos-report takes them), the cluster state without its secret material, and the
// archive layout `sos_<YYYYMMDD_HHMMSS>/<node>/<file>` after a last redaction pass over every
// file for each secret value the controller knows.
import {Rc} from '../../common/api-call-rc.ts'
import {nameKey} from '../../common/names.ts'
import {redactDeep, redactText, secretValues} from '../../common/redaction.ts'
import {tarNameProblem, type TarFile} from '../../common/tar.ts'
import type {SosFile} from '../../protocol/sos.ts'
import {ApiFailure} from '../model/api-failure.ts'
import {hasSatellite, type NodeRec} from '../model/node.ts'
import {tableNames, type ClusterState} from '../model/state.ts'
import {rscsOfDfn} from '../model/state-index.ts'
import {toDump} from '../store/db-dump.ts'

/** The controller's own directory: '_' cannot begin a node name, so no node's directory can clash. */
export const CONTROLLER_DIR = '_controller'

/** Upper-cased names, as queryList gives them; undefined: not given. */
export interface SosFilter {nodes?: ReadonlySet<string>, rscs?: ReadonlySet<string>, exclude?: ReadonlySet<string>}

/**
 * The nodes with a satellite that the report covers, by name: those named in `nodes` plus those
 * holding a resource of `rscs` (all nodes when neither is given), less `exclude`. Naming a node or
 * resource that does not exist is refused, so that a typo does not silently shrink the report.
 */
export function sosNodes(state: ClusterState, f: SosFilter): NodeRec[] {
  const chosen = new Set<string>()
  for (const n of f.nodes ?? []) {
    if (!state.nodes[n]) throw new ApiFailure(Rc.FAIL_NOT_FOUND_NODE, {message: `Node '${n}' not found.`})
    chosen.add(n)
  }
  for (const r of f.rscs ?? []) {
    if (!state.rscDfns[r]) throw new ApiFailure(Rc.FAIL_NOT_FOUND_RSC_DFN, {message: `Resource definition '${r}' not found.`})
    for (const rsc of rscsOfDfn(state, r)) chosen.add(nameKey(rsc.node))
  }
  const all = f.nodes || f.rscs ? [...chosen] : Object.keys(state.nodes)
  return all.filter((k) => !f.exclude?.has(k)).map((k) => state.nodes[k]).filter((n): n is NodeRec => n !== undefined && hasSatellite(n.type))
    .sort((a, b) => a.name.localeCompare(b.name))
}

const two = (n: number): string => String(n).padStart(2, '0')

/** `sos_<YYYYMMDD_HHMMSS>` in UTC, as LINSTOR names its reports. */
export function reportName(now: number): string {
  const d = new Date(now)
  return `sos_${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}_${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`
}

/**
 * The database export (db-dump.ts) without secret material: token hashes, the wrapped master key
 * and its KDF inputs, sealed remote credentials, LUKS keys, DRBD shared secrets, secret-looking
 * properties. External files are base64 on the wire; their text is redacted inside.
 */
export function scrubbedDump(state: ClusterState, now: number, known: readonly string[]): Record<string, unknown> {
  const dump = toDump(state, new Date(now))
  const tables = Object.fromEntries(tableNames.map((t) => [t, Object.fromEntries(Object.entries(dump.tables[t] ?? {}).map(([k, rec]) => {
    const clean = redactDeep(rec) as Record<string, unknown>
    if (t === 'extFiles' && typeof clean.content === 'string') {
      clean.content = Buffer.from(redactText(Buffer.from(clean.content, 'base64').toString('utf8'), known), 'utf8').toString('base64')
    }
    return [k, clean]
  }))]))
  return {...dump, tables}
}

/** Every secret value in the state's records (by field name), to be searched for in all report text. */
export const stateSecrets = (state: ClusterState): string[] =>
  tableNames.flatMap((t) => Object.values(state[t] as Record<string, unknown>).flatMap((rec) => secretValues(rec)))

/** A node's files in the report, or a note saying why there are none. */
export interface NodePart {dir: string, files: readonly SosFile[]}

export const noteFile = (text: string): SosFile => ({name: 'sos-note.txt', content: text.endsWith('\n') ? text : `${text}\n`})

/**
 * The archive entries: `<report>/<dir>/<file>`, each text redacted once more. A file whose name
 * could lead out of its directory is left out and named in the node's note.
 */
export function reportEntries(report: string, parts: readonly NodePart[], known: readonly string[], mtime: number): TarFile[] {
  return parts.flatMap((p) => {
    const bad = p.files.filter((f) => tarNameProblem(f.name) !== undefined)
    const files = bad.length ? [...p.files.filter((f) => !bad.includes(f)), noteFile(`Left out, bad names: ${bad.map((f) => JSON.stringify(f.name)).join(', ')}`)] : p.files
    const seen = new Set<string>()
    return files.filter((f) => !seen.has(f.name) && (seen.add(f.name), true))
      .map((f) => ({name: `${report}/${p.dir}/${f.name}`, content: redactText(f.content, known), mode: 0o644, mtime}))
  })
}
