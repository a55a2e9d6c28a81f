// Controller properties: one map, stored as ctrlProps['CTRL']. Keys in the Cairn/ namespace are
// Cairn's own bookkeeping (e.g. Cairn/CombinedBootstrap): clients never see, set or delete them.
// Replies follow LINSTOR's CtrlConfApiCallHandler: one entry per key set or deleted.
import {Rc, withContext, type OpKind, type RcText} from '../../common/api-call-rc.ts'
import {object} from '../../common/input.ts'
import {ApiFailure, asApiFailure} from './api-failure.ts'
import {modifyProps, readProps, type Props} from './props.ts'
import type {Change, ClusterState} from './state.ts'

export const CTRL = 'CTRL'
const INTERNAL_NS = 'Cairn'

const isInternal = (key: string): boolean => key.split('/')[0]?.toUpperCase() === INTERNAL_NS.toUpperCase()

/** Every controller property, internal ones included. */
export const ctrlPropsOf = (state: ClusterState): Props => state.ctrlProps[CTRL]?.props ?? {}

/** What GET /v1/controller/properties shows: everything but the Cairn/ namespace. */
export function visibleCtrlProps(state: ClusterState): Props {
  return Object.fromEntries(Object.entries(ctrlPropsOf(state)).filter(([k]) => !isInternal(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** One reply entry: the code without masks, the operation whose mask it gets, and its text. */
export interface PropNote {code: bigint, op: OpKind, text: RcText}

/** The cluster's identity: other clusters name it in their remotes, so it never changes. */
const CLUSTER_ID = 'Cluster/LocalID'

function refuseInternal(key: string, op: OpKind): void {
  if (key.toUpperCase() === CLUSTER_ID.toUpperCase() || (op === 'delete' && CLUSTER_ID.toUpperCase().startsWith(`${key.toUpperCase()}/`))) {
    throw new ApiFailure(Rc.FAIL_INVLD_PROP, {message: `The key '${CLUSTER_ID}' cannot be ${op === 'create' ? 'set' : 'deleted'}.`,
      cause: 'It is this cluster\'s id, made when the controller first started; other clusters name it in their remotes to accept shipments.'})
  }
  if (!isInternal(key)) return
  throw new ApiFailure(Rc.FAIL_INVLD_PROP, {message: `The key '${key}' is reserved for Cairn's internal use.`,
    cause: `Properties in the '${INTERNAL_NS}/' namespace are managed by Cairn itself and cannot be ${op === 'create' ? 'set' : 'deleted'}.`})
}

const rangeRe = /^(\d+)-(\d+)$/

/** Values the controller itself reads; LINSTOR's whitelist rules for them. */
const valueRules: Record<string, {rule: string, ok: (v: string) => boolean}> = {
  TcpPortAutoRange: {rule: 'a range like 7000-7999 within 1-65535', ok: (v) => isRange(v, 1, 65535)},
  MinorNrAutoRange: {rule: 'a range like 1000-49999 within 0-1048575', ok: (v) => isRange(v, 0, 1048575)},
  PeerSlotsNewResource: {rule: 'an integer in 1-31', ok: (v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 31},
}

function isRange(v: string, min: number, max: number): boolean {
  const m = rangeRe.exec(v)
  if (!m) return false
  const lo = Number(m[1])
  const hi = Number(m[2])
  return lo >= min && hi <= max && lo <= hi
}

function checkValue(key: string, value: string): void {
  const rule = valueRules[key]
  if (rule && !rule.ok(value)) {
    throw new ApiFailure(Rc.FAIL_INVLD_PROP, {message: `The value '${value}' is not valid.`, details: `'${key}' must be ${rule.rule}.`})
  }
}

const writeChanges = (props: Props): Change[] => [{t: 'ctrlProps', k: CTRL, v: {props}}]

/** Gives a failure the operation mask of the step that failed, as LINSTOR's per-key replies have. */
function inOp<T>(op: OpKind, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof ApiFailure) throw new ApiFailure(withContext(e.code, op), e.text)
    throw e
  }
}

const deletedNote = (k: string): PropNote => ({code: Rc.DELETED, op: 'delete', text: {message: `Successfully deleted property '${k}'`}})

/** POST /v1/controller/properties (ControllerPropsModify). `changes` is empty when nothing changes. */
export function modifyCtrlProps(state: ClusterState, body: unknown): {changes: Change[], notes: PropNote[]} {
  const o = asApiFailure(() => object(body ?? {}, 'controller properties'))
  const current = ctrlPropsOf(state)
  const set = inOp('create', () => {
    const props = readProps(o.override_props, 'override_props')
    for (const [k, v] of Object.entries(props)) {
      refuseInternal(k, 'create')
      checkValue(k, v)
    }
    return props
  })
  const afterSet = {...current, ...set}
  const {next, deleted} = inOp('delete', () => {
    const next = modifyProps(afterSet, {delete_props: o.delete_props, delete_namespaces: o.delete_namespaces})
    const keys = (o.delete_props ?? []) as string[]
    const namespaces = (o.delete_namespaces ?? []) as string[]
    for (const k of [...keys, ...namespaces]) refuseInternal(k, 'delete')
    const inNamespaces = namespaces.flatMap((ns) => Object.keys(afterSet).filter((k) => k.startsWith(ns.endsWith('/') ? ns : ns + '/')))
    return {next, deleted: [...keys, ...inNamespaces]}
  })
  const notes: PropNote[] = [
    ...Object.entries(set).map(([k, v]): PropNote => ({code: Rc.CREATED, op: 'create', text: {message: `Successfully set property '${k}' to value '${v}'`}})),
    ...deleted.map(deletedNote),
  ]
  return {changes: sameProps(current, next) ? [] : writeChanges(next), notes}
}

/** DELETE /v1/controller/properties/{key}. Deleting a key that is not set changes nothing. */
export function deleteCtrlProp(state: ClusterState, key: string): {changes: Change[], note: PropNote} {
  inOp('delete', () => {
    readProps({[key]: ''}, 'key', false)
    refuseInternal(key, 'delete')
  })
  const current = ctrlPropsOf(state)
  const note = deletedNote(key)
  if (!(key in current)) return {changes: [], note}
  const next = {...current}
  delete next[key]
  return {changes: writeChanges(next), note}
}

function sameProps(a: Props, b: Props): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && a[k] === b[k])
}
