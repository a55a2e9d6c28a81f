// `set-property` and `list-properties` of every group, and `drbd-options` / `drbd-peer-options`
// where linstor has them: which arguments name the object, and its REST path. The commands
// themselves are built by props.ts and drbd-options.ts.
import type {Properties} from '../../api/wire.ts'
import {arg, numberArg} from '../args.ts'
import {path} from '../base-command.ts'
import {nodeConnectionProps} from '../connections.ts'
import {drbdOptionsCommand} from '../drbd-options.ts'
import {listPropertiesCommand, setPropertyCommand} from '../props.ts'

type Get = <R>(p: string) => Promise<R>
const propsOf = async (get: Get, p: string): Promise<Properties> => (await get<{props?: Properties}>(p)).props ?? {}

const node = {node_name: arg('name of the node')}
export const NodeSetProperty = setPropertyCommand({summary: 'Set or remove a property of a node', target: node,
  call: (a) => ({method: 'PUT', path: path`/v1/nodes/${a.node_name as string}`})})
export const NodeListProperties = listPropertiesCommand({summary: 'List the properties of a node', target: node,
  props: (get, a) => propsOf(get, path`/v1/nodes/${a.node_name as string}`)})

const pool = {node_name: arg('name of the node of the storage pool'), name: arg('name of the storage pool')}
const poolPath = (a: Record<string, string>): string => path`/v1/nodes/${a.node_name as string}/storage-pools/${a.name as string}`
export const StoragePoolSetProperty = setPropertyCommand({summary: 'Set or remove a property of a storage pool on a node', target: pool,
  call: (a) => ({method: 'PUT', path: poolPath(a)})})
export const StoragePoolListProperties = listPropertiesCommand({summary: 'List the properties of a storage pool on a node', target: pool,
  props: (get, a) => propsOf(get, poolPath(a))})

const spd = {name: arg('name of the storage pool definition')}
const spdPath = (a: Record<string, string>): string => path`/v1/storage-pool-definitions/${a.name as string}`
export const StoragePoolDefinitionSetProperty = setPropertyCommand({summary: 'Set or remove a property of a storage pool definition', target: spd,
  call: (a) => ({method: 'PUT', path: spdPath(a)})})
export const StoragePoolDefinitionListProperties = listPropertiesCommand({summary: 'List the properties of a storage pool definition', target: spd,
  props: (get, a) => propsOf(get, spdPath(a))})

const rg = {name: arg('name of the resource group')}
export const ResourceGroupSetProperty = setPropertyCommand({summary: 'Set or remove a property of a resource group', target: rg,
  call: (a) => ({method: 'PUT', path: path`/v1/resource-groups/${a.name as string}`})})
export const ResourceGroupDrbdOptions = drbdOptionsCommand({summary: 'Set or remove DRBD options of a resource group', target: rg,
  object: 'resource-group', call: (a) => ({method: 'PUT', path: path`/v1/resource-groups/${a.name as string}`})})
export const ResourceGroupListProperties = listPropertiesCommand({summary: 'List the properties of a resource group', target: rg,
  props: (get, a) => propsOf(get, path`/v1/resource-groups/${a.name as string}`)})

const vg = {name: arg('name of the resource group'), volume_nr: numberArg('volume number')}
const vgPath = (a: Record<string, string>): string => path`/v1/resource-groups/${a.name as string}/volume-groups/${a.volume_nr as string}`
export const VolumeGroupSetProperty = setPropertyCommand({summary: 'Set or remove a property of a volume group', target: vg,
  call: (a) => ({method: 'PUT', path: vgPath(a)})})
export const VolumeGroupDrbdOptions = drbdOptionsCommand({summary: 'Set or remove DRBD disk options of a volume group', target: vg,
  object: 'volume-group', call: (a) => ({method: 'PUT', path: vgPath(a)})})
export const VolumeGroupListProperties = listPropertiesCommand({summary: 'List the properties of a volume group', target: vg,
  props: (get, a) => propsOf(get, vgPath(a))})

export const ResourceDefinitionSetProperty = setPropertyCommand({summary: 'Set or remove a property of a resource definition',
  target: {name: arg('name of the resource definition')},
  call: (a) => ({method: 'PUT', path: path`/v1/resource-definitions/${a.name as string}`})})
export const ResourceDefinitionDrbdOptions = drbdOptionsCommand({summary: 'Set or remove DRBD options of a resource definition',
  target: {resource_name: arg('name of the resource definition')}, object: 'resource-definition',
  call: (a) => ({method: 'PUT', path: path`/v1/resource-definitions/${a.resource_name as string}`})})
export const ResourceDefinitionListProperties = listPropertiesCommand({summary: 'List the properties of a resource definition',
  target: {resource_name: arg('name of the resource definition')},
  props: (get, a) => propsOf(get, path`/v1/resource-definitions/${a.resource_name as string}`)})

const vdPath = (rd: string, nr: string): string => path`/v1/resource-definitions/${rd}/volume-definitions/${nr}`
const vd = {resource_name: arg('name of the resource definition'), volume_nr: numberArg('volume number')}
export const VolumeDefinitionSetProperty = setPropertyCommand({summary: 'Set or remove a property of a volume definition', target: vd,
  call: (a) => ({method: 'PUT', path: vdPath(a.resource_name as string, String(a.volume_nr))})})
