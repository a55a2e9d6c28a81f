// The CSI v1 messages (spec v1.9) for the Identity, Controller and Node RPCs Cairn serves,
// as schemas for drivers/csi/protobuf.ts, plus a TypeScript type for each.
//
// Naming: every schema is a const and a type of the same name (`Volume` the schema,
// `Volume` the decoded object type). Fields are the camelCase form of the proto's snake_case
// names (`volume_id` → `volumeId`), as protobufjs and @grpc/proto-loader present them, because
// on the wire only field numbers count. Nested proto messages are flattened into one name
// (`VolumeCapability.AccessMode` → `VolumeCapabilityAccessMode`); `name` keeps the proto path.
// Enums are open in proto3 and therefore plain numbers; the const objects below name the values.
// Alpha fields of v1.9 are included so nothing a newer sidecar sends is silently dropped.

import {message, type Message} from './protobuf.ts'

// --- well-known wrapper types used by CSI ---------------------------------------------------

export const BoolValue = message('google.protobuf.BoolValue', {value: {no: 1, type: 'bool'}})
export type BoolValue = Message<typeof BoolValue>

export const Int64Value = message('google.protobuf.Int64Value', {value: {no: 1, type: 'int64'}})
export type Int64Value = Message<typeof Int64Value>

export const Timestamp = message('google.protobuf.Timestamp', {
  seconds: {no: 1, type: 'int64'},
  nanos: {no: 2, type: 'int32'},
})
export type Timestamp = Message<typeof Timestamp>

// --- enums ----------------------------------------------------------------------------------

/** PluginCapability.Service.Type */
export const PluginServiceType = {UNKNOWN: 0, CONTROLLER_SERVICE: 1, VOLUME_ACCESSIBILITY_CONSTRAINTS: 2, GROUP_CONTROLLER_SERVICE: 3} as const

/** PluginCapability.VolumeExpansion.Type */
export const VolumeExpansionType = {UNKNOWN: 0, ONLINE: 1, OFFLINE: 2} as const

/** VolumeCapability.AccessMode.Mode */
export const AccessMode = {
  UNKNOWN: 0,
  SINGLE_NODE_WRITER: 1,
  SINGLE_NODE_READER_ONLY: 2,
  MULTI_NODE_READER_ONLY: 3,
  MULTI_NODE_SINGLE_WRITER: 4,
  MULTI_NODE_MULTI_WRITER: 5,
  SINGLE_NODE_SINGLE_WRITER: 6,
  SINGLE_NODE_MULTI_WRITER: 7,
} as const

/** ControllerServiceCapability.RPC.Type */
export const ControllerRpcType = {
  UNKNOWN: 0,
  CREATE_DELETE_VOLUME: 1,
  PUBLISH_UNPUBLISH_VOLUME: 2,
  LIST_VOLUMES: 3,
  GET_CAPACITY: 4,
  CREATE_DELETE_SNAPSHOT: 5,
  LIST_SNAPSHOTS: 6,
  CLONE_VOLUME: 7,
  PUBLISH_READONLY: 8,
  EXPAND_VOLUME: 9,
  LIST_VOLUMES_PUBLISHED_NODES: 10,
  VOLUME_CONDITION: 11,
  GET_VOLUME: 12,
  SINGLE_NODE_MULTI_WRITER: 13,
  MODIFY_VOLUME: 14,
} as const

/** NodeServiceCapability.RPC.Type */
export const NodeRpcType = {
  UNKNOWN: 0,
  STAGE_UNSTAGE_VOLUME: 1,
  GET_VOLUME_STATS: 2,
  EXPAND_VOLUME: 3,
  VOLUME_CONDITION: 4,
  SINGLE_NODE_MULTI_WRITER: 5,
  VOLUME_MOUNT_GROUP: 6,
} as const

/** VolumeUsage.Unit */
export const VolumeUsageUnit = {UNKNOWN: 0, BYTES: 1, INODES: 2} as const

// --- shared messages ------------------------------------------------------------------------

export const CapacityRange = message('csi.v1.CapacityRange', {
  requiredBytes: {no: 1, type: 'int64'},
  limitBytes: {no: 2, type: 'int64'},
})
export type CapacityRange = Message<typeof CapacityRange>

export const Topology = message('csi.v1.Topology', {
  segments: {no: 1, type: 'map'},
})
export type Topology = Message<typeof Topology>

