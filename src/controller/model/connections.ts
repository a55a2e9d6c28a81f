// Node connections and resource connections: properties of a pair of nodes (or of two resources
// of one definition). The pair is unordered; it is stored and shown sorted so that node_a < node_b.
// Only pairs with properties are stored. As in LINSTOR, a resource definition lists every pair of
// its resources, stored or not.
import type {NodeConnection, ResourceConnection} from '../../api/wire.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {object} from '../../common/input.ts'
import {compareNames, nameKey} from '../../common/names.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import {findNode, type NodeRec} from './node.ts'
import {modifyProps, readProps, type Props} from './props.ts'
import {findRscDfn} from './resource-definition.ts'
import {findRsc, rscsOf} from './resource.ts'
import type {Change, ClusterState} from './state.ts'


export interface NodeConnRec {nodeA: string, nodeB: string, props: Props, uuid: string}
export interface RscConnRec {rscDfn: string, nodeA: string, nodeB: string, props: Props, uuid: string}

const sorted = (a: string, b: string): [string, string] => (compareNames(a, b) <= 0 ? [a, b] : [b, a])

export function nodeConnKey(a: string, b: string): string {
  const [x, y] = sorted(a, b)
  return `${nameKey(x)}/${nameKey(y)}`
}

export const rscConnKey = (rd: string, a: string, b: string): string => `${nameKey(rd)}/${nodeConnKey(a, b)}`

const involves = (c: {nodeA: string, nodeB: string}, node: string): boolean =>
  nameKey(c.nodeA) === nameKey(node) || nameKey(c.nodeB) === nameKey(node)

const byPair = (x: {node_a?: string, node_b?: string}, y: {node_a?: string, node_b?: string}): number =>
  compareNames(x.node_a ?? '', y.node_a ?? '') || compareNames(x.node_b ?? '', y.node_b ?? '')

export const nodeConnView = (c: NodeConnRec): NodeConnection => ({node_a: c.nodeA, node_b: c.nodeB, props: c.props})

/**
 * GET /v1/node-connections: all stored connections, those of one node (`node_a` or `node_b`
 * alone), or the one pair (shown with empty props when nothing is stored). Named nodes must exist.
 */
export function listNodeConns(state: ClusterState, nodeA?: string, nodeB?: string): NodeConnection[] {
  const a = nodeA === undefined ? undefined : findNode(state, nodeA)
  const b = nodeB === undefined ? undefined : findNode(state, nodeB)
  if (a && b) {
    const [x, y] = sorted(a.name, b.name)
    const stored = state.nodeConns[nodeConnKey(x, y)]
    return [stored ? nodeConnView(stored) : {node_a: x, node_b: y}]
  }
  const one = a ?? b
  return Object.values(state.nodeConns)
    .filter((c) => state.nodes[nameKey(c.nodeA)] && state.nodes[nameKey(c.nodeB)] && (!one || involves(c, one.name)))
    .map(nodeConnView).sort(byPair)
}

/** Checks `Paths/<path>/<node>` = <net interface> keys, as LINSTOR does for both connection kinds. */
function checkPaths(set: Props, nodes: readonly NodeRec[]): void {
  for (const [key, value] of Object.entries(set)) {
    if (!key.startsWith('Paths/')) continue
    const m = /^Paths\/([^/]+)\/([^/]+)$/.exec(key)
    if (!m) throw new ApiFailure(Rc.FAIL_INVLD_PROP, {message: 'Connection path property invalid.', cause: `The key '${key}' is invalid.`})
    const nodeName = m[2] as string
    const node = nodes.find((n) => nameKey(n.name) === nameKey(nodeName))
    if (!node) throw new ApiFailure(Rc.FAIL_INVLD_PROP, {message: 'Connection path node unknown.', cause: `The node name '${nodeName}' is unknown.`})
    if (!node.netIfs.some((n) => nameKey(n.name) === nameKey(value))) {
      throw new ApiFailure(Rc.FAIL_INVLD_PROP, {message: 'NetInterface for node unknown.',
        cause: `The Netinterface '${value}' is not known for node '${node.name}'`})
    }
  }
}

function twoNodes(state: ClusterState, a: string, b: string, what: string): [NodeRec, NodeRec] {
  const x = findNode(state, a)
  const y = findNode(state, b)
  if (nameKey(x.name) === nameKey(y.name)) {
    throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `A ${what} needs two different nodes, got '${a}' twice.`})
  }
  return compareNames(x.name, y.name) <= 0 ? [x, y] : [y, x]
}

