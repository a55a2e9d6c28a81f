// Nodes and their net interfaces. Every SATELLITE or COMBINED node gets DfltDisklessStorPool.
import {isIP} from 'node:net'
import {Rc} from '../../common/api-call-rc.ts'
import {InputError, object, optBool, optEnum, optInt, optString} from '../../common/input.ts'
import {nameKey, nameProblem} from '../../common/names.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import {readProps, type Props} from './props.ts'
import type {Change, ClusterState} from './state.ts'
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
