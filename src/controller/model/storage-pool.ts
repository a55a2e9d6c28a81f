// Storage pool definitions (the cluster-wide name) and storage pools (one per node).
import {Rc} from '../../common/api-call-rc.ts'
import {object, optBool, optEnum, optString} from '../../common/input.ts'
import {nameKey, nameProblem} from '../../common/names.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import {modifyProps, readProps, type Props} from './props.ts'
import {type Change, type ClusterState, key2} from './state.ts'
import {rscsOnNode} from './state-index.ts'

export const providerKinds = ['DISKLESS', 'LVM', 'LVM_THIN', 'ZFS', 'ZFS_THIN', 'FILE', 'FILE_THIN'] as const
export type ProviderKind = typeof providerKinds[number]

export const DISKLESS_POOL = 'DfltDisklessStorPool'

export interface StorPoolDfnRec {name: string, props: Props, uuid: string}
export interface StorPoolRec {
  node: string
  name: string
  kind: ProviderKind
  props: Props
  sharedSpace?: string
  externalLocking: boolean
  uuid: string
}

export const isThin = (k: ProviderKind): boolean => k === 'LVM_THIN' || k === 'ZFS_THIN' || k === 'FILE_THIN'

/** The property that names the backing pool (VG, VG/thinpool, zpool, directory) for a kind. */
export function driverPoolKeys(kind: ProviderKind): string[] {
  switch (kind) {
    case 'LVM': return ['StorDriver/LvmVg']
    case 'LVM_THIN': return ['StorDriver/LvmVg', 'StorDriver/ThinPool']
    case 'ZFS': return ['StorDriver/ZPool']
    case 'ZFS_THIN': return ['StorDriver/ZPoolThin']
    case 'FILE': case 'FILE_THIN': return ['StorDriver/FileDir']
    case 'DISKLESS': return []
  }
}

/** "vg/thinpool", "tank", "/var/lib/cairn/pools/default": the PoolName column of `sp list`. */
export function driverPoolName(sp: StorPoolRec): string {
  return driverPoolKeys(sp.kind).map((k) => sp.props[k]).filter(Boolean).join('/')
}

/**
 * Clients send the generic `StorDriver/StorPoolName`; it is stored under the kind's own keys
 * (LVM_THIN's "vg/pool" splits into LvmVg and ThinPool).
 */
function normaliseDriverProps(kind: ProviderKind, props: Props): Props {
  const generic = props['StorDriver/StorPoolName']
  if (generic === undefined) return props
  const out = {...props}
  delete out['StorDriver/StorPoolName']
  const keys = driverPoolKeys(kind)
  if (kind === 'LVM_THIN') {
    const [vg, pool] = generic.split('/')
    out['StorDriver/LvmVg'] = vg ?? ''
    if (pool) out['StorDriver/ThinPool'] = pool
  } else if (keys[0]) out[keys[0]] = generic
  return out
}

function dfnChanges(state: ClusterState, name: string, ids: Ids): Change[] {
  if (state.storPoolDfns[nameKey(name)]) return []
  const dfn: StorPoolDfnRec = {name, props: {}, uuid: ids.uuid()}
  return [{t: 'storPoolDfns', k: nameKey(name), v: dfn}]
}

export function disklessPoolChanges(state: ClusterState, node: string, ids: Ids): Change[] {
  const sp: StorPoolRec = {node, name: DISKLESS_POOL, kind: 'DISKLESS', props: {}, externalLocking: false, uuid: ids.uuid()}
  return [...dfnChanges(state, DISKLESS_POOL, ids), {t: 'storPools', k: key2(node, DISKLESS_POOL), v: sp}]
}

export function findStorPool(state: ClusterState, node: string, pool: string): StorPoolRec {
  const sp = state.storPools[key2(node, pool)]
  if (!sp) throw new ApiFailure(Rc.FAIL_NOT_FOUND_STOR_POOL, {message: `Storage pool '${pool}' on node '${node}' not found.`})
  return sp
}