export const VolumeDefinitionDrbdOptions = drbdOptionsCommand({summary: 'Set or remove DRBD disk options of a volume definition', target: vd,
  object: 'volume-definition', call: (a) => ({method: 'PUT', path: vdPath(a.resource_name as string, String(a.volume_nr))})})
export const VolumeDefinitionListProperties = listPropertiesCommand({summary: 'List the properties of a volume definition',
  target: {resource_definition: arg('name of the resource definition'), volume_nr: numberArg('volume number')},
  props: (get, a) => propsOf(get, vdPath(a.resource_definition as string, String(a.volume_nr)))})

const rsc = {node_name: arg('node the resource is deployed on'), resource_name: arg('name of the resource')}
const rscPath = (a: Record<string, string>): string => path`/v1/resource-definitions/${a.resource_name as string}/resources/${a.node_name as string}`
export const ResourceSetProperty = setPropertyCommand({summary: 'Set or remove a property of a resource on a node', target: rsc,
  call: (a) => ({method: 'PUT', path: rscPath(a)})})
export const ResourceListProperties = listPropertiesCommand({summary: 'List the properties of a resource on a node', target: rsc,
  props: (get, a) => propsOf(get, rscPath(a))})

const vlm = {...rsc, volume_number: numberArg('volume number')}
const vlmPath = (a: Record<string, string>): string => `${rscPath(a)}/volumes/${encodeURIComponent(String(a.volume_number))}`
export const VolumeSetProperty = setPropertyCommand({summary: 'Set or remove a property of a volume of a resource on a node', target: vlm,
  call: (a) => ({method: 'PUT', path: vlmPath(a)})})
export const VolumeListProperties = listPropertiesCommand({summary: 'List the properties of a volume of a resource on a node', target: vlm,
  props: (get, a) => propsOf(get, vlmPath(a))})

export const SnapshotListProperties = listPropertiesCommand({summary: 'List the properties of a snapshot',
  target: {resource_name: arg('name of the resource definition'), snapshot_name: arg('name of the snapshot')},
  props: (get, a) => propsOf(get, path`/v1/resource-definitions/${a.resource_name as string}/snapshots/${a.snapshot_name as string}`)})

export const ControllerSetProperty = setPropertyCommand({summary: 'Set or remove a controller property', target: {},
  call: () => ({method: 'POST', path: '/v1/controller/properties'})})
export const ControllerDrbdOptions = drbdOptionsCommand({summary: 'Set or remove DRBD options of the whole cluster', target: {},
  object: 'controller', call: () => ({method: 'POST', path: '/v1/controller/properties'})})
export const ControllerListProperties = listPropertiesCommand({summary: 'List the controller properties', target: {},
  props: (get) => get<Properties>('/v1/controller/properties')})

const nc = {node_name_a: arg('first node of the connection'), node_name_b: arg('second node of the connection')}
const ncPath = (a: Record<string, string>): string => path`/v1/node-connections/${a.node_name_a as string}/${a.node_name_b as string}`
export const NodeConnectionSetProperty = setPropertyCommand({summary: 'Set or remove a property of the connection between two nodes',
  target: nc, call: (a) => ({method: 'PUT', path: ncPath(a)})})
// linstor's connection commands take the DRBD peer options of a resource connection (net and peer-device).
export const NodeConnectionDrbdPeerOptions = drbdOptionsCommand({summary: 'Set or remove DRBD peer options of the connection between two nodes',
  target: nc, object: 'resource-connection', call: (a) => ({method: 'PUT', path: ncPath(a)})})
export const NodeConnectionListProperties = listPropertiesCommand({summary: 'List the properties of the connection between two nodes',
  target: nc, props: (get, a) => nodeConnectionProps(get, a.node_name_a as string, a.node_name_b as string)})

const rc = {...nc, resource_name: arg('name of the resource')}
const rcPath = (a: Record<string, string>): string =>
  path`/v1/resource-definitions/${a.resource_name as string}/resource-connections/${a.node_name_a as string}/${a.node_name_b as string}`
export const ResourceConnectionSetProperty = setPropertyCommand({summary: 'Set or remove a property of a resource connection',
  target: rc, call: (a) => ({method: 'PUT', path: rcPath(a)})})
export const ResourceConnectionDrbdPeerOptions = drbdOptionsCommand({summary: 'Set or remove DRBD peer options of a resource connection',
  target: rc, object: 'resource-connection', call: (a) => ({method: 'PUT', path: rcPath(a)})})
export const ResourceDrbdPeerOptions = drbdOptionsCommand({summary: 'Set or remove DRBD peer options between two nodes of a resource',
  target: rc, object: 'resource-connection', call: (a) => ({method: 'PUT', path: rcPath(a)})})
export const ResourceConnectionListProperties = listPropertiesCommand({summary: 'List the properties of a resource connection',
  target: rc, props: (get, a) => propsOf(get, rcPath(a))})

export const KeyValueStoreModify = setPropertyCommand({summary: 'Set or remove a key in a key-value store instance', noAux: true,
  target: {instance: arg('key-value store instance')},
  call: (a) => ({method: 'PUT', path: path`/v1/key-value-store/${a.instance as string}`})})
