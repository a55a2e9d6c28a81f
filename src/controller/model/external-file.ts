// External files (LINSTOR's /v1/files): files the controller keeps and satellites write into the
// host's file system wherever a resource definition that requires them is deployed — drbd-reactor
// promoter configs, systemd drop-ins. A definition requires a file through its property
// `files<path>` = True, as in LINSTOR, so the attachment is visible in `rd list-properties`. Pure.
import type {ExternalFile} from '../../api/wire.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {object, optString, optStringList} from '../../common/input.ts'
import {nameKey} from '../../common/names.ts'
import type {DesiredExtFile, ExtFileReport, SatelliteReport} from '../../protocol/messages.ts'
import {extFilePathProblem, filesProp, FILES_PROP_PREFIX, isFileDeployed} from '../../protocol/ext-file-path.ts'
import {ApiFailure, asApiFailure} from './api-failure.ts'
import {findRscDfn} from './resource-definition.ts'
import type {Change, ClusterState} from './state.ts'
import {rscsOnNode} from './state-index.ts'

export interface ExtFileRec {
  path: string
  /** Base64, as on the wire. */
  content: string
  altSuffixes?: string[]
  /** Deleted: kept until the satellites report the file gone from their hosts. */
  deleting?: boolean
}

/** Linux paths are case-sensitive while table keys are upper case: the key is the path in hex. */
export const extFileKey = (path: string): string => Buffer.from(path, 'utf8').toString('hex').toUpperCase()

/** Largest file accepted: promoter configs and unit files are a few KiB. */
export const MAX_EXT_FILE_BYTES = 1024 * 1024

function checkPath(path: string): void {
  const problem = extFilePathProblem(path)
  if (problem) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `Invalid external file name '${path}': ${problem}.`})
}

export function findExtFile(state: ClusterState, path: string): ExtFileRec {
  const f = state.extFiles[extFileKey(path)]
  if (!f || f.deleting) throw new ApiFailure(Rc.FAIL_NOT_FOUND_EXT_FILE, {message: `External file '${path}' not found.`})
  return f
}

export const extFileView = (f: ExtFileRec, withContent: boolean): ExternalFile =>
  ({path: f.path, ...(withContent ? {content: f.content} : {}), ...(f.altSuffixes?.length ? {alt_suffixes: f.altSuffixes} : {})})

export const extFileList = (state: ClusterState, withContent: boolean): ExternalFile[] =>
  Object.values(state.extFiles).filter((f) => !f.deleting).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => extFileView(f, withContent))

/** PUT /v1/files/{path}: registers or replaces a file. The body's path, when given, must agree. */
export function putExtFile(state: ClusterState, path: string, body: unknown): {changes: Change[], created: boolean} {
  return asApiFailure(() => {
    checkPath(path)
    const o = object(body, 'external file')
    const bodyPath = optString(o.path, 'path', 4096)
    if (bodyPath !== undefined && bodyPath !== path) {
      throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `The body's path '${bodyPath}' differs from the path in the URL '${path}'.`})
    }
    const content = optString(o.content, 'content', Math.ceil(MAX_EXT_FILE_BYTES / 3) * 4 + 4) ?? ''
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 !== 0) {
      throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `The content of external file '${path}' is not valid base64.`})
    }
    const altSuffixes = optStringList(o.alt_suffixes, 'alt_suffixes') ?? []
    for (const s of altSuffixes) {
      if (!/^[A-Za-z0-9_\-.]{1,32}$/.test(s)) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `Invalid alternative suffix '${s}' for '${path}'.`})
    }
    const old = state.extFiles[extFileKey(path)]
    const rec: ExtFileRec = {path, content, ...(altSuffixes.length ? {altSuffixes} : {})}
    return {changes: [{t: 'extFiles', k: extFileKey(path), v: rec}], created: !old || old.deleting === true}
  })
}

/** DELETE /v1/files/{path}: detached from every definition; the record stays until the hosts dropped it. */
export function deleteExtFile(state: ClusterState, path: string): Change[] {
  const f = findExtFile(state, path)
  const changes: Change[] = [{t: 'extFiles', k: extFileKey(path), v: {...f, deleting: true}}]
  for (const [k, rd] of Object.entries(state.rscDfns)) {
    if (!(filesProp(path) in rd.props)) continue
    const props = {...rd.props}
    delete props[filesProp(path)]
    changes.push({t: 'rscDfns', k, v: {...rd, props}})
  }
  return changes
}

/** POST/DELETE /v1/resource-definitions/{rd}/files/{path}. Undefined when nothing changes. */
export function setExtFileDeployed(state: ClusterState, rdName: string, path: string, deployed: boolean): Change[] | undefined {
  const rd = findRscDfn(state, rdName)
  if (deployed) findExtFile(state, path)
  else checkPath(path)
  if (isFileDeployed(rd.props, path) === deployed) return undefined
  const props = {...rd.props}
  if (deployed) props[filesProp(path)] = 'True'
  else delete props[filesProp(path)]
  return [{t: 'rscDfns', k: nameKey(rd.name), v: {...rd, props}}]
}

/**
 * What `node` should have: every file required by a definition deployed there (and not being
 * deleted), and every other known file as absent, so that the host drops it.
 */
export function desiredExtFilesFor(state: ClusterState, node: string): DesiredExtFile[] {
  const files = Object.values(state.extFiles)
  if (!files.length) return []
  const wanted = new Set<string>()
  for (const r of rscsOnNode(state, node)) {
    if (r.flags.includes('DELETE')) continue
    const rd = state.rscDfns[nameKey(r.rscDfn)]
    for (const [k, v] of Object.entries(rd?.props ?? {})) {
      if (v === 'True' && k.startsWith(`${FILES_PROP_PREFIX}/`)) wanted.add(k.slice(FILES_PROP_PREFIX.length))
    }
  }
  return files.map((f) => {
    const present = !f.deleting && wanted.has(f.path)
    return {path: f.path, present, ...(present ? {content: f.content} : {}), ...(f.altSuffixes ? {altSuffixes: f.altSuffixes} : {})}
  })
}

/**
 * Deleted files go once no node's latest report still shows them. A node that is away keeps its
 * last report, so the record waits for it to come back (or to be removed from the cluster).
 */
export function completeExtFileDeletions(state: ClusterState, reportOf: (node: string) => SatelliteReport | undefined): Change[] {
  const deleting = Object.entries(state.extFiles).filter(([, f]) => f.deleting)
  if (!deleting.length) return []
  const reports = Object.values(state.nodes).map((n) => reportOf(n.name))
  return deleting
    .filter(([, f]) => !reports.some((r) => {
      const state = extFileReportOf(r, f.path)?.state
      return state === 'Present' || state === 'Failed'
    }))
    .map(([k]): Change => ({t: 'extFiles', k}))
}

export const extFileReportOf = (report: SatelliteReport | undefined, path: string): ExtFileReport | undefined =>
  report?.files?.find((x) => x.path === path)

/** A path taken from a URL, checked like a registered one. */
export function readExtFileName(raw: unknown): string {
  const path = typeof raw === 'string' ? raw : ''
  checkPath(path)
  return path
}
