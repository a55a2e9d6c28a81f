// Resources: a resource definition deployed on a node, diskful in a storage pool or diskless.
import {Rc} from '../../common/api-call-rc.ts'
import {compareNames, nameKey} from '../../common/names.ts'
import {ApiFailure, type Ids} from './api-failure.ts'
import {withFlag} from './flags.ts'
import {refuseInUse, type InUse} from './in-use.ts'
import {inherited, readProps, type Props} from './props.ts'
import {type RscDfnRec, type VlmDfnRec, vlmDfnsOf} from './resource-definition.ts'
import {DEFAULT_LAYERS, type LayerKind, type SelectFilter} from './select-filter.ts'
import {type Change, type ClusterState, key2} from './state.ts'
import {poolsOnNode, rscCountOnNode, rscsOfDfn, rscsOnNode} from './state-index.ts'
import {DISKLESS_POOL, isThin} from './storage-pool.ts'
import {autoplace, type CandidateNode, type CandidatePool, type Weights} from '../placement/autoplacer.ts'

export interface RscRec {
  rscDfn: string
  node: string
  props: Props
  flags: string[]
  layerStack: LayerKind[]
  nodeId?: number
  /** Storage pool of each volume, by volume number. */
  pools: Record<string, string>
  /** What this resource's volumes are filled from when first created: a snapshot, or (clones) the live volumes. */
  restoreFrom?: {rscDfn: string, snap?: string}
  /** A snapshot rollback asked for and not yet reported done by the satellite. */
  rollbackTo?: string
  /** An evacuating (EVACUATE) replica: the node of the replica placed to take over from it. */
  replacement?: string
  /** toggle-disk --migrate-from: the replica deleted once this one's new disk is up to date. */
  migrateFrom?: string
  /** Properties of the resource's volumes, by volume number (`volume set-property`). */
  vlmProps?: Record<string, Props>
  uuid: string
  createTs: number
}

export {DEFAULT_LAYERS}

/** What the controller knows at run time about nodes and pools (from satellite reports). */
export interface PlacementFacts {
  online(node: string): boolean
  layers(node: string): readonly string[] | undefined
  providers(node: string): readonly string[] | undefined
  capacity(node: string, pool: string): {freeKib: number, totalKib: number} | undefined
}

export const rscsOf = (state: ClusterState, rd: string): RscRec[] =>
  rscsOfDfn(state, rd).sort((a, b) => compareNames(a.node, b.node))

export const isDiskless = (r: RscRec): boolean => r.flags.includes('DISKLESS')

export function findRsc(state: ClusterState, rd: string, node: string): RscRec {
  const r = state.rscs[key2(rd, node)]
  if (!r) throw new ApiFailure(Rc.FAIL_NOT_FOUND_RSC, {message: `Resource '${rd}' on node '${node}' not found.`})
  return r
}

function nextNodeId(taken: number[]): number {
  for (let id = 0; id < 32; id++) if (!taken.includes(id)) return id
  throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR, {message: 'No free DRBD node-id left (at most 32 peers).'})
}

/**
 * The autoplacer's view of nodes and pools. Per-pool usage (resource count, reserved space,
 * throughput) costs a pass over every resource, so it is computed only when a weight needs it;
 * a node's resource names only when a filter reads them.
 */
export function candidates(state: ClusterState, facts: PlacementFacts, withUsage = false): {nodes: CandidateNode[], pools: CandidatePool[]} {
  const usage = withUsage ? poolUsage(state) : undefined
  const nodes = Object.values(state.nodes).map((n): CandidateNode => {
    let names: string[] | undefined
    return {
      name: n.name, props: n.props, online: facts.online(n.name), evacuating: n.flags.includes('EVACUATE') || n.flags.includes('EVICTED'),
      layers: facts.layers(n.name), providers: facts.providers(n.name),
      get resources() {
        return (names ??= rscsOnNode(state, n.name).map((r) => r.rscDfn))
      },
    }
  })
  const pools = Object.values(state.storPools).map((p): CandidatePool => {
    const cap = facts.capacity(p.node, p.name)
    const u = usage?.get(key2(p.node, p.name))
    const max = Number(p.props['Autoplacer/MaxThroughput'])
    return {node: p.node, name: p.name, kind: p.kind, thin: isThin(p.kind), freeKib: cap?.freeKib, totalKib: cap?.totalKib,
      rscCount: u?.count ?? 0, reservedKib: u?.reservedKib ?? 0,
      throughputLeft: Number.isFinite(max) && max > 0 ? max - (u?.throughputUsed ?? 0) : undefined}
  })
  return {nodes, pools}
}

