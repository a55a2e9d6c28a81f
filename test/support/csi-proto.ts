// The CSI v1.9 messages described to protobufjs independently of drivers/csi/csi-schema.ts (field
// numbers and types transcribed from csi.proto), so that tests can check Cairn's codec and speak
// to the plugin with a second, unrelated protobuf implementation.
import protobuf from 'protobufjs'

const f = (id: number, type: string): protobuf.IField => ({id, type})
const rep = (id: number, type: string): protobuf.IField => ({id, type, rule: 'repeated'})
const map = (id: number): protobuf.IMapField => ({id, keyType: 'string', type: 'string'})
const secrets = map
const enumOf = (...names: string[]): protobuf.IEnum => ({values: Object.fromEntries(names.map((n, i) => [n, i]))})
const rpcCapability = (values: protobuf.IEnum): protobuf.INamespace => ({
  oneofs: {type: {oneof: ['rpc']}},
  fields: {rpc: f(1, 'RPC')},
  nested: {RPC: {fields: {type: f(1, 'Type')}, nested: {Type: values}}},
} as protobuf.INamespace)

const descriptor = {
  nested: {
    google: {nested: {protobuf: {nested: {
      BoolValue: {fields: {value: f(1, 'bool')}},
      Int64Value: {fields: {value: f(1, 'int64')}},
      Timestamp: {fields: {seconds: f(1, 'int64'), nanos: f(2, 'int32')}},
    }}}},
    csi: {nested: {v1: {nested: {
      GetPluginInfoRequest: {fields: {}},
      GetPluginInfoResponse: {fields: {name: f(1, 'string'), vendorVersion: f(2, 'string'), manifest: map(3)}},
      GetPluginCapabilitiesRequest: {fields: {}},
      GetPluginCapabilitiesResponse: {fields: {capabilities: rep(1, 'PluginCapability')}},
      PluginCapability: {
        oneofs: {type: {oneof: ['service', 'volumeExpansion']}},
        fields: {service: f(1, 'Service'), volumeExpansion: f(2, 'VolumeExpansion')},
        nested: {
          Service: {fields: {type: f(1, 'Type')}, nested: {Type: enumOf('UNKNOWN', 'CONTROLLER_SERVICE', 'VOLUME_ACCESSIBILITY_CONSTRAINTS', 'GROUP_CONTROLLER_SERVICE')}},
          VolumeExpansion: {fields: {type: f(1, 'Type')}, nested: {Type: enumOf('UNKNOWN', 'ONLINE', 'OFFLINE')}},
        },
      },
      ProbeRequest: {fields: {}},
      ProbeResponse: {fields: {ready: f(1, 'google.protobuf.BoolValue')}},
      CreateVolumeRequest: {fields: {
        name: f(1, 'string'), capacityRange: f(2, 'CapacityRange'), volumeCapabilities: rep(3, 'VolumeCapability'),
        parameters: map(4), secrets: secrets(5), volumeContentSource: f(6, 'VolumeContentSource'),
        accessibilityRequirements: f(7, 'TopologyRequirement'), mutableParameters: map(8),
      }},
      VolumeContentSource: {
        oneofs: {type: {oneof: ['snapshot', 'volume']}},
        fields: {snapshot: f(1, 'SnapshotSource'), volume: f(2, 'VolumeSource')},
        nested: {
          SnapshotSource: {fields: {snapshotId: f(1, 'string')}},
          VolumeSource: {fields: {volumeId: f(1, 'string')}},
        },
      },
      CreateVolumeResponse: {fields: {volume: f(1, 'Volume')}},
      VolumeCapability: {
        oneofs: {accessType: {oneof: ['block', 'mount']}},
        fields: {block: f(1, 'BlockVolume'), mount: f(2, 'MountVolume'), accessMode: f(3, 'AccessMode')},
        nested: {
          BlockVolume: {fields: {}},
          MountVolume: {fields: {fsType: f(1, 'string'), mountFlags: rep(2, 'string'), volumeMountGroup: f(3, 'string')}},
          AccessMode: {fields: {mode: f(1, 'Mode')}, nested: {Mode: enumOf(
            'UNKNOWN', 'SINGLE_NODE_WRITER', 'SINGLE_NODE_READER_ONLY', 'MULTI_NODE_READER_ONLY',
            'MULTI_NODE_SINGLE_WRITER', 'MULTI_NODE_MULTI_WRITER', 'SINGLE_NODE_SINGLE_WRITER', 'SINGLE_NODE_MULTI_WRITER')}},
        },
      },
      CapacityRange: {fields: {requiredBytes: f(1, 'int64'), limitBytes: f(2, 'int64')}},
      Volume: {fields: {
        capacityBytes: f(1, 'int64'), volumeId: f(2, 'string'), volumeContext: map(3),
        contentSource: f(4, 'VolumeContentSource'), accessibleTopology: rep(5, 'Topology'),
      }},
      TopologyRequirement: {fields: {requisite: rep(1, 'Topology'), preferred: rep(2, 'Topology')}},
      Topology: {fields: {segments: map(1)}},
      DeleteVolumeRequest: {fields: {volumeId: f(1, 'string'), secrets: secrets(2)}},
      DeleteVolumeResponse: {fields: {}},
      ControllerPublishVolumeRequest: {fields: {
        volumeId: f(1, 'string'), nodeId: f(2, 'string'), volumeCapability: f(3, 'VolumeCapability'),
        readonly: f(4, 'bool'), secrets: secrets(5), volumeContext: map(6),
      }},
      ControllerPublishVolumeResponse: {fields: {publishContext: map(1)}},
      ControllerUnpublishVolumeRequest: {fields: {volumeId: f(1, 'string'), nodeId: f(2, 'string'), secrets: secrets(3)}},
      ControllerUnpublishVolumeResponse: {fields: {}},
      ValidateVolumeCapabilitiesRequest: {fields: {
        volumeId: f(1, 'string'), volumeContext: map(2), volumeCapabilities: rep(3, 'VolumeCapability'),
        parameters: map(4), secrets: secrets(5), mutableParameters: map(6),
      }},
      ValidateVolumeCapabilitiesResponse: {
        fields: {confirmed: f(1, 'Confirmed'), message: f(2, 'string')},
        nested: {Confirmed: {fields: {
          volumeContext: map(1), volumeCapabilities: rep(2, 'VolumeCapability'), parameters: map(3), mutableParameters: map(4),
        }}},
      },
      ListVolumesRequest: {fields: {maxEntries: f(1, 'int32'), startingToken: f(2, 'string')}},
      ListVolumesResponse: {
        fields: {entries: rep(1, 'Entry'), nextToken: f(2, 'string')},
        nested: {
          VolumeStatus: {fields: {publishedNodeIds: rep(1, 'string'), volumeCondition: f(2, 'VolumeCondition')}},
          Entry: {fields: {volume: f(1, 'Volume'), status: f(2, 'VolumeStatus')}},
        },
      },
      GetCapacityRequest: {fields: {volumeCapabilities: rep(1, 'VolumeCapability'), parameters: map(2), accessibleTopology: f(3, 'Topology')}},
      GetCapacityResponse: {fields: {
        availableCapacity: f(1, 'int64'), maximumVolumeSize: f(2, 'google.protobuf.Int64Value'), minimumVolumeSize: f(3, 'google.protobuf.Int64Value'),
      }},
      ControllerGetCapabilitiesRequest: {fields: {}},
      ControllerGetCapabilitiesResponse: {fields: {capabilities: rep(1, 'ControllerServiceCapability')}},
      ControllerServiceCapability: rpcCapability(enumOf(
        'UNKNOWN', 'CREATE_DELETE_VOLUME', 'PUBLISH_UNPUBLISH_VOLUME', 'LIST_VOLUMES', 'GET_CAPACITY', 'CREATE_DELETE_SNAPSHOT',
        'LIST_SNAPSHOTS', 'CLONE_VOLUME', 'PUBLISH_READONLY', 'EXPAND_VOLUME', 'LIST_VOLUMES_PUBLISHED_NODES', 'VOLUME_CONDITION',
        'GET_VOLUME', 'SINGLE_NODE_MULTI_WRITER', 'MODIFY_VOLUME')),
      CreateSnapshotRequest: {fields: {sourceVolumeId: f(1, 'string'), name: f(2, 'string'), secrets: secrets(3), parameters: map(4)}},
      CreateSnapshotResponse: {fields: {snapshot: f(1, 'Snapshot')}},
      Snapshot: {fields: {
        sizeBytes: f(1, 'int64'), snapshotId: f(2, 'string'), sourceVolumeId: f(3, 'string'),
        creationTime: f(4, 'google.protobuf.Timestamp'), readyToUse: f(5, 'bool'), groupSnapshotId: f(6, 'string'),
      }},
      DeleteSnapshotRequest: {fields: {snapshotId: f(1, 'string'), secrets: secrets(2)}},
      DeleteSnapshotResponse: {fields: {}},
      ListSnapshotsRequest: {fields: {
        maxEntries: f(1, 'int32'), startingToken: f(2, 'string'), sourceVolumeId: f(3, 'string'), snapshotId: f(4, 'string'), secrets: secrets(5),
      }},
      ListSnapshotsResponse: {
        fields: {entries: rep(1, 'Entry'), nextToken: f(2, 'string')},
        nested: {Entry: {fields: {snapshot: f(1, 'Snapshot')}}},
      },
      ControllerExpandVolumeRequest: {fields: {
        volumeId: f(1, 'string'), capacityRange: f(2, 'CapacityRange'), secrets: secrets(3), volumeCapability: f(4, 'VolumeCapability'),
      }},
      ControllerExpandVolumeResponse: {fields: {capacityBytes: f(1, 'int64'), nodeExpansionRequired: f(2, 'bool')}},
      NodeStageVolumeRequest: {fields: {
        volumeId: f(1, 'string'), publishContext: map(2), stagingTargetPath: f(3, 'string'),
        volumeCapability: f(4, 'VolumeCapability'), secrets: secrets(5), volumeContext: map(6),
      }},
      NodeStageVolumeResponse: {fields: {}},
      NodeUnstageVolumeRequest: {fields: {volumeId: f(1, 'string'), stagingTargetPath: f(2, 'string')}},
      NodeUnstageVolumeResponse: {fields: {}},
      NodePublishVolumeRequest: {fields: {
        volumeId: f(1, 'string'), publishContext: map(2), stagingTargetPath: f(3, 'string'), targetPath: f(4, 'string'),
        volumeCapability: f(5, 'VolumeCapability'), readonly: f(6, 'bool'), secrets: secrets(7), volumeContext: map(8),
      }},
      NodePublishVolumeResponse: {fields: {}},
      NodeUnpublishVolumeRequest: {fields: {volumeId: f(1, 'string'), targetPath: f(2, 'string')}},
      NodeUnpublishVolumeResponse: {fields: {}},
      NodeGetVolumeStatsRequest: {fields: {volumeId: f(1, 'string'), volumePath: f(2, 'string'), stagingTargetPath: f(3, 'string')}},
      NodeGetVolumeStatsResponse: {fields: {usage: rep(1, 'VolumeUsage'), volumeCondition: f(2, 'VolumeCondition')}},
      VolumeUsage: {
        fields: {available: f(1, 'int64'), total: f(2, 'int64'), used: f(3, 'int64'), unit: f(4, 'Unit')},
        nested: {Unit: enumOf('UNKNOWN', 'BYTES', 'INODES')},
      },
      VolumeCondition: {fields: {abnormal: f(1, 'bool'), message: f(2, 'string')}},
      NodeGetCapabilitiesRequest: {fields: {}},
      NodeGetCapabilitiesResponse: {fields: {capabilities: rep(1, 'NodeServiceCapability')}},
      NodeServiceCapability: rpcCapability(enumOf(
        'UNKNOWN', 'STAGE_UNSTAGE_VOLUME', 'GET_VOLUME_STATS', 'EXPAND_VOLUME', 'VOLUME_CONDITION', 'SINGLE_NODE_MULTI_WRITER', 'VOLUME_MOUNT_GROUP')),
      NodeGetInfoRequest: {fields: {}},
      NodeGetInfoResponse: {fields: {nodeId: f(1, 'string'), maxVolumesPerNode: f(2, 'int64'), accessibleTopology: f(3, 'Topology')}},
      NodeExpandVolumeRequest: {fields: {
        volumeId: f(1, 'string'), volumePath: f(2, 'string'), capacityRange: f(3, 'CapacityRange'),
        stagingTargetPath: f(4, 'string'), volumeCapability: f(5, 'VolumeCapability'), secrets: secrets(6),
      }},
      NodeExpandVolumeResponse: {fields: {capacityBytes: f(1, 'int64')}},
    }}}},
  },
} as protobuf.INamespace

export const csiProtoRoot = protobuf.Root.fromJSON(descriptor).resolveAll()

/** Any message without fields (most CSI replies), kept outside the root the codec is compared with. */
const EMPTY = new protobuf.Root().add(new protobuf.Type('Empty')).lookupType('Empty')

/** A CSI message type by its short name (`CreateVolumeRequest`) or its full name; `Empty` for any empty message. */
export const csiType = (name: string): protobuf.Type =>
  name === 'Empty' ? EMPTY : csiProtoRoot.lookupType(name.includes('.') ? name : `csi.v1.${name}`)
