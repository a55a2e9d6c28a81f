// The autoplacer: which storage pools on which nodes get a diskful replica. Pure: it sees a
// snapshot of nodes, pools and existing resources, and answers picks or the reasons it could not.
import {compareNames, nameKey} from '../../common/names.ts'
import type {LayerKind, SelectFilter} from '../model/select-filter.ts'
import type {ProviderKind} from '../model/storage-pool.ts'

export interface CandidateNode {
  name: string
  props: Record<string, string>
  online: boolean
  evacuating: boolean
  /** Layers and providers the satellite reported it can run; undefined when it never reported. */
  layers?: readonly string[]
  providers?: readonly string[]
  /** Resource names (any case) already on this node. */
  resources: readonly string[]
}

export interface CandidatePool {
  node: string
  name: string
  kind: ProviderKind
  /** Free and total capacity in KiB as last reported; undefined when unknown. */
  freeKib?: number
  totalKib?: number
  thin: boolean
  /** Resources with a volume in this pool, the sum of their sizes, and throughput left (bytes/s). */
  rscCount?: number
  reservedKib?: number
  throughputLeft?: number
}

export interface PlacementRequest {
  filter: SelectFilter
  /** Sum of the volume sizes one replica needs, in KiB. */
  sizeKib: number
  layers: readonly LayerKind[]
  /** Nodes that already have a diskful replica of this resource (count towards place_count). */
  alreadyPlaced: readonly string[]
  nodes: readonly CandidateNode[]
  pools: readonly CandidatePool[]
  weights?: Weights
}

/** How much each of LINSTOR's scoring strategies counts (controller props Autoplacer/Weights/*). */
export interface Weights {MaxFreeSpace: number, MinReservedSpace: number, MinRscCount: number, MaxThroughput: number}
export const DEFAULT_WEIGHTS: Weights = {MaxFreeSpace: 1, MinReservedSpace: 0, MinRscCount: 0, MaxThroughput: 0}

export interface Pick {node: string, pool: string}
export type PlacementResult = {ok: true, picks: Pick[]} | {ok: false, reasons: string[]}