/** Reads a *ConnectionModify body: the new props and the ones being set (for the Paths check). */
function readModify(current: Props, body: unknown): {props: Props, set: Props} {
  const o = asApiFailure(() => object(body ?? {}, 'connection modify'))
  return {props: modifyProps(current, o), set: readProps(o.override_props, 'override_props')}
}

/**
 * PUT /v1/node-connections/{a}/{b}. `conn` is undefined when the pair has no stored connection
 * and the request sets nothing (LINSTOR answers WARN_NOT_FOUND then); a connection left without
 * properties is removed.
 */
export function modifyNodeConn(state: ClusterState, a: string, b: string, body: unknown, ids: Ids): {changes: Change[], conn?: NodeConnRec} {
  const [x, y] = twoNodes(state, a, b, 'node connection')
  const k = nodeConnKey(x.name, y.name)
  const old = state.nodeConns[k]
  const {props, set} = readModify(old?.props ?? {}, body)
  checkPaths(set, [x, y])
  if (!old && Object.keys(set).length === 0) return {changes: []}
  const conn: NodeConnRec = {nodeA: x.name, nodeB: y.name, props, uuid: old?.uuid ?? ids.uuid()}
  return {changes: [Object.keys(props).length ? {t: 'nodeConns', k, v: conn} : {t: 'nodeConns', k}], conn}
}

/** GET /v1/resource-definitions/{rd}/resource-connections: every pair of the definition's resources. */
export function listRscConns(state: ClusterState, rdName: string): ResourceConnection[] {
  const rd = findRscDfn(state, rdName)
  const rscs = rscsOf(state, rd.name)
  return rscs.flatMap((r, i) => rscs.slice(i + 1).map((s): ResourceConnection => {
    const [x, y] = sorted(r.node, s.node)
    return {node_a: x, node_b: y, props: state.rscConns[rscConnKey(rd.name, x, y)]?.props ?? {}}
  })).sort(byPair)
}

/** GET /v1/resource-definitions/{rd}/resource-connections/{a}/{b}: one object, as LINSTOR answers. */
export function findRscConn(state: ClusterState, rdName: string, a: string, b: string): ResourceConnection {
  const hit = listRscConns(state, rdName).find((c) =>
    (nameKey(c.node_a ?? '') === nameKey(a) && nameKey(c.node_b ?? '') === nameKey(b)) ||
    (nameKey(c.node_a ?? '') === nameKey(b) && nameKey(c.node_b ?? '') === nameKey(a)))
  if (!hit) throw new ApiFailure(Rc.FAIL_NOT_FOUND_RSC_CONN, {message: `Resource connection between '${a}' and '${b}' not found.`})
  return hit
}

/** PUT /v1/resource-definitions/{rd}/resource-connections/{a}/{b}. The definition and both resources must exist. */
export function modifyRscConn(state: ClusterState, rdName: string, a: string, b: string, body: unknown, ids: Ids): {changes: Change[], conn: RscConnRec} {
  const rd = findRscDfn(state, rdName)
  const [x, y] = twoNodes(state, a, b, 'resource connection')
  findRsc(state, rd.name, x.name)
  findRsc(state, rd.name, y.name)
  const k = rscConnKey(rd.name, x.name, y.name)
  const old = state.rscConns[k]
  const {props, set} = readModify(old?.props ?? {}, body)
  checkPaths(set, [x, y])
  const conn: RscConnRec = {rscDfn: rd.name, nodeA: x.name, nodeB: y.name, props, uuid: old?.uuid ?? ids.uuid()}
  const keep = Object.keys(props).length > 0
  return {changes: keep ? [{t: 'rscConns', k, v: conn}] : old ? [{t: 'rscConns', k}] : [], conn}
}

/** Connections to drop with a node: its node connections and its resources' connections. */
export function connChangesForNode(state: ClusterState, node: string): Change[] {
  return [
    ...Object.entries(state.nodeConns).filter(([, c]) => involves(c, node)).map(([k]): Change => ({t: 'nodeConns', k})),
    ...Object.entries(state.rscConns).filter(([, c]) => involves(c, node)).map(([k]): Change => ({t: 'rscConns', k})),
  ]
}

/** Connections to drop with a resource (one node's replica of `rd`). */
export const connChangesForRsc = (state: ClusterState, rd: string, node: string): Change[] =>
  Object.entries(state.rscConns).filter(([, c]) => nameKey(c.rscDfn) === nameKey(rd) && involves(c, node)).map(([k]): Change => ({t: 'rscConns', k}))

/** Connections to drop with a resource definition. */
export const connChangesForRscDfn = (state: ClusterState, rd: string): Change[] =>
  Object.entries(state.rscConns).filter(([, c]) => nameKey(c.rscDfn) === nameKey(rd)).map(([k]): Change => ({t: 'rscConns', k}))
