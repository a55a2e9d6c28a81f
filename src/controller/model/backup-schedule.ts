// A schedule-remote pair enabled or disabled on the controller, a resource group or a resource
// definition. As LINSTOR (CtrlScheduledBackupsApiCallHandler) stores them: properties under
// Schedule/<remote>/<schedule>/ on that object (Enabled, PrefNode, RenameStorpoolMap/<pool>,
// ForceRestore, TargetResourceGroup, ForceResourceGroup, TargetResourceName), and the value that
// counts is the resource definition's, else its group's, else the controller's. Pure.
import type {BackupSchedule, ScheduleDetails, ScheduleDetailsList} from '../../api/wire.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {object, optBool, optString} from '../../common/input.ts'
import {nameKey} from '../../common/names.ts'
import {ApiFailure, asApiFailure} from './api-failure.ts'
import {CTRL, ctrlPropsOf} from './controller-props.ts'
import {readProps, type Props} from './props.ts'
import {RemoteRc, findRemote, type RemoteRec} from './remote.ts'
import {findRscDfn, type RscDfnRec} from './resource-definition.ts'
import {findRscGrp, type RscGrpRec} from './resource-group.ts'
import {isDiskless} from './resource.ts'
import {checkScheduleName, findSchedule, loadSchedule, type ScheduleRec} from './schedule.ts'
import {rscsOfDfn} from './state-index.ts'
import type {Change, ClusterState} from './state.ts'

export const NAMESPC_SCHEDULE = 'Schedule'
export const KEY_ENABLED = 'Enabled'
export const KEY_PREF_NODE = 'PrefNode'
const KEY_RENAME_STORPOOL_MAP = 'RenameStorpoolMap'
const KEY_FORCE_RESTORE = 'ForceRestore'
const KEY_DST_RSC_GRP = 'TargetResourceGroup'
const KEY_DST_RSC_GRP_FORCE = 'ForceResourceGroup'
const KEY_DST_RSC_NAME = 'TargetResourceName'
/** dst_stor_pool is the rename of every pool not named otherwise. */
const RENAME_ALL = '*'

/** Where a pair's properties live on an object: Schedule/<remote>/<schedule>/. */
export const pairNamespace = (remote: string, schedule: string): string => `${NAMESPC_SCHEDULE}/${remote}/${schedule}/`

/** The object a pair is set on. */
type Level = {kind: 'rd', rd: RscDfnRec} | {kind: 'rg', rg: RscGrpRec} | {kind: 'ctrl'}

function levelOf(state: ClusterState, rd: string | undefined, rg: string | undefined): Level {
  if (rd) return {kind: 'rd', rd: findRscDfn(state, rd)}
  if (rg) return {kind: 'rg', rg: findRscGrp(state, rg)}
  return {kind: 'ctrl'}
}

const propsAt = (state: ClusterState, l: Level): Props => (l.kind === 'rd' ? l.rd.props : l.kind === 'rg' ? l.rg.props : ctrlPropsOf(state))

function written(l: Level, props: Props): Change {
  if (l.kind === 'rd') return {t: 'rscDfns', k: nameKey(l.rd.name), v: {...l.rd, props}}
  if (l.kind === 'rg') return {t: 'rscGrps', k: nameKey(l.rg.name), v: {...l.rg, props}}
  return {t: 'ctrlProps', k: CTRL, v: {props}}
}

/** " for resource definition 'x'", " for resource group 'x'" or " on controller", as LINSTOR's replies say it. */
const levelText = (l: Level, rd?: string, rg?: string): string =>
  l.kind === 'rd' ? ` for resource definition '${rd}'` : l.kind === 'rg' ? ` for resource group '${rg}'` : ' on controller'

function requireRemote(state: ClusterState, name: string): RemoteRec {
  const r = findRemote(state, name)
  if (!r) {
    throw new ApiFailure(RemoteRc.FAIL_NOT_FOUND_REMOTE, {message: `Remote '${name}' not registered.`,
      cause: `The specified remote '${name}' could not be found in the database`, correction: `Create a remote with the name '${name}' first.`})
  }
  return r
}

interface PairBody {rsc?: string, grp?: string, node?: string, rename: Props, forceRestore: boolean, dstRscGrp?: string, dstRscName?: string, forceMvRscGrp: boolean}