export const TopologyRequirement = message('csi.v1.TopologyRequirement', {
  requisite: {no: 1, type: 'message', message: Topology, repeated: true},
  preferred: {no: 2, type: 'message', message: Topology, repeated: true},
})
export type TopologyRequirement = Message<typeof TopologyRequirement>

export const VolumeContentSourceSnapshot = message('csi.v1.VolumeContentSource.SnapshotSource', {
  snapshotId: {no: 1, type: 'string'},
})
export type VolumeContentSourceSnapshot = Message<typeof VolumeContentSourceSnapshot>

export const VolumeContentSourceVolume = message('csi.v1.VolumeContentSource.VolumeSource', {
  volumeId: {no: 1, type: 'string'},
})
export type VolumeContentSourceVolume = Message<typeof VolumeContentSourceVolume>

export const VolumeContentSource = message('csi.v1.VolumeContentSource', {
  snapshot: {no: 1, type: 'message', message: VolumeContentSourceSnapshot, oneof: 'type'},
  volume: {no: 2, type: 'message', message: VolumeContentSourceVolume, oneof: 'type'},
})
export type VolumeContentSource = Message<typeof VolumeContentSource>

export const VolumeCapabilityBlock = message('csi.v1.VolumeCapability.BlockVolume', {})
export type VolumeCapabilityBlock = Message<typeof VolumeCapabilityBlock>

export const VolumeCapabilityMount = message('csi.v1.VolumeCapability.MountVolume', {
  fsType: {no: 1, type: 'string'},
  mountFlags: {no: 2, type: 'string', repeated: true},
  volumeMountGroup: {no: 3, type: 'string'},
})
export type VolumeCapabilityMount = Message<typeof VolumeCapabilityMount>

export const VolumeCapabilityAccessMode = message('csi.v1.VolumeCapability.AccessMode', {
  mode: {no: 1, type: 'enum'},
})
export type VolumeCapabilityAccessMode = Message<typeof VolumeCapabilityAccessMode>

export const VolumeCapability = message('csi.v1.VolumeCapability', {
  block: {no: 1, type: 'message', message: VolumeCapabilityBlock, oneof: 'accessType'},
  mount: {no: 2, type: 'message', message: VolumeCapabilityMount, oneof: 'accessType'},
  accessMode: {no: 3, type: 'message', message: VolumeCapabilityAccessMode},
})
export type VolumeCapability = Message<typeof VolumeCapability>

export const Volume = message('csi.v1.Volume', {
  capacityBytes: {no: 1, type: 'int64'},
  volumeId: {no: 2, type: 'string'},
  volumeContext: {no: 3, type: 'map'},
  contentSource: {no: 4, type: 'message', message: VolumeContentSource},
  accessibleTopology: {no: 5, type: 'message', message: Topology, repeated: true},
})
export type Volume = Message<typeof Volume>

export const VolumeCondition = message('csi.v1.VolumeCondition', {
  abnormal: {no: 1, type: 'bool'},
  message: {no: 2, type: 'string'},
})
export type VolumeCondition = Message<typeof VolumeCondition>

export const Snapshot = message('csi.v1.Snapshot', {
  sizeBytes: {no: 1, type: 'int64'},
  snapshotId: {no: 2, type: 'string'},
  sourceVolumeId: {no: 3, type: 'string'},
  creationTime: {no: 4, type: 'message', message: Timestamp},
  readyToUse: {no: 5, type: 'bool'},
  groupSnapshotId: {no: 6, type: 'string'},
})
export type Snapshot = Message<typeof Snapshot>

export const VolumeUsage = message('csi.v1.VolumeUsage', {
  available: {no: 1, type: 'int64'},
  total: {no: 2, type: 'int64'},
  used: {no: 3, type: 'int64'},
  unit: {no: 4, type: 'enum'},
})
export type VolumeUsage = Message<typeof VolumeUsage>

// --- Identity -------------------------------------------------------------------------------

export const GetPluginInfoRequest = message('csi.v1.GetPluginInfoRequest', {})
export type GetPluginInfoRequest = Message<typeof GetPluginInfoRequest>

