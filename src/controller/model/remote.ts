// Remotes: where backups and shipped snapshots go. An S3 remote is a bucket with its keys; a
// LINSTOR remote is another cluster's controller. Checks, texts and ret codes follow LINSTOR's
// CtrlRemoteApiCallHandler. Secrets are sealed by the Sealer the caller passes in, so the
// records never hold them in the clear, and views never show them.
import type {LinstorRemote, RemoteList, S3Remote} from '../../api/wire.ts'
import {MASK_ERROR, Obj, Rc} from '../../common/api-call-rc.ts'
import {object, optBool, optString} from '../../common/input.ts'
import {compareNames, nameKey, nameProblem} from '../../common/names.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import type {Opener, SealedSecret, Sealer} from './remote-secret.ts'
import type {Change, ClusterState} from './state.ts'

// linstor-common's codes for remotes (consts.json).
export const RemoteRc = {
  FAIL_INVLD_BACKUP_CONFIG: MASK_ERROR | 238n,
  FAIL_INVLD_REMOTE_NAME: MASK_ERROR | 239n,
  FAIL_NOT_FOUND_REMOTE: MASK_ERROR | 321n,
  FAIL_EXISTS_REMOTE: MASK_ERROR | 527n,
} as const

export interface S3RemoteRec {
  kind: 's3'
  name: string
  uuid: string
  endpoint: string
  bucket: string
  region: string
  accessKey: SealedSecret
  secretKey: SealedSecret
  usePathStyle: boolean
}

export interface LinstorRemoteRec {
  kind: 'linstor'
  name: string
  uuid: string
  /** Normalised: scheme, host and port always present. */
  url: string
  clusterId?: string
  /** The other cluster's master passphrase (for LUKS volumes), when given. */
  passphrase?: SealedSecret
}

export type RemoteRec = S3RemoteRec | LinstorRemoteRec

/** Where a sealed field lives; part of the seal, so values cannot be swapped between fields or remotes. */
export const secretContext = (remote: string, field: 'access_key' | 'secret_key' | 'passphrase'): string => `remote/${nameKey(remote)}/${field}`

export const s3RemoteView = (r: S3RemoteRec): S3Remote =>
  ({remote_name: r.name, endpoint: r.endpoint, bucket: r.bucket, region: r.region, use_path_style: r.usePathStyle})

export const linstorRemoteView = (r: LinstorRemoteRec): LinstorRemote =>
  ({remote_name: r.name, url: r.url, ...(r.clusterId ? {cluster_id: r.clusterId} : {})})

const sorted = (state: ClusterState): RemoteRec[] => Object.values(state.remotes).sort((a, b) => compareNames(a.name, b.name))

/** GET /v1/remotes: every remote, or those named in `names` (upper-cased keys). */
export function remoteList(state: ClusterState, names?: Set<string>): RemoteList {
  const all = sorted(state).filter((r) => !names || names.has(nameKey(r.name)))
  return {
    s3_remotes: all.flatMap((r) => (r.kind === 's3' ? [s3RemoteView(r)] : [])),
    linstor_remotes: all.flatMap((r) => (r.kind === 'linstor' ? [linstorRemoteView(r)] : [])),
    ebs_remotes: [],
  }
}

export const findRemote = (state: ClusterState, name: string): RemoteRec | undefined => state.remotes[nameKey(name)]

/** The bucket and keys in the clear, for the S3 client. */
export function s3TargetOf(r: S3RemoteRec, open: Opener): {endpoint: string, bucket: string, region: string, accessKey: string, secretKey: string, usePathStyle: boolean} {
  return {endpoint: r.endpoint, bucket: r.bucket, region: r.region, usePathStyle: r.usePathStyle,
    accessKey: open(r.accessKey, secretContext(r.name, 'access_key')), secretKey: open(r.secretKey, secretContext(r.name, 'secret_key'))}
}

function checkName(name: string): void {
  // LINSTOR's RemoteName has the resource name rules.
  const problem = nameProblem('resource', name)
  if (problem) throw new ApiFailure(RemoteRc.FAIL_INVLD_REMOTE_NAME, {message: `The given remote name '${name}' is invalid.`, details: problem})
}