function poolUsage(state: ClusterState): Map<string, {count: number, reservedKib: number, throughputUsed: number}> {
  const usage = new Map<string, {count: number, reservedKib: number, throughputUsed: number}>()
  for (const r of Object.values(state.rscs)) {
    const rdProps = state.rscDfns[nameKey(r.rscDfn)]?.props
    for (const [nr, pool] of Object.entries(r.pools)) {
      const k = key2(r.node, pool)
      const vd = state.vlmDfns[key2(r.rscDfn, nr)]
      const u = usage.get(k) ?? {count: 0, reservedKib: 0, throughputUsed: 0}
      u.count++
      u.reservedKib += vd?.sizeKib ?? 0
      u.throughputUsed += throughputOf(vd?.props, rdProps)
      usage.set(k, u)
    }
  }
  return usage
}

/** Throughput a volume claims: its blkio throttles (bytes/s), from the volume or resource definition. */
function throughputOf(vdProps: Props | undefined, rdProps: Props | undefined): number {
  const n = (k: string): number => Number(inherited(k, [vdProps, rdProps]) ?? 0) || 0
  return n('sys/fs/blkio_throttle_read') + n('sys/fs/blkio_throttle_write')
}

/** Autoplacer/Weights/* from the controller properties; LINSTOR's default weighs free space only. */
export function placementWeights(state: ClusterState): Weights {
  const props = state.ctrlProps.CTRL?.props ?? {}
  const w = (name: string, dflt: number): number => {
    const v = Number(props[`Autoplacer/Weights/${name}`])
    return Number.isFinite(v) && v >= 0 ? v : dflt
  }
  return {MaxFreeSpace: w('MaxFreeSpace', 1), MinReservedSpace: w('MinReservedSpace', 0), MinRscCount: w('MinRscCount', 0), MaxThroughput: w('MaxThroughput', 0)}
}

/** Places diskful replicas of `rd` per `filter`; returns the new resources or why it cannot. */
export function autoplaceRsc(state: ClusterState, rd: RscDfnRec, filter: SelectFilter, facts: PlacementFacts, ids: Ids,
  vds: readonly {vlmNr: number, sizeKib: number}[] = vlmDfnsOf(state, rd.name)): {rscs: RscRec[], changes: Change[]} {
  const existing = rscsOf(state, rd.name)
  const layers = rd.layerStack ?? filter.layer_stack ?? DEFAULT_LAYERS
  const weights = placementWeights(state)
  const {nodes, pools} = candidates(state, facts, weights.MinReservedSpace > 0 || weights.MinRscCount > 0 || weights.MaxThroughput > 0)
  const rg = state.rscGrps[nameKey(rd.rscGrp)]
  // StorPoolName set on the definition or its group acts like a storage pool filter.
  const spProp = inherited('StorPoolName', [rd.props, rg?.props])
  const eff = spProp && !filter.storage_pool && !filter.storage_pool_list ? {...filter, storage_pool: spProp} : filter
  const result = autoplace({
    filter: eff, layers, sizeKib: vds.reduce((a, v) => a + v.sizeKib, 0), weights,
    alreadyPlaced: existing.filter((r) => !isDiskless(r)).map((r) => r.node), nodes, pools,
  })
  if (!result.ok) {
    throw new ApiFailure(Rc.FAIL_NOT_ENOUGH_NODES, {
      message: `Not enough available nodes to place resource '${rd.name}'.`,
      details: result.reasons.join('\n'),
      cause: result.reasons.slice(1).join('; ') || 'No storage pool satisfies the placement constraints.',
      correction: 'Add nodes or storage pools, free space, or relax the resource group\'s placement filter.',
    })
  }
  const takenIds = existing.flatMap((r) => (r.nodeId === undefined ? [] : [r.nodeId]))
  const make = (node: string, pool: string, flags: string[]): RscRec => {
    // A diskless replica already on the node becomes diskful there, keeping its DRBD node-id.
    const prior = state.rscs[key2(rd.name, node)]
    if (prior && isDiskless(prior) && !prior.flags.includes('DELETE') && !flags.length) return toDiskful(prior, Object.fromEntries(vds.map((v) => [String(v.vlmNr), pool])), ids.now())
    const nodeId = layers.includes('DRBD') ? nextNodeId(takenIds) : undefined
    if (nodeId !== undefined) takenIds.push(nodeId)
    return {rscDfn: rd.name, node, props: {}, flags, layerStack: layers, nodeId,
      pools: Object.fromEntries(vds.map((v) => [String(v.vlmNr), pool])), uuid: ids.uuid(), createTs: ids.now()}
  }
  const rscs: RscRec[] = result.picks.map((p) => make(p.node, p.pool, []))
  const taken = new Set([...existing, ...rscs].map((r) => nameKey(r.node)))
  const spare = canBeDiskless(layers) ? disklessCandidates(state, nodes, layers, taken) : []
  if (filter.diskless_on_remaining && spare.length) {
    rscs.push(...spare.map((c) => make(c.node, c.pool, disklessFlags(layers))))
  } else if (wantsTieBreaker(state, rd, layers, existing.filter((r) => !isDiskless(r)).length + rscs.length,
    existing.some((r) => isDiskless(r) && !rscs.some((x) => x.node === r.node))) && spare[0]) {
    rscs.push(make(spare[0].node, spare[0].pool, [...disklessFlags(layers), 'TIE_BREAKER']))
  }
  return {rscs, changes: rscs.map((r) => ({t: 'rscs', k: key2(rd.name, r.node), v: r}))}
}