function readPairBody(body: unknown): PairBody {
  return asApiFailure(() => {
    const o = object(body ?? {}, 'backup schedule') as Record<keyof BackupSchedule, unknown>
    const str = (f: keyof BackupSchedule): string | undefined => optString(o[f], f) || undefined
    const rename = readProps(o.stor_pool_rename, 'stor_pool_rename')
    const dstPool = str('dst_stor_pool')
    return {rsc: str('rsc_name'), grp: str('grp_name'), node: str('node_name'), rename: dstPool ? {...rename, [RENAME_ALL]: dstPool} : rename,
      forceRestore: optBool(o.force_restore, 'force_restore') ?? false, dstRscGrp: str('dst_rsc_grp'), dstRscName: str('dst_rsc_name'),
      forceMvRscGrp: optBool(o.force_mv_rsc_grp, 'force_mv_rsc_grp') ?? false}
  })
}

export interface PairReply {code: bigint, message: string}

/**
 * PUT /v1/remotes/{remote}/backups/schedule/{schedule}/enable|disable (BackupSchedule): sets
 * Enabled on the resource definition (rsc_name), the group (grp_name) or the controller. Only an
 * enable stores the shipping settings; values not given keep what is set.
 */
export function setBackupSchedule(state: ClusterState, remoteName: string, scheduleName: string, body: unknown, enable: boolean):
  {changes: Change[], replies: PairReply[]} {
  const remote = requireRemote(state, remoteName)
  const schedule = loadSchedule(state, scheduleName)
  const b = readPairBody(body)
  const level = levelOf(state, b.rsc, b.grp)
  const ns = pairNamespace(remote.name, schedule.name)
  const props: Props = {...propsAt(state, level), [ns + KEY_ENABLED]: String(enable)}
  const replies: PairReply[] = []
  if (b.node) props[ns + KEY_PREF_NODE] = b.node
  if (enable) {
    for (const [from, to] of Object.entries(b.rename)) props[`${ns}${KEY_RENAME_STORPOOL_MAP}/${from}`] = to
    if (b.forceRestore) props[ns + KEY_FORCE_RESTORE] = 'true'
    if (b.dstRscGrp) props[ns + KEY_DST_RSC_GRP] = b.dstRscGrp
    if (b.dstRscGrp && b.forceMvRscGrp) props[ns + KEY_DST_RSC_GRP_FORCE] = 'true'
    if (b.dstRscName && level.kind === 'rd') props[ns + KEY_DST_RSC_NAME] = b.dstRscName
    else if (b.dstRscName) {
      replies.push({code: Rc.WARN_INVLD_CONF, message: 'target resource definition is only usable in combination with --rd, but not ' +
        `${level.kind === 'rg' ? '--rg' : 'on controller level'}. Ignoring target resource definition parameter!`})
    }
  }
  replies.push({code: Rc.MODIFIED, message: `Backup shipping schedule '${scheduleName}' successfully ${enable ? 'enabled' : 'disabled'}` +
    `${levelText(level, b.rsc, b.grp)} to remote '${remoteName}'.`})
  return {changes: [written(level, props)], replies}
}

/** DELETE /v1/remotes/{remote}/backups/schedule/{schedule}/delete: removes the pair's settings from that one object. */
export function deleteBackupSchedule(state: ClusterState, remoteName: string, scheduleName: string, rd: string | undefined, rg: string | undefined):
  {changes: Change[], message: string} {
  const remote = requireRemote(state, remoteName)
  const schedule = loadSchedule(state, scheduleName)
  const level = levelOf(state, rd, rg)
  const ns = pairNamespace(remote.name, schedule.name)
  const props = Object.fromEntries(Object.entries(propsAt(state, level)).filter(([k]) => !k.startsWith(ns)))
  return {changes: [written(level, props)],
    message: `Backup shipping schedule '${scheduleName}' successfully deleted${levelText(level, rd, rg)} to remote '${remoteName}'.`}
}

/** A key Schedule/<remote>/<schedule>/<key> split up; undefined for any other key. */
function pairKey(key: string): {remote: string, schedule: string, key: string} | undefined {
  const parts = key.split('/')
  if (parts.length < 4 || parts[0] !== NAMESPC_SCHEDULE) return undefined
  return {remote: parts[1] as string, schedule: parts[2] as string, key: parts.slice(3).join('/')}
}

/**
 * DELETE /v1/schedules/{name}: the schedule and every pair that names it, on every object.
 * `deleted` is undefined when there was no such schedule.
 */