export const GetPluginInfoResponse = message('csi.v1.GetPluginInfoResponse', {
  name: {no: 1, type: 'string'},
  vendorVersion: {no: 2, type: 'string'},
  manifest: {no: 3, type: 'map'},
})
export type GetPluginInfoResponse = Message<typeof GetPluginInfoResponse>

export const GetPluginCapabilitiesRequest = message('csi.v1.GetPluginCapabilitiesRequest', {})
export type GetPluginCapabilitiesRequest = Message<typeof GetPluginCapabilitiesRequest>

export const PluginCapabilityService = message('csi.v1.PluginCapability.Service', {
  type: {no: 1, type: 'enum'},
})
export type PluginCapabilityService = Message<typeof PluginCapabilityService>

export const PluginCapabilityVolumeExpansion = message('csi.v1.PluginCapability.VolumeExpansion', {
  type: {no: 1, type: 'enum'},
})
export type PluginCapabilityVolumeExpansion = Message<typeof PluginCapabilityVolumeExpansion>

export const PluginCapability = message('csi.v1.PluginCapability', {
  service: {no: 1, type: 'message', message: PluginCapabilityService, oneof: 'type'},
  volumeExpansion: {no: 2, type: 'message', message: PluginCapabilityVolumeExpansion, oneof: 'type'},
})
export type PluginCapability = Message<typeof PluginCapability>

export const GetPluginCapabilitiesResponse = message('csi.v1.GetPluginCapabilitiesResponse', {
  capabilities: {no: 1, type: 'message', message: PluginCapability, repeated: true},
})
export type GetPluginCapabilitiesResponse = Message<typeof GetPluginCapabilitiesResponse>

export const ProbeRequest = message('csi.v1.ProbeRequest', {})
export type ProbeRequest = Message<typeof ProbeRequest>

export const ProbeResponse = message('csi.v1.ProbeResponse', {
  // A wrapper so "not set" (assume ready) differs from false (still initialising).
  ready: {no: 1, type: 'message', message: BoolValue},
})
export type ProbeResponse = Message<typeof ProbeResponse>

// --- Controller -----------------------------------------------------------------------------

export const CreateVolumeRequest = message('csi.v1.CreateVolumeRequest', {
  name: {no: 1, type: 'string'},
  capacityRange: {no: 2, type: 'message', message: CapacityRange},
  volumeCapabilities: {no: 3, type: 'message', message: VolumeCapability, repeated: true},
  parameters: {no: 4, type: 'map'},
  secrets: {no: 5, type: 'map'},
  volumeContentSource: {no: 6, type: 'message', message: VolumeContentSource},
  accessibilityRequirements: {no: 7, type: 'message', message: TopologyRequirement},
  mutableParameters: {no: 8, type: 'map'},
})
export type CreateVolumeRequest = Message<typeof CreateVolumeRequest>

export const CreateVolumeResponse = message('csi.v1.CreateVolumeResponse', {
  volume: {no: 1, type: 'message', message: Volume},
})
export type CreateVolumeResponse = Message<typeof CreateVolumeResponse>

export const DeleteVolumeRequest = message('csi.v1.DeleteVolumeRequest', {
  volumeId: {no: 1, type: 'string'},
  secrets: {no: 2, type: 'map'},
})
export type DeleteVolumeRequest = Message<typeof DeleteVolumeRequest>

export const DeleteVolumeResponse = message('csi.v1.DeleteVolumeResponse', {})
export type DeleteVolumeResponse = Message<typeof DeleteVolumeResponse>

export const ControllerPublishVolumeRequest = message('csi.v1.ControllerPublishVolumeRequest', {
  volumeId: {no: 1, type: 'string'},
  nodeId: {no: 2, type: 'string'},
  volumeCapability: {no: 3, type: 'message', message: VolumeCapability},
  readonly: {no: 4, type: 'bool'},
  secrets: {no: 5, type: 'map'},
  volumeContext: {no: 6, type: 'map'},
})
export type ControllerPublishVolumeRequest = Message<typeof ControllerPublishVolumeRequest>

export const ControllerPublishVolumeResponse = message('csi.v1.ControllerPublishVolumeResponse', {
  publishContext: {no: 1, type: 'map'},
})
export type ControllerPublishVolumeResponse = Message<typeof ControllerPublishVolumeResponse>

