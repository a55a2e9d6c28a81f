// Nodes and their net interfaces. Every SATELLITE or COMBINED node gets DfltDisklessStorPool.
import {isIP} from 'node:net'
import {Rc} from '../../common/api-call-rc.ts'
import {InputError, object, optBool, optEnum, optInt, optString} from '../../common/input.ts'
import {nameKey, nameProblem} from '../../common/names.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import {modifyProps, readProps, type Props} from './props.ts'
import {key2, type Change, type ClusterState} from './state.ts'
import {poolsOnNode, rscsOnNode} from './state-index.ts'
import {disklessPoolChanges} from './storage-pool.ts'

export const nodeTypes = ['CONTROLLER', 'SATELLITE', 'COMBINED', 'AUXILIARY'] as const
export type NodeType = typeof nodeTypes[number]

export interface NetIfRec {name: string, address: string, port?: number, encryption: 'PLAIN' | 'SSL', uuid: string}

export interface NodeRec {
  name: string
  type: NodeType
  props: Props
  flags: string[]
  netIfs: NetIfRec[]
  uuid: string
}

export const hasSatellite = (t: NodeType): boolean => t === 'SATELLITE' || t === 'COMBINED'

export function findNode(state: ClusterState, name: string): NodeRec {
  const n = state.nodes[nameKey(name)]
  if (!n) throw new ApiFailure(Rc.FAIL_NOT_FOUND_NODE, {message: `Node '${name}' not found.`})
  return n
}

function readNetIf(raw: unknown, ids: Ids, nodeType: NodeType): NetIfRec {
  const o = object(raw, 'net_interfaces[]')
  const name = optString(o.name, 'name') ?? 'default'
  const problem = nameProblem('net interface', name)
  if (problem) throw new ApiFailure(Rc.FAIL_INVLD_NET_NAME, {message: `Invalid net interface name '${name}': ${problem}`})
  const address = optString(o.address, 'address')
  if (!address || !isIP(address)) {
    throw new ApiFailure(Rc.FAIL_INVLD_NET_ADDR, {message: `Invalid IP address '${address ?? ''}'`,
      correction: 'Give the IPv4 or IPv6 address the node is reachable on.'})
  }
  const port = optInt(o.satellite_port, 'satellite_port', 1, 65535)
  const encryption = optEnum(o.satellite_encryption_type, 'satellite_encryption_type', ['PLAIN', 'SSL'] as const) ?? 'PLAIN'
  optBool(o.is_active, 'is_active')
  const dfltPort = encryption === 'SSL' ? 3367 : 3366
  return {name, address, port: port ?? (hasSatellite(nodeType) ? dfltPort : undefined), encryption, uuid: ids.uuid()}
}

/** Validates a Node create body and returns the records to write. */
export function createNode(state: ClusterState, body: unknown, ids: Ids): {node: NodeRec, changes: Change[]} {
  return asApiFailure(() => {
    const o = object(body, 'node')
    const name = optString(o.name, 'name') ?? ''
    const problem = nameProblem('node', name)
    if (problem) throw new ApiFailure(Rc.FAIL_INVLD_NODE_NAME, {message: `Invalid node name '${name}': ${problem}`})
    if (state.nodes[nameKey(name)]) {
      throw new ApiFailure(Rc.FAIL_EXISTS_NODE, {message: `Node '${name}' already exists.`, obj_refs: {Node: name}})
    }
    let type: NodeType
    try {
      type = optEnum(o.type, 'node type', nodeTypes) ?? 'SATELLITE'
    } catch (e) {
      throw new ApiFailure(Rc.FAIL_INVLD_NODE_TYPE, {message: (e as Error).message})
    }
    const rawIfs = o.net_interfaces ?? []
    if (!Array.isArray(rawIfs)) throw new InputError("'net_interfaces' must be a list")
    const netIfs = rawIfs.map((r) => readNetIf(r, ids, type))
    if (hasSatellite(type) && netIfs.length === 0) {
      throw new ApiFailure(Rc.FAIL_INVLD_NET_ADDR, {message: `Node '${name}' needs a net interface with the satellite's address.`})
    }
    const seen = new Set<string>()
    for (const n of netIfs) {
      if (seen.has(nameKey(n.name))) throw new ApiFailure(Rc.FAIL_EXISTS_NET_IF, {message: `Net interface '${n.name}' given twice.`})
      seen.add(nameKey(n.name))
    }
    const node: NodeRec = {name, type, props: readProps(o.props), flags: [], netIfs, uuid: ids.uuid()}
    const changes: Change[] = [{t: 'nodes', k: nameKey(name), v: node}]
    if (hasSatellite(type)) changes.push(...disklessPoolChanges(state, name, ids))
    return {node, changes}
  })
}

/** The net interface the controller uses to reach the satellite. */
export function satelliteInterface(node: NodeRec): NetIfRec | undefined {
  const active = node.props.CurStltConnName
  return node.netIfs.find((n) => n.name === active) ?? node.netIfs[0]
}