export function deleteSchedule(state: ClusterState, name: string): {changes: Change[], deleted?: ScheduleRec} {
  checkScheduleName(name)
  const s = findSchedule(state, name)
  if (!s) return {changes: []}
  const keep = (props: Props): Props => Object.fromEntries(Object.entries(props).filter(([k]) => nameKey(pairKey(k)?.schedule ?? '') !== nameKey(s.name)))
  const levels: Level[] = [{kind: 'ctrl'}, ...Object.values(state.rscGrps).map((rg): Level => ({kind: 'rg', rg})),
    ...Object.values(state.rscDfns).map((rd): Level => ({kind: 'rd', rd}))]
  const changes = levels.flatMap((l) => {
    const before = propsAt(state, l)
    const after = keep(before)
    return Object.keys(after).length === Object.keys(before).length ? [] : [written(l, after)]
  })
  return {changes: [...changes, {t: 'schedules', k: nameKey(s.name)}], deleted: s}
}

type Where = 'rsc_dfn' | 'rsc_grp' | 'ctrl'

/** Every Schedule/ property that applies to the resource definition, with the level it comes from (the first one wins). */
function scheduleLayers(state: ClusterState, rd: RscDfnRec): [Where, Props][] {
  const rg = state.rscGrps[nameKey(rd.rscGrp)]
  return [['rsc_dfn', rd.props], ['rsc_grp', rg?.props ?? {}], ['ctrl', ctrlPropsOf(state)]]
}

/** The pair's setting that counts for `rd`: its own, else its group's, else the controller's. */
function effective(state: ClusterState, rd: RscDfnRec, key: string): string | undefined {
  for (const [, props] of scheduleLayers(state, rd)) if (key in props) return props[key]
  return undefined
}

export interface Pair {remote: string, schedule: string, enabled: string}

/** The pairs that have an Enabled value for `rd` at any level, with the value that counts; ordered by key. */
export function pairsOf(state: ClusterState, rd: RscDfnRec): Pair[] {
  const keys = new Set(scheduleLayers(state, rd).flatMap(([, p]) => Object.keys(p)).filter((k) => pairKey(k)?.key === KEY_ENABLED))
  return [...keys].sort().map((k) => {
    const p = pairKey(k) as {remote: string, schedule: string}
    return {remote: p.remote, schedule: p.schedule, enabled: effective(state, rd, k) as string}
  })
}

/** LINSTOR ships a resource definition that has a diskful resource not being deleted. */
export const isDeployed = (state: ClusterState, rd: string): boolean =>
  rscsOfDfn(state, rd).some((r) => !isDiskless(r) && !r.flags.includes('DELETE'))

/** One resource definition shipped to one remote by one schedule: what the runner runs. */
export interface Shipping {rsc: string, remote: string, schedule: string, prefNode?: string}

/** Every pair in force: enabled where it counts, remote and schedule existing, the resource deployed. */
export function activeShippings(state: ClusterState): Shipping[] {
  // Polled while the state changes: without a schedule nothing is in force, and no definition need be looked at.
  if (!Object.keys(state.schedules).length) return []
  return Object.values(state.rscDfns).filter((rd) => !rd.flags.includes('DELETE') && isDeployed(state, rd.name)).flatMap((rd) =>
    pairsOf(state, rd).flatMap((p): Shipping[] => {
      const remote = findRemote(state, p.remote)
      const schedule = findSchedule(state, p.schedule)
      if (p.enabled !== 'true' || !remote || !schedule) return []
      const prefNode = effective(state, rd, pairNamespace(p.remote, p.schedule) + KEY_PREF_NODE)
      return [{rsc: rd.name, remote: remote.name, schedule: schedule.name, ...(prefNode ? {prefNode} : {})}]
    }))
}

const boolOf = (v: string | undefined): boolean | undefined => (v === 'true' ? true : v === 'false' ? false : undefined)

/** GET /v1/view/schedules-by-resource/{rsc}: per pair, Enabled on the definition, its group and the controller. */
export function scheduleDetails(state: ClusterState, rdName: string): ScheduleDetailsList {
  const rd = findRscDfn(state, rdName)
  const layers = scheduleLayers(state, rd)
  return {data: pairsOf(state, rd).map((p): ScheduleDetails => {
    const key = pairNamespace(p.remote, p.schedule) + KEY_ENABLED
    const at = Object.fromEntries(layers.map(([w, props]) => [w, boolOf(props[key])])) as Record<Where, boolean | undefined>
    return {remote_name: p.remote, schedule_name: p.schedule, ...at}
  })}
}