export const ControllerUnpublishVolumeRequest = message('csi.v1.ControllerUnpublishVolumeRequest', {
  volumeId: {no: 1, type: 'string'},
  nodeId: {no: 2, type: 'string'},
  secrets: {no: 3, type: 'map'},
})
export type ControllerUnpublishVolumeRequest = Message<typeof ControllerUnpublishVolumeRequest>

export const ControllerUnpublishVolumeResponse = message('csi.v1.ControllerUnpublishVolumeResponse', {})
export type ControllerUnpublishVolumeResponse = Message<typeof ControllerUnpublishVolumeResponse>

export const ValidateVolumeCapabilitiesRequest = message('csi.v1.ValidateVolumeCapabilitiesRequest', {
  volumeId: {no: 1, type: 'string'},
  volumeContext: {no: 2, type: 'map'},
  volumeCapabilities: {no: 3, type: 'message', message: VolumeCapability, repeated: true},
  parameters: {no: 4, type: 'map'},
  secrets: {no: 5, type: 'map'},
  mutableParameters: {no: 6, type: 'map'},
})
export type ValidateVolumeCapabilitiesRequest = Message<typeof ValidateVolumeCapabilitiesRequest>

export const ValidateVolumeCapabilitiesConfirmed = message('csi.v1.ValidateVolumeCapabilitiesResponse.Confirmed', {
  volumeContext: {no: 1, type: 'map'},
  volumeCapabilities: {no: 2, type: 'message', message: VolumeCapability, repeated: true},
  parameters: {no: 3, type: 'map'},
  mutableParameters: {no: 4, type: 'map'},
})
export type ValidateVolumeCapabilitiesConfirmed = Message<typeof ValidateVolumeCapabilitiesConfirmed>

export const ValidateVolumeCapabilitiesResponse = message('csi.v1.ValidateVolumeCapabilitiesResponse', {
  confirmed: {no: 1, type: 'message', message: ValidateVolumeCapabilitiesConfirmed},
  message: {no: 2, type: 'string'},
})
export type ValidateVolumeCapabilitiesResponse = Message<typeof ValidateVolumeCapabilitiesResponse>

export const ListVolumesRequest = message('csi.v1.ListVolumesRequest', {
  maxEntries: {no: 1, type: 'int32'},
  startingToken: {no: 2, type: 'string'},
})
export type ListVolumesRequest = Message<typeof ListVolumesRequest>

export const ListVolumesVolumeStatus = message('csi.v1.ListVolumesResponse.VolumeStatus', {
  publishedNodeIds: {no: 1, type: 'string', repeated: true},
  volumeCondition: {no: 2, type: 'message', message: VolumeCondition},
})
export type ListVolumesVolumeStatus = Message<typeof ListVolumesVolumeStatus>

export const ListVolumesEntry = message('csi.v1.ListVolumesResponse.Entry', {
  volume: {no: 1, type: 'message', message: Volume},
  status: {no: 2, type: 'message', message: ListVolumesVolumeStatus},
})
export type ListVolumesEntry = Message<typeof ListVolumesEntry>

export const ListVolumesResponse = message('csi.v1.ListVolumesResponse', {
  entries: {no: 1, type: 'message', message: ListVolumesEntry, repeated: true},
  nextToken: {no: 2, type: 'string'},
})
export type ListVolumesResponse = Message<typeof ListVolumesResponse>

export const GetCapacityRequest = message('csi.v1.GetCapacityRequest', {
  volumeCapabilities: {no: 1, type: 'message', message: VolumeCapability, repeated: true},
  parameters: {no: 2, type: 'map'},
  accessibleTopology: {no: 3, type: 'message', message: Topology},
})
export type GetCapacityRequest = Message<typeof GetCapacityRequest>

export const GetCapacityResponse = message('csi.v1.GetCapacityResponse', {
  availableCapacity: {no: 1, type: 'int64'},
  // Wrappers: "unset" means no limit, which a plain 0 could not express.
  maximumVolumeSize: {no: 2, type: 'message', message: Int64Value},
  minimumVolumeSize: {no: 3, type: 'message', message: Int64Value},
})
export type GetCapacityResponse = Message<typeof GetCapacityResponse>

export const ControllerGetCapabilitiesRequest = message('csi.v1.ControllerGetCapabilitiesRequest', {})
export type ControllerGetCapabilitiesRequest = Message<typeof ControllerGetCapabilitiesRequest>