/** Validates a StorPool create body for `nodeName`. */
export function createStorPool(state: ClusterState, nodeName: string, body: unknown, ids: Ids): {pool: StorPoolRec, changes: Change[]} {
  const nodeRec = state.nodes[nameKey(nodeName)]
  if (!nodeRec) throw new ApiFailure(Rc.FAIL_NOT_FOUND_NODE, {message: `Node '${nodeName}' not found.`})
  return asApiFailure(() => {
    const o = object(body, 'storage pool')
    const name = optString(o.storage_pool_name, 'storage_pool_name') ?? ''
    const problem = nameProblem('storage pool', name)
    if (problem) throw new ApiFailure(Rc.FAIL_INVLD_STOR_POOL_NAME, {message: `Invalid storage pool name '${name}': ${problem}`})
    let kind: ProviderKind | undefined
    try {
      kind = optEnum(o.provider_kind, 'provider_kind', providerKinds)
    } catch (e) {
      throw new ApiFailure(Rc.FAIL_INVLD_PROVIDER, {message: (e as Error).message})
    }
    if (!kind) throw new ApiFailure(Rc.FAIL_INVLD_PROVIDER, {message: "'provider_kind' is required"})
    const key = key2(nodeRec.name, name)
    if (state.storPools[key]) {
      throw new ApiFailure(Rc.FAIL_EXISTS_STOR_POOL, {message: `Storage pool '${name}' already exists on node '${nodeRec.name}'.`})
    }
    const props = normaliseDriverProps(kind, readProps(o.props))
    for (const k of driverPoolKeys(kind).slice(0, 1)) {
      if (!props[k]) {
        throw new ApiFailure(Rc.FAIL_INVLD_STOR_DRIVER, {message: `A ${kind} storage pool needs the property '${k}'.`,
          correction: `Set 'StorDriver/StorPoolName' to the ${kind.startsWith('FILE') ? 'directory' : kind.startsWith('ZFS') ? 'zpool' : 'volume group'}.`})
      }
    }
    const dir = props['StorDriver/FileDir']
    if (dir !== undefined && (!dir.startsWith('/') || dir.split('/').includes('..'))) {
      throw new ApiFailure(Rc.FAIL_INVLD_STOR_DRIVER, {message: `'${dir}' is not an absolute directory path.`})
    }
    const pool: StorPoolRec = {
      node: nodeRec.name, name, kind, props,
      sharedSpace: optString(o.shared_space, 'shared_space'),
      externalLocking: optBool(o.external_locking, 'external_locking') ?? false,
      uuid: ids.uuid(),
    }
    return {pool, changes: [...dfnChanges(state, name, ids), {t: 'storPools', k: key, v: pool}]}
  })
}

export function modifyStorPool(state: ClusterState, node: string, pool: string, body: unknown): Change[] {
  const sp = findStorPool(state, node, pool)
  return asApiFailure(() => {
    const props = normaliseDriverProps(sp.kind, modifyProps(sp.props, object(body ?? {}, 'storage pool modify')))
    for (const k of driverPoolKeys(sp.kind)) {
      if (props[k] !== sp.props[k]) {
        throw new ApiFailure(Rc.FAIL_INVLD_PROP, {message: `'${k}' of storage pool '${sp.name}' cannot be changed while it exists.`,
          correction: 'Create a new storage pool instead.'})
      }
    }
    return [{t: 'storPools', k: key2(sp.node, sp.name), v: {...sp, props}}]
  })
}

/** Storage pool delete: refused while a resource keeps a volume in it. */
export function deleteStorPool(state: ClusterState, node: string, pool: string): Change[] | undefined {
  const sp = state.storPools[key2(node, pool)]
  if (!sp) return undefined
  const users = rscsOnNode(state, sp.node).filter((r) => Object.values(r.pools).some((p) => nameKey(p) === nameKey(sp.name)))
  if (users.length) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Storage pool '${sp.name}' on node '${sp.node}' still holds volumes of ${users.length} resource(s).`,
      details: `Resources: ${users.map((r) => r.rscDfn).join(', ')}`, correction: 'Delete or move those resources first.'})
  }
  return [{t: 'storPools', k: key2(sp.node, sp.name)}]
}

export function createStorPoolDfn(state: ClusterState, body: unknown, ids: Ids): {dfn: StorPoolDfnRec, changes: Change[]} {
  return asApiFailure(() => {
    const o = object(body, 'storage pool definition')
    const name = optString(o.storage_pool_name, 'storage_pool_name') ?? ''
    const problem = nameProblem('storage pool', name)
    if (problem) throw new ApiFailure(Rc.FAIL_INVLD_STOR_POOL_NAME, {message: `Invalid storage pool name '${name}': ${problem}`})
    if (state.storPoolDfns[nameKey(name)]) {
      throw new ApiFailure(Rc.FAIL_EXISTS_STOR_POOL_DFN, {message: `Storage pool definition '${name}' already exists.`})
    }
    const dfn: StorPoolDfnRec = {name, props: readProps(o.props), uuid: ids.uuid()}
    return {dfn, changes: [{t: 'storPoolDfns', k: nameKey(name), v: dfn}]}
  })
}

export function findStorPoolDfn(state: ClusterState, name: string): StorPoolDfnRec {
  const d = state.storPoolDfns[nameKey(name)]
  if (!d) throw new ApiFailure(Rc.FAIL_NOT_FOUND_STOR_POOL_DFN, {message: `Storage pool definition '${name}' not found.`})
  return d
}

export function modifyStorPoolDfn(state: ClusterState, name: string, body: unknown): Change[] {
  const d = findStorPoolDfn(state, name)
  return asApiFailure(() => [{t: 'storPoolDfns', k: nameKey(d.name), v: {...d, props: modifyProps(d.props, object(body ?? {}, 'modify'))}}])
}

export function deleteStorPoolDfn(state: ClusterState, name: string): Change[] | undefined {
  const d = state.storPoolDfns[nameKey(name)]
  if (!d) return undefined
  const pools = Object.values(state.storPools).filter((p) => nameKey(p.name) === nameKey(d.name))
  if (pools.length) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Storage pool definition '${d.name}' still has pools on ${pools.map((p) => p.node).join(', ')}.`,
      correction: 'Delete those storage pools first.'})
  }
  return [{t: 'storPoolDfns', k: nameKey(d.name)}]
}
