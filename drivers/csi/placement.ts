// Where replicas of a new volume go, as linstor-csi's AutoPlaceTopology scheduler decides: one
// replica reachable from the first preferred segment that works, then replicas restricted to the
// requisite nodes, then the rest anywhere. The REST calls happen in the controller service; these
// are the decisions and request bodies between them.
import type {AutoPlaceRequest, Resource} from '../../src/api/wire.ts'

/** Done when enough diskful replicas exist and one of them is on a requisite node (or none are required). */
export function placementSatisfied(diskful: readonly string[], requisite: readonly string[], placementCount: number): boolean {
  if (diskful.length < placementCount) return false
  return requisite.length === 0 ? diskful.length > 0 : diskful.some((n) => requisite.includes(n))
}

/**
 * One more replica on one of `nodes`. LINSTOR's place_count is a total, so the extra replica is
 * asked for with additional_place_count; place_count 1 keeps the group's count out of the list.
 */
export function preferredAutoplace(nodes: readonly string[]): AutoPlaceRequest {
  return {select_filter: {node_name_list: [...nodes], place_count: 1, additional_place_count: 1}}
}

/** Replicas on the requisite nodes only; at most as many as there are such nodes. */
export function requisiteAutoplace(nodes: readonly string[], placementCount: number): AutoPlaceRequest {
  const sorted = [...nodes].sort()
  return {select_filter: {node_name_list: sorted, ...(sorted.length < placementCount ? {place_count: sorted.length} : {})}}
}

/** Fills up to the resource group's place count, anywhere. */
export const fillAutoplace = (): AutoPlaceRequest => ({select_filter: {}})

/** Whether the unrestricted fill is still needed after the requisite step. */
export const needsFill = (requisite: readonly string[], placementCount: number): boolean => requisite.length < placementCount

/**
 * A node to restore a snapshot onto: the most preferred online node holding the snapshot, else
 * the first online one holding it.
 */
export function restoreNode(snapshotNodes: readonly string[], online: ReadonlySet<string>, preferred: readonly string[]): string | undefined {
  const candidates = snapshotNodes.filter((n) => online.has(n))
  return preferred.find((n) => candidates.includes(n)) ?? candidates[0]
}

/** Nodes sorted so that those of earlier preferred segments come first (stable otherwise). */
export function sortByPreference(nodes: readonly string[], preferredNodeLists: readonly (readonly string[])[]): string[] {
  const rank = (n: string): number => {
    const i = preferredNodeLists.findIndex((list) => list.includes(n))
    return i < 0 ? preferredNodeLists.length : i
  }
  return [...nodes].map((n, i) => ({n, i})).sort((a, b) => rank(a.n) - rank(b.n) || a.i - b.i).map((x) => x.n)
}

/**
 * Whether a node without a replica can attach the volume over the network: only DRBD (diskless
 * client) and NVMe (initiator) can. Without them LINSTOR would make a new, empty replica there.
 */
export function disklessPossible(resources: readonly Pick<Resource, 'layer_object'>[]): boolean {
  return resources.some((r) => r.layer_object?.type === 'DRBD' || r.layer_object?.type === 'NVME')
}