/** NodeModify: properties, and the node type between the satellite kinds. */
export function modifyNode(state: ClusterState, name: string, body: unknown): {node: NodeRec, changes: Change[]} {
  const node = findNode(state, name)
  return asApiFailure(() => {
    const o = object(body ?? {}, 'node modify')
    let type = node.type
    try {
      type = optEnum(o.node_type, 'node type', nodeTypes) ?? node.type
    } catch (e) {
      throw new ApiFailure(Rc.FAIL_INVLD_NODE_TYPE, {message: (e as Error).message})
    }
    if (hasSatellite(type) !== hasSatellite(node.type)) {
      throw new ApiFailure(Rc.FAIL_INVLD_NODE_TYPE, {message: `Node '${node.name}' cannot change from ${node.type} to ${type}.`,
        cause: 'Only nodes of the same kind (with or without a satellite) can be converted into each other.'})
    }
    const next: NodeRec = {...node, type, props: modifyProps(node.props, o)}
    return {node: next, changes: [{t: 'nodes', k: nameKey(node.name), v: next}]}
  })
}

/** Records that belong to a node: its storage pools, and its resources. */
function nodeOwned(state: ClusterState, node: string): {pools: string[], rscs: string[]} {
  return {
    pools: poolsOnNode(state, node).map((p) => key2(p.node, p.name)),
    rscs: rscsOnNode(state, node).map((r) => key2(r.rscDfn, r.node)),
  }
}

/** Node delete: only a node without resources; its storage pools go with it. */
export function deleteNode(state: ClusterState, name: string): Change[] {
  const node = findNode(state, name)
  if (node.flags.includes('EVICTED')) {
    throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `Node '${node.name}' is evicted and cannot be deleted.`,
      correction: `Use 'node restore ${node.name}' to take it back, or 'node lost ${node.name}' to forget it and everything on it.`})
  }
  const owned = nodeOwned(state, node.name)
  if (owned.rscs.length) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Node '${node.name}' still has ${owned.rscs.length} resource(s).`,
      cause: 'Deleting the node would orphan their data.',
      correction: `Delete or move the resources first, or use 'node lost' if the node is gone for good.`})
  }
  return [{t: 'nodes', k: nameKey(node.name)}, ...owned.pools.map((k): Change => ({t: 'storPools', k}))]
}

/** Node lost: the node is gone for good; forget it and everything on it without asking it. */
export function lostNodeChanges(state: ClusterState, name: string): Change[] {
  const node = findNode(state, name)
  const owned = nodeOwned(state, node.name)
  return [{t: 'nodes', k: nameKey(node.name)}, ...owned.pools.map((k): Change => ({t: 'storPools', k})),
    ...owned.rscs.map((k): Change => ({t: 'rscs', k}))]
}

export function createNetIf(state: ClusterState, nodeName: string, body: unknown, ids: Ids): {netIf: NetIfRec, changes: Change[]} {
  const node = findNode(state, nodeName)
  return asApiFailure(() => {
    const netIf = readNetIf(body, ids, node.type)
    if (node.netIfs.some((n) => nameKey(n.name) === nameKey(netIf.name))) {
      throw new ApiFailure(Rc.FAIL_EXISTS_NET_IF, {message: `Net interface '${netIf.name}' already exists on node '${node.name}'.`})
    }
    const next: NodeRec = {...node, netIfs: [...node.netIfs, netIf]}
    if (optBool(object(body, 'net interface').is_active, 'is_active')) next.props = {...next.props, CurStltConnName: netIf.name}
    return {netIf, changes: [{t: 'nodes', k: nameKey(node.name), v: next}]}
  })
}

export function modifyNetIf(state: ClusterState, nodeName: string, ifName: string, body: unknown, ids: Ids): Change[] {
  const node = findNode(state, nodeName)
  const old = node.netIfs.find((n) => nameKey(n.name) === nameKey(ifName))
  if (!old) throw new ApiFailure(Rc.FAIL_NOT_FOUND_NET_IF, {message: `Net interface '${ifName}' on node '${node.name}' not found.`})
  return asApiFailure(() => {
    const o = object(body ?? {}, 'net interface')
    const merged = readNetIf({name: old.name, address: o.address ?? old.address, satellite_port: o.satellite_port ?? old.port,
      satellite_encryption_type: o.satellite_encryption_type ?? old.encryption}, ids, node.type)
    const next: NodeRec = {...node, netIfs: node.netIfs.map((n) => (n === old ? {...merged, uuid: old.uuid} : n))}
    if (optBool(o.is_active, 'is_active')) next.props = {...next.props, CurStltConnName: old.name}
    return [{t: 'nodes', k: nameKey(node.name), v: next}]
  })
}

export function deleteNetIf(state: ClusterState, nodeName: string, ifName: string): Change[] | undefined {
  const node = findNode(state, nodeName)
  const old = node.netIfs.find((n) => nameKey(n.name) === nameKey(ifName))
  if (!old) return undefined
  if (hasSatellite(node.type) && node.netIfs.length === 1) {
    throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Net interface '${old.name}' is the only way to reach node '${node.name}'.`,
      correction: 'Create another net interface first.'})
  }
  const props = {...node.props}
  if (props.CurStltConnName === old.name) delete props.CurStltConnName
  return [{t: 'nodes', k: nameKey(node.name), v: {...node, props, netIfs: node.netIfs.filter((n) => n !== old)}}]
}