/** The pools a replica may go to: every constraint applied, with who each one excluded. */
export function eligiblePools(req: PlacementRequest): {pools: CandidatePool[], reasons: string[]} {
  const f = req.filter
  const reasons: string[] = []
  const placed = new Set(req.alreadyPlaced.map(nameKey))
  const nodeByName = new Map(req.nodes.map((n) => [nameKey(n.name), n]))
  let pools = req.pools.filter((p) => p.kind !== 'DISKLESS' && !placed.has(nameKey(p.node)))

  const exclude = (why: string, keep: (p: CandidatePool) => boolean): void => {
    const dropped = pools.filter((p) => !keep(p))
    if (dropped.length) reasons.push(`${why}: ${[...new Set(dropped.map((p) => `${p.node}/${p.name}`))].join(', ')}`)
    pools = pools.filter(keep)
  }
  const poolNames = f.storage_pool_list ?? (f.storage_pool ? [f.storage_pool] : undefined)
  if (poolNames) exclude(`not in storage pool list [${poolNames.join(', ')}]`, (p) => poolNames.some((n) => nameKey(n) === nameKey(p.name)))
  if (f.node_name_list) {
    const list = f.node_name_list.map(nameKey)
    exclude(`node not in node list [${f.node_name_list.join(', ')}]`, (p) => list.includes(nameKey(p.node)))
  }
  if (f.provider_list) {
    const list = f.provider_list
    exclude(`provider not in [${list.join(', ')}]`, (p) => list.includes(p.kind))
  }
  exclude('node offline', (p) => nodeByName.get(nameKey(p.node))?.online === true)
  exclude('node is being evacuated', (p) => !nodeByName.get(nameKey(p.node))?.evacuating)
  // The guide's way to keep nodes out of placement, e.g. several nodes about to be evacuated.
  exclude('node has AutoplaceTarget=false', (p) => nodeByName.get(nameKey(p.node))?.props.AutoplaceTarget?.toLowerCase() !== 'false')
  for (const layer of req.layers) {
    exclude(`node does not support layer ${layer}`, (p) => {
      const l = nodeByName.get(nameKey(p.node))?.layers
      return l === undefined || l.includes(layer)
    })
  }
  exclude('node does not support the provider', (p) => {
    const l = nodeByName.get(nameKey(p.node))?.providers
    return l === undefined || l.includes(p.kind)
  })
  if (f.not_place_with_rsc?.length) {
    const avoid = f.not_place_with_rsc.map(nameKey)
    exclude(`node has one of [${f.not_place_with_rsc.join(', ')}]`,
      (p) => !(nodeByName.get(nameKey(p.node))?.resources ?? []).some((r) => avoid.includes(nameKey(r))))
  }
  if (f.not_place_with_rsc_regex) {
    // The whole name must match, as Java's Pattern.matches() does in LINSTOR.
    const re = new RegExp(`^(?:${f.not_place_with_rsc_regex})$`, 'i')
    exclude(`node has a resource matching /${f.not_place_with_rsc_regex}/`,
      (p) => !(nodeByName.get(nameKey(p.node))?.resources ?? []).some((r) => re.test(r)))
  }
  const ratio = f.overprovision
  exclude(`not enough free space for ${req.sizeKib} KiB`, (p) => {
    if (p.freeKib === undefined) return false
    const usable = p.thin && ratio !== undefined && p.totalKib !== undefined ? p.totalKib * ratio : p.freeKib
    return usable >= req.sizeKib
  })

  // replicas_on_same: nodes lacking the property, or with another value than a fixed one (given
  // as key=value, or set by the replicas already placed), cannot take part.
  const placedNodes = req.alreadyPlaced.map((n) => nodeByName.get(nameKey(n))).filter((n): n is CandidateNode => !!n)
  for (const spec of f.replicas_on_same ?? []) {
    const [key, value] = spec.split('=') as [string, string | undefined]
    const fixed = value ?? placedNodes[0]?.props[key]
    const has = (p: CandidatePool): string | undefined => nodeByName.get(nameKey(p.node))?.props[key]
    if (fixed === undefined) exclude(`replicas_on_same: node has no property ${key}`, (p) => has(p) !== undefined)
    else exclude(`replicas_on_same: node's ${key} is not '${fixed}'`, (p) => has(p) === fixed)
  }
  return {pools, reasons}
}

/** Places the wanted replicas in the best eligible pools, or says why it cannot. */
export function autoplace(req: PlacementRequest): PlacementResult {
  const f = req.filter
  // `+N` adds N replicas to what exists, whatever the place count says (as in LINSTOR).
  const wanted = f.additional_place_count ? f.additional_place_count : (f.place_count ?? 2) - req.alreadyPlaced.length
  if (wanted <= 0) return {ok: true, picks: []}
  const {pools, reasons} = eligiblePools(req)
  const nodeByName = new Map(req.nodes.map((n) => [nameKey(n.name), n]))
  const {picks, rejected} = chooseGroup(pools, wanted, req, nodeByName)
  if (picks.length < wanted) {
    reasons.push(...rejected)
    reasons.unshift(`Not enough available nodes: ${wanted} more replica(s) wanted, ${picks.length} possible.`)
    return {ok: false, reasons}
  }
  return {ok: true, picks}
}

const propKey = (spec: string): string => spec.split('=')[0] as string

/**
 * replicas_on_same: the replicas must share each named property's value. Candidates are split
 * into groups by those values (only the group of already placed replicas if there are any), and
 * the group whose best picks complete with the most free space wins.
 */