/** Online nodes that can host a diskless replica (a DISKLESS pool, the layers), fewest resources first. */
function disklessCandidates(state: ClusterState, nodes: readonly CandidateNode[], layers: readonly LayerKind[], taken: Set<string>): {node: string, pool: string}[] {
  return nodes
    .filter((n) => n.online && !n.evacuating && !taken.has(nameKey(n.name)) && layers.every((l) => n.layers === undefined || n.layers.includes(l)))
    .map((n) => ({n, pool: poolsOnNode(state, n.name).find((p) => p.kind === 'DISKLESS'), count: rscCountOnNode(state, n.name)}))
    .filter((x) => x.pool !== undefined)
    .sort((a, b) => a.count - b.count || compareNames(a.n.name, b.n.name))
    .map((x) => ({node: x.n.name, pool: (x.pool as {name: string}).name}))
}

/**
 * DRBD quorum needs three voters: with exactly two diskful replicas and no diskless one, a
 * diskless tie-breaker is added unless DrbdOptions/auto-add-quorum-tiebreaker is false (RD > RG > controller).
 */
function wantsTieBreaker(state: ClusterState, rd: RscDfnRec, layers: readonly LayerKind[], diskful: number, hasDiskless: boolean): boolean {
  if (!layers.includes('DRBD') || diskful !== 2 || hasDiskless) return false
  const v = inherited('DrbdOptions/auto-add-quorum-tiebreaker', [rd.props, state.rscGrps[nameKey(rd.rscGrp)]?.props, state.ctrlProps.CTRL?.props])
  return v === undefined || v.toLowerCase() !== 'false'
}

/** StorPoolName as the guide orders it: volume definition, resource, definition, node, then DfltStorPool. */
export function storPoolFor(state: ClusterState, rd: RscDfnRec, vd: {props: Props}, rscProps: Props, node: string): string {
  return inherited('StorPoolName', [vd.props, rscProps, rd.props, state.nodes[nameKey(node)]?.props]) ?? 'DfltStorPool'
}

/** The storage pool a volume of a resource lives in; refused when the node lacks it. */
function poolFor(state: ClusterState, rd: RscDfnRec, vd: {props: Props}, rscProps: Props, node: string, diskless: boolean): string {
  const poolName = diskless ? DISKLESS_POOL : storPoolFor(state, rd, vd, rscProps, node)
  const sp = state.storPools[key2(node, poolName)]
  if (!sp) {
    throw new ApiFailure(poolName === 'DfltStorPool' ? Rc.FAIL_NOT_FOUND_DFLT_STOR_POOL : Rc.FAIL_NOT_FOUND_STOR_POOL, {
      message: `Storage pool '${poolName}' not found on node '${node}'.`,
      cause: poolName === 'DfltStorPool' ? "No StorPoolName is set on the volume definition, resource, definition or node, so the fallback 'DfltStorPool' was used." : undefined,
      correction: 'Set the StorPoolName property or create the storage pool.'})
  }
  return sp.name
}

/**
 * A volume definition added to a deployed definition: every resource gets the volume, in its pool.
 * Without an explicit StorPoolName that is the pool of the resource's other volumes (where the
 * autoplacer put it), not DfltStorPool. All or nothing.
 */
export function rolloutVlmDfn(state: ClusterState, rd: RscDfnRec, vd: VlmDfnRec): {rscs: RscRec[], changes: Change[]} {
  const poolOf = (r: RscRec): string => {
    const explicit = inherited('StorPoolName', [vd.props, r.props, rd.props, state.nodes[nameKey(r.node)]?.props])
    const current = Object.values(r.pools)[0]
    if (!isDiskless(r) && explicit === undefined && current && state.storPools[key2(r.node, current)]) return current
    return poolFor(state, rd, vd, r.props, r.node, isDiskless(r))
  }
  const rscs = rscsOf(state, rd.name).filter((r) => !r.flags.includes('DELETE')).map((r): RscRec =>
    ({...r, pools: {...r.pools, [String(vd.vlmNr)]: poolOf(r)}}))
  return {rscs, changes: rscs.map((r): Change => ({t: 'rscs', k: key2(r.rscDfn, r.node), v: r}))}
}