/** LINSTOR's "required parameters are missing" refusal, the names in Java's list format. */
function requireFields(fields: Record<string, string | undefined>): void {
  const missing = Object.entries(fields).filter(([, v]) => !v).map(([k]) => k)
  if (!missing.length) return
  throw new ApiFailure(RemoteRc.FAIL_INVLD_BACKUP_CONFIG | Obj.backup, {message: 'The remote could not be created because the following required ' +
    `${missing.length === 1 ? 'parameter is' : 'parameters are'} missing: [${missing.join(', ')}]`})
}

function checkAvailable(state: ClusterState, name: string): void {
  if (findRemote(state, name)) {
    throw new ApiFailure(RemoteRc.FAIL_EXISTS_REMOTE, {message: `A remote with the name '${name}' already exists. ` +
      'Please use a different name or try to modify the remote instead.'})
  }
}

function loadRemote<K extends RemoteRec['kind']>(state: ClusterState, name: string, kind: K): Extract<RemoteRec, {kind: K}> {
  checkName(name)
  const r = findRemote(state, name)
  if (!r) {
    throw new ApiFailure(RemoteRc.FAIL_NOT_FOUND_REMOTE, {message: `Remote '${name}' not registered.`,
      cause: `The specified remote '${name}' could not be found in the database`, correction: `Create a remote with the name '${name}' first.`})
  }
  if (r.kind !== kind) throw new ApiFailure(RemoteRc.FAIL_EXISTS_REMOTE, {message: `The remote with the name '${name}' is not a ${kind} remote.`})
  return r as Extract<RemoteRec, {kind: K}>
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function clusterIdOf(raw: string | undefined): string | undefined {
  if (!raw) return undefined
  if (!UUID_RE.test(raw)) throw new ApiFailure(Rc.FAIL_INVLD_CONF, {message: 'The given cluster id is not a valid UUID'})
  return raw.toLowerCase()
}

const LINSTOR_URL = /(https?:\/\/)?([^:]+)(:[0-9]+)?/

/** LINSTOR's createUrlWithDefaults: http unless said otherwise, port 3370 (3371 for https). */
export function linstorUrl(raw: string): string {
  const m = LINSTOR_URL.exec(raw)
  const host = m?.[2]?.replace(/\/+$/, '')
  if (!m || !host) throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: `Given URL '${raw}' did not match expected pattern of ${LINSTOR_URL.source}`})
  const scheme = m[1] ?? 'http://'
  return `${scheme}${host}${m[3] ?? (scheme === 'https://' ? ':3371' : ':3370')}`
}

const str = (o: Record<string, unknown>, field: string): string | undefined => optString(o[field], field) || undefined

/** The body's string fields (empty meaning not given, as LINSTOR reads them) and use_path_style. */
function readBody(body: unknown, fields: readonly string[]): {f: Record<string, string | undefined>, usePathStyle?: boolean} {
  const o = asApiFailure(() => object(body ?? {}, 'remote'))
  return asApiFailure(() => ({f: Object.fromEntries(fields.map((k) => [k, str(o, k)])), usePathStyle: optBool(o.use_path_style, 'use_path_style')}))
}

const S3_FIELDS = ['remote_name', 'endpoint', 'bucket', 'region', 'access_key', 'secret_key'] as const
const LINSTOR_FIELDS = ['remote_name', 'url', 'passphrase', 'cluster_id'] as const

/** POST /v1/remotes/s3 (S3Remote). */
export function createS3Remote(state: ClusterState, body: unknown, ids: Ids, seal: Sealer): {changes: Change[], remote: S3RemoteRec} {
  const {f: b, usePathStyle} = readBody(body, S3_FIELDS)
  requireFields(Object.fromEntries(S3_FIELDS.map((f) => [f, b[f]])))
  const name = b.remote_name as string
  checkName(name)
  checkAvailable(state, name)
  const remote: S3RemoteRec = {kind: 's3', name, uuid: ids.uuid(), endpoint: b.endpoint as string, bucket: b.bucket as string,
    region: b.region as string, usePathStyle: usePathStyle ?? false,
    accessKey: seal(b.access_key as string, secretContext(name, 'access_key')), secretKey: seal(b.secret_key as string, secretContext(name, 'secret_key'))}
  return {changes: [{t: 'remotes', k: nameKey(name), v: remote}], remote}
}