function chooseGroup(pools: CandidatePool[], wanted: number, req: PlacementRequest, nodes: Map<string, CandidateNode>): {picks: Pick[], rejected: string[]} {
  const same = req.filter.replicas_on_same ?? []
  const placedNodes = req.alreadyPlaced.map((n) => nodes.get(nameKey(n))).filter((n): n is CandidateNode => !!n)
  const nodeOf = (p: CandidatePool): CandidateNode => nodes.get(nameKey(p.node)) as CandidateNode
  const groups = new Map<string, CandidatePool[]>()
  for (const p of pools) {
    const g = same.map((spec) => nodeOf(p).props[propKey(spec)]).join('\u0000')
    groups.set(g, [...(groups.get(g) ?? []), p])
  }
  let best: {picks: Pick[], rejected: string[], free: number} = {picks: [], rejected: [], free: -1}
  for (const group of groups.values()) {
    const r = choose(group, wanted, req, nodes, placedNodes)
    const free = r.picks.reduce((a, p) => a + (group.find((x) => x.node === p.node && x.name === p.pool)?.freeKib ?? 0), 0)
    if (r.picks.length > best.picks.length || (r.picks.length === best.picks.length && free > best.free)) best = {...r, free}
  }
  return best
}

/** Greedy choice within one group, best pool first (most free space), honouring replicas_on_different. */
function choose(pools: CandidatePool[], wanted: number, req: PlacementRequest, nodes: Map<string, CandidateNode>,
  placedNodes: CandidateNode[]): {picks: Pick[], rejected: string[]} {
  const score = scorer(pools, req.weights ?? DEFAULT_WEIGHTS)
  const ranked = [...pools].sort((a, b) => score(b) - score(a) || compareNames(a.node, b.node) || compareNames(a.name, b.name))
  const picks: Pick[] = []
  const chosen = [...placedNodes]
  const different = req.filter.replicas_on_different ?? []
  const clashes = new Map<string, Set<string>>()
  for (const p of ranked) {
    if (picks.length >= wanted) break
    const node = nodes.get(nameKey(p.node))
    if (!node || picks.some((x) => nameKey(x.node) === nameKey(p.node))) continue
    const clash = different.find((spec) => {
      const v = node.props[propKey(spec)]
      return v !== undefined && chosen.some((c) => c.props[propKey(spec)] === v)
    }) ?? Object.entries(req.filter.x_replicas_on_different_map ?? {}).find(([key, most]) => {
      // At most `most` replicas may share one value of `key`.
      const v = node.props[key]
      return v !== undefined && chosen.filter((c) => c.props[key] === v).length >= most
    })?.[0]
    if (clash) {
      clashes.set(clash, (clashes.get(clash) ?? new Set()).add(node.name))
      continue
    }
    picks.push({node: node.name, pool: p.name})
    chosen.push(node)
  }
  const xmap = req.filter.x_replicas_on_different_map ?? {}
  const rejected = [...clashes].map(([spec, ns]) => (spec in xmap && !different.includes(spec)
    ? `x_replicas_on_different_map ${spec}: already ${xmap[spec]} replica(s) with the same value: ${[...ns].join(', ')}`
    : `replicas_on_different ${propKey(spec)}: same value as a chosen replica: ${[...ns].join(', ')}`))
  return {picks, rejected}
}

/**
 * Each strategy scores a pool in [0, 1] relative to the best candidate (for "Min" strategies the
 * smallest value scores 1); the pool's score is the weighted sum.
 */
export function scorer(pools: readonly CandidatePool[], w: Weights): (p: CandidatePool) => number {
  const max = (f: (p: CandidatePool) => number): number => Math.max(0, ...pools.map(f))
  const free = (p: CandidatePool): number => p.freeKib ?? 0
  const reserved = (p: CandidatePool): number => p.reservedKib ?? 0
  const count = (p: CandidatePool): number => p.rscCount ?? 0
  const through = (p: CandidatePool): number => Math.max(0, p.throughputLeft ?? 0)
  const [mf, mr, mc, mt] = [max(free), max(reserved), max(count), max(through)]
  const high = (v: number, m: number): number => (m > 0 ? v / m : 1)
  const low = (v: number, m: number): number => (m > 0 ? 1 - v / m : 1)
  return (p) => w.MaxFreeSpace * high(free(p), mf) + w.MinReservedSpace * low(reserved(p), mr) +
    w.MinRscCount * low(count(p), mc) + w.MaxThroughput * high(through(p), mt)
}