/**
 * A diskless replica given disks in `pools` (toggle-disk). New as a diskful replica: its creation
 * time is now, so that DRBD does not skip the initial sync to it.
 */
export function toDiskful(r: RscRec, pools: Record<string, string>, now: number): RscRec {
  const diskless = ['DISKLESS', 'DRBD_DISKLESS', 'NVME_INITIATOR', 'TIE_BREAKER']
  return {...r, flags: r.flags.filter((f) => !diskless.includes(f)), pools, createTs: now}
}

export const canBeDiskless = (layers: readonly LayerKind[]): boolean => layers.includes('DRBD') || layers.includes('NVME')

/** Diskless flags the client expects for a layer stack: DRBD clients also carry DRBD_DISKLESS. */
export function disklessFlags(layers: readonly LayerKind[]): string[] {
  return ['DISKLESS', ...(layers.includes('DRBD') ? ['DRBD_DISKLESS'] : layers.includes('NVME') ? ['NVME_INITIATOR'] : [])]
}

export interface RscRequest {node: string, props?: unknown, diskless: boolean, layers?: LayerKind[], nodeId?: number}

/** Creates resources on named nodes (POST .../resources, make-available). All or nothing. */
export function createResources(state: ClusterState, rd: RscDfnRec, requests: readonly RscRequest[], ids: Ids): {rscs: RscRec[], changes: Change[]} {
  const taken = rscsOf(state, rd.name).flatMap((r) => (r.nodeId === undefined ? [] : [r.nodeId]))
  const vds = vlmDfnsOf(state, rd.name)
  const rg = state.rscGrps[nameKey(rd.rscGrp)]
  const rscs: RscRec[] = requests.map((req) => {
    const node = state.nodes[nameKey(req.node)]
    if (!node) throw new ApiFailure(Rc.FAIL_NOT_FOUND_NODE, {message: `Node '${req.node}' not found.`})
    const leaving = node.flags.find((f) => f === 'EVACUATE' || f === 'EVICTED')
    if (leaving) {
      throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `Node '${node.name}' takes no new resources: it is ${leaving === 'EVICTED' ? 'evicted' : 'being evacuated'}.`,
        correction: `Use another node, or 'node restore ${node.name}' first.`})
    }
    if (state.rscs[key2(rd.name, node.name)]) {
      throw new ApiFailure(Rc.FAIL_EXISTS_RSC, {message: `Resource '${rd.name}' already exists on node '${node.name}'.`})
    }
    const layers = req.layers ?? rd.layerStack ?? rg?.selectFilter.layer_stack as LayerKind[] | undefined ?? DEFAULT_LAYERS
    const props = readProps(req.props)
    const diskless = req.diskless && canBeDiskless(layers)
    if (req.diskless && !diskless) {
      throw new ApiFailure(Rc.FAIL_INVLD_LAYER_STACK, {message: `A diskless resource needs DRBD or NVME in its layer stack, not [${layers.join(', ')}].`})
    }
    const pools: Record<string, string> = {}
    for (const vd of vds) pools[String(vd.vlmNr)] = poolFor(state, rd, vd, props, node.name, diskless)
    let nodeId = req.nodeId
    if (layers.includes('DRBD') && nodeId === undefined) {
      nodeId = nextNodeId(taken)
      taken.push(nodeId)
    }
    return {rscDfn: rd.name, node: node.name, props, flags: diskless ? disklessFlags(layers) : [], layerStack: layers, nodeId,
      pools, uuid: ids.uuid(), createTs: ids.now()}
  })
  const seen = new Set<string>()
  for (const r of rscs) {
    if (seen.has(nameKey(r.node))) throw new ApiFailure(Rc.FAIL_EXISTS_RSC, {message: `Node '${r.node}' is named twice.`})
    seen.add(nameKey(r.node))
  }
  return {rscs, changes: rscs.map((r): Change => ({t: 'rscs', k: key2(rd.name, r.node), v: r}))}
}

/** Resource delete, first step: flag it; the record goes when its satellite reports the volumes gone. */
export function markRscDeleted(state: ClusterState, rd: string, node: string, inUse: InUse = () => false): Change[] | undefined {
  const r = state.rscs[key2(rd, node)]
  if (!r) return undefined
  refuseInUse([r], inUse)
  return [{t: 'rscs', k: key2(r.rscDfn, r.node), v: withFlag(r, 'DELETE')}]
}