export const ControllerServiceCapabilityRpc = message('csi.v1.ControllerServiceCapability.RPC', {
  type: {no: 1, type: 'enum'},
})
export type ControllerServiceCapabilityRpc = Message<typeof ControllerServiceCapabilityRpc>

export const ControllerServiceCapability = message('csi.v1.ControllerServiceCapability', {
  rpc: {no: 1, type: 'message', message: ControllerServiceCapabilityRpc, oneof: 'type'},
})
export type ControllerServiceCapability = Message<typeof ControllerServiceCapability>

export const ControllerGetCapabilitiesResponse = message('csi.v1.ControllerGetCapabilitiesResponse', {
  capabilities: {no: 1, type: 'message', message: ControllerServiceCapability, repeated: true},
})
export type ControllerGetCapabilitiesResponse = Message<typeof ControllerGetCapabilitiesResponse>

export const CreateSnapshotRequest = message('csi.v1.CreateSnapshotRequest', {
  sourceVolumeId: {no: 1, type: 'string'},
  name: {no: 2, type: 'string'},
  secrets: {no: 3, type: 'map'},
  parameters: {no: 4, type: 'map'},
})
export type CreateSnapshotRequest = Message<typeof CreateSnapshotRequest>

export const CreateSnapshotResponse = message('csi.v1.CreateSnapshotResponse', {
  snapshot: {no: 1, type: 'message', message: Snapshot},
})
export type CreateSnapshotResponse = Message<typeof CreateSnapshotResponse>

export const DeleteSnapshotRequest = message('csi.v1.DeleteSnapshotRequest', {
  snapshotId: {no: 1, type: 'string'},
  secrets: {no: 2, type: 'map'},
})
export type DeleteSnapshotRequest = Message<typeof DeleteSnapshotRequest>

export const DeleteSnapshotResponse = message('csi.v1.DeleteSnapshotResponse', {})
export type DeleteSnapshotResponse = Message<typeof DeleteSnapshotResponse>

export const ListSnapshotsRequest = message('csi.v1.ListSnapshotsRequest', {
  maxEntries: {no: 1, type: 'int32'},
  startingToken: {no: 2, type: 'string'},
  sourceVolumeId: {no: 3, type: 'string'},
  snapshotId: {no: 4, type: 'string'},
  secrets: {no: 5, type: 'map'},
})
export type ListSnapshotsRequest = Message<typeof ListSnapshotsRequest>

export const ListSnapshotsEntry = message('csi.v1.ListSnapshotsResponse.Entry', {
  snapshot: {no: 1, type: 'message', message: Snapshot},
})
export type ListSnapshotsEntry = Message<typeof ListSnapshotsEntry>

export const ListSnapshotsResponse = message('csi.v1.ListSnapshotsResponse', {
  entries: {no: 1, type: 'message', message: ListSnapshotsEntry, repeated: true},
  nextToken: {no: 2, type: 'string'},
})
export type ListSnapshotsResponse = Message<typeof ListSnapshotsResponse>

export const ControllerExpandVolumeRequest = message('csi.v1.ControllerExpandVolumeRequest', {
  volumeId: {no: 1, type: 'string'},
  capacityRange: {no: 2, type: 'message', message: CapacityRange},
  secrets: {no: 3, type: 'map'},
  volumeCapability: {no: 4, type: 'message', message: VolumeCapability},
})
export type ControllerExpandVolumeRequest = Message<typeof ControllerExpandVolumeRequest>

export const ControllerExpandVolumeResponse = message('csi.v1.ControllerExpandVolumeResponse', {
  capacityBytes: {no: 1, type: 'int64'},
  nodeExpansionRequired: {no: 2, type: 'bool'},
})
export type ControllerExpandVolumeResponse = Message<typeof ControllerExpandVolumeResponse>

// --- Node -----------------------------------------------------------------------------------

export const NodeStageVolumeRequest = message('csi.v1.NodeStageVolumeRequest', {
  volumeId: {no: 1, type: 'string'},
  publishContext: {no: 2, type: 'map'},
  stagingTargetPath: {no: 3, type: 'string'},
  volumeCapability: {no: 4, type: 'message', message: VolumeCapability},
  secrets: {no: 5, type: 'map'},
  volumeContext: {no: 6, type: 'map'},
})
export type NodeStageVolumeRequest = Message<typeof NodeStageVolumeRequest>

