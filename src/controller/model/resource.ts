// Resources: a resource definition deployed on a node, diskful in a storage pool or diskless.
import {Rc} from '../../common/api-call-rc.ts'
import {compareNames, nameKey} from '../../common/names.ts'
import {ApiFailure, type Ids} from './api-failure.ts'
import {inherited, type Props} from './props.ts'
import {type RscDfnRec, vlmDfnsOf} from './resource-definition.ts'
import type {LayerKind, SelectFilter} from './select-filter.ts'
import {type Change, type ClusterState, key2} from './state.ts'
import {isThin} from './storage-pool.ts'
import {autoplace, type CandidateNode, type CandidatePool} from '../placement/autoplacer.ts'

export interface RscRec {
  rscDfn: string
  node: string
  props: Props
  flags: string[]
  layerStack: LayerKind[]
  nodeId?: number
  /** Storage pool of each volume, by volume number. */
  pools: Record<string, string>
  uuid: string
  createTs: number
}

export const DEFAULT_LAYERS: LayerKind[] = ['DRBD', 'STORAGE']

/** What the controller knows at run time about nodes and pools (from satellite reports). */
export interface PlacementFacts {
  online(node: string): boolean
  layers(node: string): readonly string[] | undefined
  providers(node: string): readonly string[] | undefined
  capacity(node: string, pool: string): {freeKib: number, totalKib: number} | undefined
}

export const rscsOf = (state: ClusterState, rd: string): RscRec[] =>
  Object.values(state.rscs).filter((r) => nameKey(r.rscDfn) === nameKey(rd)).sort((a, b) => compareNames(a.node, b.node))

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

function candidates(state: ClusterState, facts: PlacementFacts): {nodes: CandidateNode[], pools: CandidatePool[]} {
  const rscsByNode = new Map<string, string[]>()
  for (const r of Object.values(state.rscs)) rscsByNode.set(nameKey(r.node), [...(rscsByNode.get(nameKey(r.node)) ?? []), r.rscDfn])
  const nodes = Object.values(state.nodes).map((n) => ({
    name: n.name, props: n.props, online: facts.online(n.name), evacuating: n.flags.includes('EVACUATE'),
    layers: facts.layers(n.name), providers: facts.providers(n.name), resources: rscsByNode.get(nameKey(n.name)) ?? [],
  }))
  const pools = Object.values(state.storPools).map((p) => {
    const cap = facts.capacity(p.node, p.name)
    return {node: p.node, name: p.name, kind: p.kind, thin: isThin(p.kind), freeKib: cap?.freeKib, totalKib: cap?.totalKib}
  })
  return {nodes, pools}
}

/** Places diskful replicas of `rd` per `filter`; returns the new resources or why it cannot. */
export function autoplaceRsc(state: ClusterState, rd: RscDfnRec, filter: SelectFilter, facts: PlacementFacts, ids: Ids,
  vds: readonly {vlmNr: number, sizeKib: number}[] = vlmDfnsOf(state, rd.name)): {rscs: RscRec[], changes: Change[]} {
  const existing = rscsOf(state, rd.name)
  const layers = rd.layerStack ?? filter.layer_stack ?? DEFAULT_LAYERS
  const {nodes, pools} = candidates(state, facts)
  const rg = state.rscGrps[nameKey(rd.rscGrp)]
  // StorPoolName set on the definition or its group acts like a storage pool filter.
  const spProp = inherited('StorPoolName', [rd.props, rg?.props])
  const eff = spProp && !filter.storage_pool && !filter.storage_pool_list ? {...filter, storage_pool: spProp} : filter
  const result = autoplace({
    filter: eff, layers, sizeKib: vds.reduce((a, v) => a + v.sizeKib, 0),
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
  const rscs: RscRec[] = result.picks.map((p) => {
    const nodeId = layers.includes('DRBD') ? nextNodeId(takenIds) : undefined
    if (nodeId !== undefined) takenIds.push(nodeId)
    return {
      rscDfn: rd.name, node: p.node, props: {}, flags: [], layerStack: layers, nodeId,
      pools: Object.fromEntries(vds.map((v) => [String(v.vlmNr), p.pool])), uuid: ids.uuid(), createTs: ids.now(),
    }
  })
  return {rscs, changes: rscs.map((r) => ({t: 'rscs', k: key2(rd.name, r.node), v: r}))}
}