/** PUT /v1/remotes/s3/{remote}: fields left out (or empty) keep their values. */
export function modifyS3Remote(state: ClusterState, name: string, body: unknown, seal: Sealer): {changes: Change[], remote: S3RemoteRec} {
  const old = loadRemote(state, name, 's3')
  const {f: b, usePathStyle} = readBody(body, S3_FIELDS)
  const remote: S3RemoteRec = {...old, endpoint: b.endpoint ?? old.endpoint, bucket: b.bucket ?? old.bucket, region: b.region ?? old.region,
    usePathStyle: usePathStyle ?? old.usePathStyle,
    accessKey: b.access_key ? seal(b.access_key, secretContext(old.name, 'access_key')) : old.accessKey,
    secretKey: b.secret_key ? seal(b.secret_key, secretContext(old.name, 'secret_key')) : old.secretKey}
  return {changes: [{t: 'remotes', k: nameKey(old.name), v: remote}], remote}
}

/** POST /v1/remotes/linstor (LinstorRemote). Seals only when a passphrase is given. */
export function createLinstorRemote(state: ClusterState, body: unknown, ids: Ids, seal: Sealer): {changes: Change[], remote: LinstorRemoteRec} {
  const {f: b} = readBody(body, LINSTOR_FIELDS)
  requireFields({remote_name: b.remote_name, url: b.url})
  const name = b.remote_name as string
  checkName(name)
  checkAvailable(state, name)
  const clusterId = clusterIdOf(b.cluster_id)
  const remote: LinstorRemoteRec = {kind: 'linstor', name, uuid: ids.uuid(), url: linstorUrl(b.url as string),
    ...(clusterId ? {clusterId} : {}), ...(b.passphrase ? {passphrase: seal(b.passphrase, secretContext(name, 'passphrase'))} : {})}
  return {changes: [{t: 'remotes', k: nameKey(name), v: remote}], remote}
}

/** PUT /v1/remotes/linstor/{remote}. */
export function modifyLinstorRemote(state: ClusterState, name: string, body: unknown, seal: Sealer): {changes: Change[], remote: LinstorRemoteRec} {
  const old = loadRemote(state, name, 'linstor')
  const {f: b} = readBody(body, LINSTOR_FIELDS)
  const clusterId = clusterIdOf(b.cluster_id) ?? old.clusterId
  const passphrase = b.passphrase ? seal(b.passphrase, secretContext(old.name, 'passphrase')) : old.passphrase
  const remote: LinstorRemoteRec = {kind: 'linstor', name: old.name, uuid: old.uuid, url: b.url ? linstorUrl(b.url) : old.url,
    ...(clusterId ? {clusterId} : {}), ...(passphrase ? {passphrase} : {})}
  return {changes: [{t: 'remotes', k: nameKey(old.name), v: remote}], remote}
}

/**
 * DELETE /v1/remotes?remote_name=; `deleted` is undefined when there was nothing to delete. A
 * remote that a shipment still uses stays: its transfers would lose their target mid-stream.
 */
export function deleteRemote(state: ClusterState, name: string): {changes: Change[], deleted?: RemoteRec} {
  checkName(name)
  const old = findRemote(state, name)
  if (!old) return {changes: []}
  const busy = Object.values(state.shipments).filter((s) => (s.state === 'RUNNING' || s.state === 'FINISHING') && nameKey(s.remote) === nameKey(old.name))
  if (busy.length) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Remote '${old.name}' is in use by ${busy.length} running shipment(s).`,
      details: busy.map((s) => `${s.kind} of ${s.rsc} (snapshot ${s.snap})`).join('\n'), correction: 'Wait for them to finish or abort them with `backup abort`.'})
  }
  return {changes: [{t: 'remotes', k: nameKey(old.name)}], deleted: old}
}