export const NodeStageVolumeResponse = message('csi.v1.NodeStageVolumeResponse', {})
export type NodeStageVolumeResponse = Message<typeof NodeStageVolumeResponse>

export const NodeUnstageVolumeRequest = message('csi.v1.NodeUnstageVolumeRequest', {
  volumeId: {no: 1, type: 'string'},
  stagingTargetPath: {no: 2, type: 'string'},
})
export type NodeUnstageVolumeRequest = Message<typeof NodeUnstageVolumeRequest>

export const NodeUnstageVolumeResponse = message('csi.v1.NodeUnstageVolumeResponse', {})
export type NodeUnstageVolumeResponse = Message<typeof NodeUnstageVolumeResponse>

export const NodePublishVolumeRequest = message('csi.v1.NodePublishVolumeRequest', {
  volumeId: {no: 1, type: 'string'},
  publishContext: {no: 2, type: 'map'},
  stagingTargetPath: {no: 3, type: 'string'},
  targetPath: {no: 4, type: 'string'},
  volumeCapability: {no: 5, type: 'message', message: VolumeCapability},
  readonly: {no: 6, type: 'bool'},
  secrets: {no: 7, type: 'map'},
  volumeContext: {no: 8, type: 'map'},
})
export type NodePublishVolumeRequest = Message<typeof NodePublishVolumeRequest>

export const NodePublishVolumeResponse = message('csi.v1.NodePublishVolumeResponse', {})
export type NodePublishVolumeResponse = Message<typeof NodePublishVolumeResponse>

export const NodeUnpublishVolumeRequest = message('csi.v1.NodeUnpublishVolumeRequest', {
  volumeId: {no: 1, type: 'string'},
  targetPath: {no: 2, type: 'string'},
})
export type NodeUnpublishVolumeRequest = Message<typeof NodeUnpublishVolumeRequest>

export const NodeUnpublishVolumeResponse = message('csi.v1.NodeUnpublishVolumeResponse', {})
export type NodeUnpublishVolumeResponse = Message<typeof NodeUnpublishVolumeResponse>

export const NodeGetVolumeStatsRequest = message('csi.v1.NodeGetVolumeStatsRequest', {
  volumeId: {no: 1, type: 'string'},
  volumePath: {no: 2, type: 'string'},
  stagingTargetPath: {no: 3, type: 'string'},
})
export type NodeGetVolumeStatsRequest = Message<typeof NodeGetVolumeStatsRequest>

export const NodeGetVolumeStatsResponse = message('csi.v1.NodeGetVolumeStatsResponse', {
  usage: {no: 1, type: 'message', message: VolumeUsage, repeated: true},
  volumeCondition: {no: 2, type: 'message', message: VolumeCondition},
})
export type NodeGetVolumeStatsResponse = Message<typeof NodeGetVolumeStatsResponse>

export const NodeExpandVolumeRequest = message('csi.v1.NodeExpandVolumeRequest', {
  volumeId: {no: 1, type: 'string'},
  volumePath: {no: 2, type: 'string'},
  capacityRange: {no: 3, type: 'message', message: CapacityRange},
  stagingTargetPath: {no: 4, type: 'string'},
  volumeCapability: {no: 5, type: 'message', message: VolumeCapability},
  secrets: {no: 6, type: 'map'},
})
export type NodeExpandVolumeRequest = Message<typeof NodeExpandVolumeRequest>

export const NodeExpandVolumeResponse = message('csi.v1.NodeExpandVolumeResponse', {
  capacityBytes: {no: 1, type: 'int64'},
})
export type NodeExpandVolumeResponse = Message<typeof NodeExpandVolumeResponse>

export const NodeGetCapabilitiesRequest = message('csi.v1.NodeGetCapabilitiesRequest', {})
export type NodeGetCapabilitiesRequest = Message<typeof NodeGetCapabilitiesRequest>

export const NodeServiceCapabilityRpc = message('csi.v1.NodeServiceCapability.RPC', {
  type: {no: 1, type: 'enum'},
})
export type NodeServiceCapabilityRpc = Message<typeof NodeServiceCapabilityRpc>

export const NodeServiceCapability = message('csi.v1.NodeServiceCapability', {
  rpc: {no: 1, type: 'message', message: NodeServiceCapabilityRpc, oneof: 'type'},
})
export type NodeServiceCapability = Message<typeof NodeServiceCapability>

