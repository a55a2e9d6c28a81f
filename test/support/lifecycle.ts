// A small cluster for the node-lifecycle models (evacuation, auto-evict, auto-diskful, the
// rebalancer): satellites n1..nN with a FILE_THIN pool each, groups with a place count, spawned
// resources, and satellite reports that say volumes are there and DRBD disks up to date.
import type {Ids} from '../../src/controller/model/api-failure.ts'
import {createNode} from '../../src/controller/model/node.ts'
import {createRscGrp, defaultGroupChanges} from '../../src/controller/model/resource-group.ts'
import {isDiskless, rscsOf, type PlacementFacts, type RscRec} from '../../src/controller/model/resource.ts'
import {spawn} from '../../src/controller/model/spawn.ts'
import {emptyState, type ClusterState} from '../../src/controller/model/state.ts'
import {createStorPool} from '../../src/controller/model/storage-pool.ts'
import type {SatelliteReport} from '../../src/protocol/messages.ts'
import {apply, counterIds, NOW} from './model.ts'

export {NOW}

export interface Cluster {state: ClusterState, ids: Ids}

/** Satellites n1..n`count`, each with FILE_THIN pool "pool1" (n1 has the most free space). */
export function cluster(count = 4): Cluster {
  const state = emptyState()
  const ids = counterIds()
  apply(state, defaultGroupChanges(state, ids))
  for (let i = 1; i <= count; i++) addNode({state, ids}, `n${i}`)
  return {state, ids}
}

export function addNode(c: Cluster, name: string): void {
  const i = Object.keys(c.state.nodes).length + 1
  apply(c.state, createNode(c.state, {name, type: 'SATELLITE', net_interfaces: [{address: `10.0.0.${i}`}]}, c.ids).changes)
  apply(c.state, createStorPool(c.state, name, {storage_pool_name: 'pool1', provider_kind: 'FILE_THIN', props: {'StorDriver/FileDir': `/srv/${name}`}}, c.ids).changes)
}

/** Placement facts: every node online unless listed, free space falling with the node number. */
export function facts(offline: readonly string[] = []): PlacementFacts {
  return {
    online: (n) => !offline.includes(n),
    layers: () => undefined, providers: () => undefined,
    capacity: (n) => ({freeKib: 100_000 - Number(n.slice(1)) * 1000, totalKib: 100_000}),
  }
}

/** A resource group `name` with this place count and layer stack. */
export function group(c: Cluster, name: string, placeCount: number, layers: string[] = ['STORAGE'], props: Record<string, string> = {}): void {
  apply(c.state, createRscGrp(c.state, {name, select_filter: {place_count: placeCount, layer_stack: layers}, props}, c.ids).changes)
}

/** Spawns `rd` (one 1 MiB volume) from the group on the best nodes; answers where it went. */
export function spawned(c: Cluster, rg: string, rd: string, f: PlacementFacts = facts()): RscRec[] {
  const r = spawn(c.state, rg, {resource_definition_name: rd, volume_sizes: [1024]}, c.ids, f)
  apply(c.state, r.changes)
  return r.rscs
}

/** Where a definition's resources are, as "node" or "node(FLAGS)"; sorted by node. */
export const placement = (state: ClusterState, rd: string): string[] =>
  rscsOf(state, rd).map((r) => (r.flags.length ? `${r.node}(${[...r.flags].sort().join(',')})` : r.node))

/**
 * What a node's satellite reports when it has done everything asked: every diskful volume
 * created, DRBD disks UpToDate (or `diskState`), `primary` resources in use.
 */
export function reportFor(state: ClusterState, node: string, opts: {diskState?: string, primary?: string[], connections?: Record<string, Record<string, string>>} = {}): SatelliteReport {
  const mine = Object.values(state.rscs).filter((r) => r.node === node && !r.flags.includes('DELETE'))
  return {
    protocol: 2, version: 'test', instance: 'i', generation: state.seq, uname: node,
    providers: {supported: [], unsupported: {}}, layers: {supported: [], unsupported: {}}, pools: {}, snapshots: [], errors: [],
    volumes: mine.filter((r) => !isDiskless(r)).map((r) => ({rsc: r.rscDfn, vlmNr: 0, pool: r.pools['0'] as string, state: 'Created' as const})),
    drbd: mine.filter((r) => r.layerStack.includes('DRBD')).map((r) => ({
      rsc: r.rscDfn, state: 'Created' as const, role: opts.primary?.includes(r.rscDfn) ? 'Primary' : 'Secondary',
      inUse: opts.primary?.includes(r.rscDfn) ?? false,
      volumes: [{vlmNr: 0, minor: 1000, devicePath: '/dev/drbd1000', diskState: isDiskless(r) ? 'Diskless' : opts.diskState ?? 'UpToDate'}],
      connections: opts.connections?.[r.rscDfn] ?? {},
    })),
  }
}

/** Reports of every node as reportFor gives them. */
export const allReported = (state: ClusterState, opts: Parameters<typeof reportFor>[2] = {}) =>
  (node: string): SatelliteReport => reportFor(state, node, opts)
