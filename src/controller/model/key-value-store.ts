// Key-value stores: named property maps that clients (CSI, gateways, HA tools) keep in the
// controller. As in LINSTOR's CtrlKvsApiCallHandler, a modify creates a missing instance and an
// instance whose last property is deleted disappears.
import type {KeyValueStore} from '../../api/wire.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {object} from '../../common/input.ts'
import {compareNames, nameKey, nameProblem} from '../../common/names.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import {modifyProps, type Props} from './props.ts'
import type {Change, ClusterState} from './state.ts'


export interface KvsRec {name: string, props: Props, uuid: string}

export const kvsView = (k: KvsRec): KeyValueStore => ({name: k.name, props: k.props})

export const kvsList = (state: ClusterState): KeyValueStore[] =>
  Object.values(state.kvs).sort((a, b) => compareNames(a.name, b.name)).map(kvsView)

/** GET /v1/key-value-store/{instance}: a list, matched case-insensitively; empty when unknown. */
export const kvsFind = (state: ClusterState, name: string): KeyValueStore[] =>
  Object.values(state.kvs).filter((k) => nameKey(k.name) === nameKey(name)).map(kvsView)

function checkName(name: string): void {
  const problem = nameProblem('key-value store', name)
  if (problem) throw new ApiFailure(Rc.FAIL_INVLD_KVS_NAME, {message: `The given keyValueStore name '${name}' is invalid.`, details: problem})
}

/** PUT /v1/key-value-store/{instance} (KeyValueStoreModify). */
export function modifyKvs(state: ClusterState, name: string, body: unknown, ids: Ids): {changes: Change[], kvs?: KvsRec} {
  checkName(name)
  const o = asApiFailure(() => object(body ?? {}, 'key-value store modify'))
  const old = state.kvs[nameKey(name)]
  // The store holds the clients' own data: no key is LINSTOR's to whitelist.
  const props = modifyProps(old?.props ?? {}, o, false)
  if (Object.keys(props).length === 0) return {changes: old ? [{t: 'kvs', k: nameKey(name)}] : []}
  const kvs: KvsRec = {name: old?.name ?? name, props, uuid: old?.uuid ?? ids.uuid()}
  return {changes: [{t: 'kvs', k: nameKey(name), v: kvs}], kvs}
}

/** DELETE /v1/key-value-store/{instance}; `deleted` is undefined when there was nothing to delete. */
export function deleteKvs(state: ClusterState, name: string): {changes: Change[], deleted?: KvsRec} {
  checkName(name)
  const old = state.kvs[nameKey(name)]
  return old ? {changes: [{t: 'kvs', k: nameKey(name)}], deleted: old} : {changes: []}
}