export const NodeGetCapabilitiesResponse = message('csi.v1.NodeGetCapabilitiesResponse', {
  capabilities: {no: 1, type: 'message', message: NodeServiceCapability, repeated: true},
})
export type NodeGetCapabilitiesResponse = Message<typeof NodeGetCapabilitiesResponse>

export const NodeGetInfoRequest = message('csi.v1.NodeGetInfoRequest', {})
export type NodeGetInfoRequest = Message<typeof NodeGetInfoRequest>

export const NodeGetInfoResponse = message('csi.v1.NodeGetInfoResponse', {
  nodeId: {no: 1, type: 'string'},
  maxVolumesPerNode: {no: 2, type: 'int64'},
  accessibleTopology: {no: 3, type: 'message', message: Topology},
})
export type NodeGetInfoResponse = Message<typeof NodeGetInfoResponse>

// --- the RPCs -------------------------------------------------------------------------------

/** gRPC path of each served CSI RPC with its request and response schema (for routesFor()). */
export const CSI_METHODS = {
  '/csi.v1.Identity/GetPluginInfo': {request: GetPluginInfoRequest, response: GetPluginInfoResponse},
  '/csi.v1.Identity/GetPluginCapabilities': {request: GetPluginCapabilitiesRequest, response: GetPluginCapabilitiesResponse},
  '/csi.v1.Identity/Probe': {request: ProbeRequest, response: ProbeResponse},
  '/csi.v1.Controller/CreateVolume': {request: CreateVolumeRequest, response: CreateVolumeResponse},
  '/csi.v1.Controller/DeleteVolume': {request: DeleteVolumeRequest, response: DeleteVolumeResponse},
  '/csi.v1.Controller/ControllerPublishVolume': {request: ControllerPublishVolumeRequest, response: ControllerPublishVolumeResponse},
  '/csi.v1.Controller/ControllerUnpublishVolume': {request: ControllerUnpublishVolumeRequest, response: ControllerUnpublishVolumeResponse},
  '/csi.v1.Controller/ValidateVolumeCapabilities': {request: ValidateVolumeCapabilitiesRequest, response: ValidateVolumeCapabilitiesResponse},
  '/csi.v1.Controller/ListVolumes': {request: ListVolumesRequest, response: ListVolumesResponse},
  '/csi.v1.Controller/GetCapacity': {request: GetCapacityRequest, response: GetCapacityResponse},
  '/csi.v1.Controller/ControllerGetCapabilities': {request: ControllerGetCapabilitiesRequest, response: ControllerGetCapabilitiesResponse},
  '/csi.v1.Controller/CreateSnapshot': {request: CreateSnapshotRequest, response: CreateSnapshotResponse},
  '/csi.v1.Controller/DeleteSnapshot': {request: DeleteSnapshotRequest, response: DeleteSnapshotResponse},
  '/csi.v1.Controller/ListSnapshots': {request: ListSnapshotsRequest, response: ListSnapshotsResponse},
  '/csi.v1.Controller/ControllerExpandVolume': {request: ControllerExpandVolumeRequest, response: ControllerExpandVolumeResponse},
  '/csi.v1.Node/NodeStageVolume': {request: NodeStageVolumeRequest, response: NodeStageVolumeResponse},
  '/csi.v1.Node/NodeUnstageVolume': {request: NodeUnstageVolumeRequest, response: NodeUnstageVolumeResponse},
  '/csi.v1.Node/NodePublishVolume': {request: NodePublishVolumeRequest, response: NodePublishVolumeResponse},
  '/csi.v1.Node/NodeUnpublishVolume': {request: NodeUnpublishVolumeRequest, response: NodeUnpublishVolumeResponse},
  '/csi.v1.Node/NodeGetVolumeStats': {request: NodeGetVolumeStatsRequest, response: NodeGetVolumeStatsResponse},
  '/csi.v1.Node/NodeExpandVolume': {request: NodeExpandVolumeRequest, response: NodeExpandVolumeResponse},
  '/csi.v1.Node/NodeGetCapabilities': {request: NodeGetCapabilitiesRequest, response: NodeGetCapabilitiesResponse},
  '/csi.v1.Node/NodeGetInfo': {request: NodeGetInfoRequest, response: NodeGetInfoResponse},
} as const
