// CSI topology over LINSTOR nodes, as linstor-csi maps it: a node's segments are its name under
// `linbit.com/hostname`, its properties under the property namespace (prefix stripped), and with
// pool labelling one `linbit.com/sp-<pool>: true` per storage pool. Where a volume is accessible
// follows from its diskful replicas and the remote access policy.
import type {Node, Resource} from '../../src/api/wire.ts'
import {LINSTOR_NODE_KEY, type RemoteAccessRule} from '../nomad/csi-parameters.ts'

export type Segments = Record<string, string>

export const STORAGE_POOL_KEY_PREFIX = 'linbit.com/sp-'

/** The property namespace operator-deployed linstor-csi uses; linstor-csi's own default is `Aux`. */
export const DEFAULT_PROPERTY_NAMESPACE = 'Aux/topology'

export function nodeSegments(node: Pick<Node, 'name' | 'props'>, namespace: string, pools: readonly string[] = []): Segments {
  const prefix = `${namespace}/`
  const segments: Segments = {}
  for (const pool of pools) segments[`${STORAGE_POOL_KEY_PREFIX}${pool}`] = 'true'
  for (const [key, value] of Object.entries(node.props ?? {})) {
    if (key.startsWith(prefix) && key.length > prefix.length) segments[key.slice(prefix.length)] = value
  }
  segments[LINSTOR_NODE_KEY] = node.name
  return segments
}

/** `a` is a subset of `b`: every key of `a` has the same value in `b`. */
const subsetOf = (a: Segments, b: Segments): boolean => Object.entries(a).every(([k, v]) => b[k] === v)

/** Drops duplicates and patterns already covered by a broader one (fewer keys match more nodes). */
export function prunePatterns(patterns: readonly Segments[]): Segments[] {
  const result: Segments[] = []
  for (const p of [...patterns].sort((a, b) => Object.keys(a).length - Object.keys(b).length)) {
    if (!result.some((r) => subsetOf(r, p))) result.push(p)
  }
  return result
}

/**
 * The segments from which a replica in `segments` may be reached: per rule, the keys named in
 * `fromSame` with this replica's values. An empty pattern means "from anywhere".
 */
export function accessibleSegments(policy: readonly RemoteAccessRule[], segments: Segments): Segments[] {
  return prunePatterns(policy.map((rule) => Object.fromEntries(rule.fromSame.flatMap((k) => (segments[k] === undefined ? [] : [[k, segments[k] as string]])))))
}

/** Deployed, healthy and with a disk: where a volume really is. */
export function isDiskful(r: Pick<Resource, 'flags' | 'node_name'>): boolean {
  const flags = r.flags ?? []
  return !!r.node_name && !['DISKLESS', 'DELETE', 'FAILED_DEPLOYMENT', 'FAILED_DISCONNECT'].some((f) => flags.includes(f))
}

export const diskfulNodes = (resources: readonly Pick<Resource, 'flags' | 'node_name'>[]): string[] =>
  resources.filter(isDiskful).map((r) => r.node_name as string)

/**
 * Accessible topology of a volume whose diskful replicas are on `nodes`. An empty list means the
 * volume can be reached from everywhere (CSI has no "everywhere" segment).
 */
export function volumeTopologies(nodes: readonly Pick<Node, 'name' | 'props'>[], namespace: string, policy: readonly RemoteAccessRule[]): Segments[] {
  const out: Segments[] = []
  for (const node of nodes) {
    for (const pattern of accessibleSegments(policy, nodeSegments(node, namespace))) {
      if (Object.keys(pattern).length === 0) return []
      if (!out.some((o) => subsetOf(o, pattern) && subsetOf(pattern, o))) out.push(pattern)
    }
  }
  return out
}

/**
 * How to find the nodes of a segment: named directly by `linbit.com/hostname`, else by node
 * properties (`GET /v1/nodes?props=<ns>/<key>=<value>`, ANDed by the controller).
 */
export function nodeQueryFor(segments: Segments, namespace: string): {node: string} | {props: string[]} {
  const node = segments[LINSTOR_NODE_KEY]
  if (node !== undefined) return {node}
  return {props: Object.entries(segments).filter(([k]) => !k.startsWith(STORAGE_POOL_KEY_PREFIX)).map(([k, v]) => `${namespace}/${k}=${v}`)}
}

/** Storage pools a segment asks for through `linbit.com/sp-<pool>` keys. */
export const poolsOfSegments = (segments: Segments): string[] =>
  Object.keys(segments).filter((k) => k.startsWith(STORAGE_POOL_KEY_PREFIX)).map((k) => k.slice(STORAGE_POOL_KEY_PREFIX.length))
