// The hand-written proto3 codec and CSI schemas, checked against protobufjs as an independent
// implementation: the CSI types are described to protobufjs separately (field numbers and types
// transcribed from csi.proto v1.9), then every message is encoded by one and decoded by the other.
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import protobuf from 'protobufjs'
import * as csi from '../../drivers/csi/csi-schema.ts'
import {csiProtoRoot} from '../support/csi-proto.ts'
import {decode, DecodeError, encode, message, type MessageInit, type MessageSchema} from '../../drivers/csi/protobuf.ts'

const root = csiProtoRoot

// --- converting between protobufjs objects and the codec's representation -----------------------

const int64 = (v: unknown): number | bigint => {
  const big = BigInt(String(v))
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
}

/** A message decoded by protobufjs in the codec's form, walking protobufjs's own reflection. */
function fromPbjs(type: protobuf.Type, msg: protobuf.Message): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const obj = msg as unknown as Record<string, unknown>
  for (const field of type.fieldsArray) {
    const value = obj[field.name]
    // Oneof members (and proto3 optional) only exist when they were on the wire.
    if (field.partOf && !Object.hasOwn(obj, field.name)) continue
    const one = (v: unknown): unknown => {
      if (field.resolvedType instanceof protobuf.Type) return fromPbjs(field.resolvedType, v as protobuf.Message)
      if (field.long) return int64(v)
      if (field.type === 'bytes') return new Uint8Array(v as Uint8Array)
      return v
    }
    if (field instanceof protobuf.MapField) out[field.name] = {...(value as Record<string, string>)}
    else if (field.repeated) out[field.name] = (value as unknown[]).map(one)
    else if (field.resolvedType instanceof protobuf.Type) {
      if (value !== null && value !== undefined) out[field.name] = one(value)
    } else out[field.name] = one(value)
  }
  return out
}

/** protobufjs's fromObject takes 64-bit values as strings. */
function toPbjs(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (Array.isArray(value)) return value.map(toPbjs)
  if (value instanceof Uint8Array) return value
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPbjs(v)]))
  return value
}

const pbjsEncode = (type: protobuf.Type, value: object): Uint8Array => type.encode(type.fromObject(toPbjs(value) as Record<string, unknown>)).finish()
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

// --- sample values: every field set, 64-bit values beyond 2^32 and 2^53 --------------------------

const INT64_MAX = 2n ** 63n - 1n
const OVER_2_32 = 5_000_000_000
const topology = {segments: {'topology.cairn.io/node': 'node-1', 'topology.kubernetes.io/zone': 'zone-ä'}}
const otherTopology = {segments: {'topology.cairn.io/node': 'node-2'}}
const capacityRange = {requiredBytes: OVER_2_32, limitBytes: INT64_MAX}
const mountCapability = {
  mount: {fsType: 'ext4', mountFlags: ['noatime', 'discard'], volumeMountGroup: '2000'},
  accessMode: {mode: csi.AccessMode.SINGLE_NODE_WRITER},
}
const blockCapability = {block: {}, accessMode: {mode: csi.AccessMode.MULTI_NODE_MULTI_WRITER}}
const fromSnapshot = {snapshot: {snapshotId: 'snapshot-7'}}
const fromVolume = {volume: {volumeId: 'pvc-source'}}
const volume = {
  capacityBytes: OVER_2_32,
  volumeId: 'pvc-0a1b',
  volumeContext: {'cairn.io/resource-group': 'rg1', empty: ''},
  contentSource: fromSnapshot,
  accessibleTopology: [topology, otherTopology],
}
const timestamp = {seconds: 1_700_000_000, nanos: 123_456_789}
const snapshot = {
  sizeBytes: INT64_MAX, snapshotId: 'snapshot-7', sourceVolumeId: 'pvc-0a1b',
  creationTime: timestamp, readyToUse: true, groupSnapshotId: 'group-1',
}
const condition = {abnormal: true, message: 'replica on node-2 is outdated'}
const secretMap = {password: 's3cr=t', '__proto__': 'own key, not a prototype'}
const parameters = {'csi.storage.k8s.io/fstype': 'xfs', placementCount: '2'}

// Keyed by proto name; a list where a oneof has several members worth covering.
const samples: Record<string, object[]> = {
  'google.protobuf.BoolValue': [{value: true}],
  'google.protobuf.Int64Value': [{value: -(2n ** 63n)}, {value: -1}],
  'google.protobuf.Timestamp': [timestamp, {seconds: -62_135_596_800, nanos: -1}],
  'csi.v1.CapacityRange': [capacityRange],
  'csi.v1.Topology': [topology],
  'csi.v1.TopologyRequirement': [{requisite: [topology, otherTopology], preferred: [otherTopology]}],
  'csi.v1.VolumeContentSource.SnapshotSource': [{snapshotId: 'snapshot-7'}],
  'csi.v1.VolumeContentSource.VolumeSource': [{volumeId: 'pvc-source'}],
  'csi.v1.VolumeContentSource': [fromSnapshot, fromVolume],
  'csi.v1.VolumeCapability.BlockVolume': [{}],
  'csi.v1.VolumeCapability.MountVolume': [mountCapability.mount],
  'csi.v1.VolumeCapability.AccessMode': [{mode: csi.AccessMode.SINGLE_NODE_MULTI_WRITER}, {mode: 42}],
  'csi.v1.VolumeCapability': [mountCapability, blockCapability],
  'csi.v1.Volume': [volume],
  'csi.v1.VolumeCondition': [condition],
  'csi.v1.Snapshot': [snapshot],
  'csi.v1.VolumeUsage': [{available: OVER_2_32, total: INT64_MAX, used: 1, unit: csi.VolumeUsageUnit.BYTES}],
  'csi.v1.GetPluginInfoRequest': [{}],
  'csi.v1.GetPluginInfoResponse': [{name: 'csi.cairn.io', vendorVersion: '0.1.0', manifest: {commit: 'abc', 'url': 'https://example.org/ä'}}],
  'csi.v1.GetPluginCapabilitiesRequest': [{}],
  'csi.v1.PluginCapability.Service': [{type: csi.PluginServiceType.VOLUME_ACCESSIBILITY_CONSTRAINTS}],
  'csi.v1.PluginCapability.VolumeExpansion': [{type: csi.VolumeExpansionType.ONLINE}],
  'csi.v1.PluginCapability': [{service: {type: csi.PluginServiceType.CONTROLLER_SERVICE}}, {volumeExpansion: {type: csi.VolumeExpansionType.OFFLINE}}],
  'csi.v1.GetPluginCapabilitiesResponse': [{capabilities: [
    {service: {type: csi.PluginServiceType.CONTROLLER_SERVICE}},
    {service: {type: csi.PluginServiceType.VOLUME_ACCESSIBILITY_CONSTRAINTS}},
    {volumeExpansion: {type: csi.VolumeExpansionType.ONLINE}},
    {service: {type: 0}},
  ]}],
  'csi.v1.ProbeRequest': [{}],
  // false inside the wrapper is sent as an empty wrapper, which still differs from no wrapper.
  'csi.v1.ProbeResponse': [{ready: {value: true}}, {ready: {value: false}}, {}],
  'csi.v1.CreateVolumeRequest': [{
    name: 'pvc-0a1b', capacityRange, volumeCapabilities: [mountCapability, blockCapability], parameters, secrets: secretMap,
    volumeContentSource: fromVolume, accessibilityRequirements: {requisite: [topology], preferred: [otherTopology, topology]},
    mutableParameters: {iops: '3000'},
  }],
  'csi.v1.CreateVolumeResponse': [{volume}],
  'csi.v1.DeleteVolumeRequest': [{volumeId: 'pvc-0a1b', secrets: secretMap}],
  'csi.v1.DeleteVolumeResponse': [{}],
  'csi.v1.ControllerPublishVolumeRequest': [{
    volumeId: 'pvc-0a1b', nodeId: 'node-1', volumeCapability: blockCapability, readonly: true, secrets: secretMap, volumeContext: volume.volumeContext,
  }],
  'csi.v1.ControllerPublishVolumeResponse': [{publishContext: {devicePath: '/dev/drbd1000'}}],
  'csi.v1.ControllerUnpublishVolumeRequest': [{volumeId: 'pvc-0a1b', nodeId: 'node-1', secrets: secretMap}],
  'csi.v1.ControllerUnpublishVolumeResponse': [{}],
  'csi.v1.ValidateVolumeCapabilitiesRequest': [{
    volumeId: 'pvc-0a1b', volumeContext: volume.volumeContext, volumeCapabilities: [mountCapability], parameters, secrets: secretMap, mutableParameters: {iops: '1'},
  }],
  'csi.v1.ValidateVolumeCapabilitiesResponse.Confirmed': [{
    volumeContext: volume.volumeContext, volumeCapabilities: [blockCapability, mountCapability], parameters, mutableParameters: {iops: '1'},
  }],
  'csi.v1.ValidateVolumeCapabilitiesResponse': [{confirmed: {volumeContext: {}, volumeCapabilities: [blockCapability], parameters: {}, mutableParameters: {}}, message: 'ok'}],
  'csi.v1.ListVolumesRequest': [{maxEntries: 2_147_483_647, startingToken: 'token-1'}, {maxEntries: -5, startingToken: ''}],
  'csi.v1.ListVolumesResponse.VolumeStatus': [{publishedNodeIds: ['node-1', 'node-2'], volumeCondition: condition}],
  'csi.v1.ListVolumesResponse.Entry': [{volume, status: {publishedNodeIds: ['node-1'], volumeCondition: {abnormal: false, message: ''}}}],
  'csi.v1.ListVolumesResponse': [{entries: [{volume, status: {publishedNodeIds: [], volumeCondition: condition}}, {volume: {...volume, volumeId: 'pvc-2'}}], nextToken: 'next'}],
  'csi.v1.GetCapacityRequest': [{volumeCapabilities: [mountCapability], parameters, accessibleTopology: topology}],
  'csi.v1.GetCapacityResponse': [{availableCapacity: INT64_MAX, maximumVolumeSize: {value: OVER_2_32}, minimumVolumeSize: {value: 4096}}],
  'csi.v1.ControllerGetCapabilitiesRequest': [{}],
  'csi.v1.ControllerServiceCapability.RPC': [{type: csi.ControllerRpcType.MODIFY_VOLUME}],
  'csi.v1.ControllerServiceCapability': [{rpc: {type: csi.ControllerRpcType.CREATE_DELETE_VOLUME}}],
  'csi.v1.ControllerGetCapabilitiesResponse': [{capabilities: Object.values(csi.ControllerRpcType).map((type) => ({rpc: {type}}))}],
  'csi.v1.CreateSnapshotRequest': [{sourceVolumeId: 'pvc-0a1b', name: 'snapshot-7', secrets: secretMap, parameters}],
  'csi.v1.CreateSnapshotResponse': [{snapshot}],
  'csi.v1.DeleteSnapshotRequest': [{snapshotId: 'snapshot-7', secrets: secretMap}],
  'csi.v1.DeleteSnapshotResponse': [{}],
  'csi.v1.ListSnapshotsRequest': [{maxEntries: 100, startingToken: 't', sourceVolumeId: 'pvc-0a1b', snapshotId: 'snapshot-7', secrets: secretMap}],
  'csi.v1.ListSnapshotsResponse.Entry': [{snapshot}],
  'csi.v1.ListSnapshotsResponse': [{entries: [{snapshot}, {snapshot: {...snapshot, snapshotId: 's2', readyToUse: false}}], nextToken: 'n'}],
  'csi.v1.ControllerExpandVolumeRequest': [{volumeId: 'pvc-0a1b', capacityRange, secrets: secretMap, volumeCapability: mountCapability}],
  'csi.v1.ControllerExpandVolumeResponse': [{capacityBytes: 2n ** 53n, nodeExpansionRequired: true}],
  'csi.v1.NodeStageVolumeRequest': [{
    volumeId: 'pvc-0a1b', publishContext: {devicePath: '/dev/drbd1000'}, stagingTargetPath: '/var/lib/kubelet/plugins/staging',
    volumeCapability: mountCapability, secrets: secretMap, volumeContext: volume.volumeContext,
  }],
  'csi.v1.NodeStageVolumeResponse': [{}],
  'csi.v1.NodeUnstageVolumeRequest': [{volumeId: 'pvc-0a1b', stagingTargetPath: '/staging'}],
  'csi.v1.NodeUnstageVolumeResponse': [{}],
  'csi.v1.NodePublishVolumeRequest': [{
    volumeId: 'pvc-0a1b', publishContext: {devicePath: '/dev/drbd1000'}, stagingTargetPath: '/staging', targetPath: '/pods/x/volumes/pvc',
    volumeCapability: blockCapability, readonly: true, secrets: secretMap, volumeContext: volume.volumeContext,
  }],
  'csi.v1.NodePublishVolumeResponse': [{}],
  'csi.v1.NodeUnpublishVolumeRequest': [{volumeId: 'pvc-0a1b', targetPath: '/pods/x/volumes/pvc'}],
  'csi.v1.NodeUnpublishVolumeResponse': [{}],
  'csi.v1.NodeGetVolumeStatsRequest': [{volumeId: 'pvc-0a1b', volumePath: '/pods/x/volumes/pvc', stagingTargetPath: '/staging'}],
  'csi.v1.NodeGetVolumeStatsResponse': [{
    usage: [{available: OVER_2_32, total: 2n ** 62n, used: 7, unit: csi.VolumeUsageUnit.BYTES}, {available: 10, total: 20, used: 10, unit: csi.VolumeUsageUnit.INODES}],
    volumeCondition: condition,
  }],
  'csi.v1.NodeExpandVolumeRequest': [{
    volumeId: 'pvc-0a1b', volumePath: '/pods/x/volumes/pvc', capacityRange, stagingTargetPath: '/staging', volumeCapability: mountCapability, secrets: secretMap,
  }],
  'csi.v1.NodeExpandVolumeResponse': [{capacityBytes: OVER_2_32}],
  'csi.v1.NodeGetCapabilitiesRequest': [{}],
  'csi.v1.NodeServiceCapability.RPC': [{type: csi.NodeRpcType.VOLUME_MOUNT_GROUP}],
  'csi.v1.NodeServiceCapability': [{rpc: {type: csi.NodeRpcType.STAGE_UNSTAGE_VOLUME}}],
  'csi.v1.NodeGetCapabilitiesResponse': [{capabilities: [{rpc: {type: csi.NodeRpcType.STAGE_UNSTAGE_VOLUME}}, {rpc: {type: csi.NodeRpcType.EXPAND_VOLUME}}, {rpc: {type: 0}}]}],
  'csi.v1.NodeGetInfoRequest': [{}],
  'csi.v1.NodeGetInfoResponse': [{nodeId: 'node-1', maxVolumesPerNode: 2 ** 40, accessibleTopology: topology}],
}

const schemas = Object.values(csi).filter((v): v is MessageSchema => typeof v === 'object' && v !== null && 'fields' in v && 'name' in v)

describe('CSI schemas against protobufjs', () => {
  test('every schema has samples and a protobufjs twin, and the other way round', () => {
    const ours = schemas.map((s) => s.name).sort()
    assert.deepEqual(Object.keys(samples).sort(), ours)
    const theirs: string[] = []
    const walk = (ns: protobuf.NamespaceBase): void => {
      for (const nested of ns.nestedArray) {
        if (nested instanceof protobuf.Type) theirs.push(nested.fullName.slice(1))
        if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) walk(nested)
      }
    }
    walk(root)
    assert.deepEqual(theirs.sort(), ours)
  })

  test('field numbers, kinds and repetition agree field by field', () => {
    for (const schema of schemas) {
      const type = root.lookupType(schema.name)
      assert.deepEqual(Object.keys(schema.fields).sort(), type.fieldsArray.map((x) => x.name).sort(), schema.name)
      for (const [name, field] of Object.entries(schema.fields)) {
        const twin = type.fields[name]
        assert.ok(twin, `${schema.name}.${name}`)
        const kind = twin instanceof protobuf.MapField ? 'map'
          : twin.resolvedType instanceof protobuf.Type ? 'message'
          : twin.resolvedType instanceof protobuf.Enum ? 'enum'
          : twin.type
        assert.deepEqual([field.no, field.type, 'repeated' in field && !!field.repeated, 'oneof' in field && field.oneof !== undefined],
          [twin.id, kind, twin.repeated && !(twin instanceof protobuf.MapField), !!twin.partOf], `${schema.name}.${name}`)
        if (field.type === 'message') assert.equal(field.message.name, twin.resolvedType?.fullName.slice(1), `${schema.name}.${name}`)
      }
    }
  })

  test('the enum constants match the protobufjs enums', () => {
    const values = (path: string): Record<string, number> => ({...root.lookupEnum(path).values})
    assert.deepEqual(csi.PluginServiceType, values('csi.v1.PluginCapability.Service.Type'))
    assert.deepEqual(csi.VolumeExpansionType, values('csi.v1.PluginCapability.VolumeExpansion.Type'))
    assert.deepEqual(csi.AccessMode, values('csi.v1.VolumeCapability.AccessMode.Mode'))
    assert.deepEqual(csi.ControllerRpcType, values('csi.v1.ControllerServiceCapability.RPC.Type'))
    assert.deepEqual(csi.NodeRpcType, values('csi.v1.NodeServiceCapability.RPC.Type'))
    assert.deepEqual(csi.VolumeUsageUnit, values('csi.v1.VolumeUsage.Unit'))
  })

  for (const schema of schemas) {
    const list = samples[schema.name] ?? []
    list.forEach((sample, i) => {
      test(`${schema.name} #${i}: ours → protobufjs, protobufjs → ours, same bytes`, () => {
        const type = root.lookupType(schema.name)
        const ours = encode(schema, sample as MessageInit<MessageSchema>)
        assert.deepEqual(decode(schema, ours), sample, 'our own round trip')
        assert.deepEqual(fromPbjs(type, type.decode(ours)), sample, 'protobufjs reads ours')
        const theirs = pbjsEncode(type, sample)
        assert.deepEqual(decode(schema, theirs), sample, 'we read protobufjs')
        assert.equal(hex(ours), hex(theirs), 'both write the same bytes')
      })
    })
  }

  test('empty messages are zero bytes and decode to their defaults', () => {
    assert.equal(encode(csi.ProbeRequest, {}).length, 0)
    assert.deepEqual(decode(csi.NodeGetInfoRequest, new Uint8Array()), {})
    assert.deepEqual(decode(csi.CreateVolumeRequest, new Uint8Array()), {
      name: '', volumeCapabilities: [], parameters: {}, secrets: {}, mutableParameters: {},
    })
    const type = root.lookupType('csi.v1.Volume')
    assert.deepEqual(fromPbjs(type, type.decode(encode(csi.Volume, {}))), decode(csi.Volume, new Uint8Array()))
  })

  test('64-bit values come back as numbers while safe and as bigints beyond', () => {
    const type = root.lookupType('csi.v1.CapacityRange')
    const bytes = pbjsEncode(type, {requiredBytes: '9007199254740991', limitBytes: '9007199254740993'})
    const decoded = decode(csi.CapacityRange, bytes)
    assert.equal(decoded.requiredBytes, Number.MAX_SAFE_INTEGER)
    assert.equal(decoded.limitBytes, 9007199254740993n)
    const unsafe = decode(csi.Volume, encode(csi.Volume, {capacityBytes: -(2n ** 63n)}))
    assert.equal(unsafe.capacityBytes, -(2n ** 63n))
  })

  test('a oneof member set to an empty message is still sent (block access)', () => {
    const bytes = encode(csi.VolumeCapability, {block: {}})
    assert.equal(hex(bytes), '0a00')
    const type = root.lookupType('csi.v1.VolumeCapability')
    assert.equal((type.decode(bytes) as unknown as {accessType: string}).accessType, 'block')
  })

  test('setting two members of a oneof is refused', () => {
    assert.throws(() => encode(csi.VolumeCapability, {block: {}, mount: {fsType: 'ext4'}}), /both set in oneof/)
  })
})

// --- the generic codec, on field kinds CSI itself does not exercise ---------------------------

const Sub = message('test.Sub', {n: {no: 1, type: 'int32'}, s: {no: 2, type: 'string'}})
const Kitchen = message('test.Kitchen', {
  s: {no: 1, type: 'string'},
  b: {no: 2, type: 'bytes'},
  t: {no: 3, type: 'bool'},
  i32: {no: 4, type: 'int32'},
  u32: {no: 5, type: 'uint32'},
  i64: {no: 6, type: 'int64'},
  u64: {no: 7, type: 'uint64'},
  e: {no: 8, type: 'enum'},
  ri32: {no: 9, type: 'int32', repeated: true},
  ri64: {no: 10, type: 'int64', repeated: true},
  rb: {no: 11, type: 'bool', repeated: true},
  rs: {no: 12, type: 'string', repeated: true},
  re: {no: 13, type: 'enum', repeated: true},
  ru64: {no: 14, type: 'uint64', repeated: true},
  rbytes: {no: 15, type: 'bytes', repeated: true},
  optS: {no: 16, type: 'string', optional: true},
  optI: {no: 17, type: 'int64', optional: true},
  pickS: {no: 18, type: 'string', oneof: 'pick'},
  pickSub: {no: 19, type: 'message', message: Sub, oneof: 'pick'},
  sub: {no: 20, type: 'message', message: Sub},
  subs: {no: 21, type: 'message', message: Sub, repeated: true},
  m: {no: 22, type: 'map'},
  far: {no: 536_870_911, type: 'string'},
})

// The same message built with protobufjs's Type/Field API.
function kitchenType(packed: boolean): protobuf.Type {
  // Types made with `new Type()` default to proto2; the JSON form is the public way to pin proto3.
  const proto3 = (name: string): protobuf.Type => protobuf.Type.fromJSON(name, {edition: 'proto3', fields: {}} as protobuf.IType)
  const sub = proto3('Sub').add(new protobuf.Field('n', 1, 'int32')).add(new protobuf.Field('s', 2, 'string'))
  const opt = packed ? undefined : {packed: false}
  const color = protobuf.Enum.fromJSON('Color', {edition: 'proto3', values: {ZERO: 0, ONE: 1}} as protobuf.IEnum)
  const kitchen = proto3('Kitchen')
    .add(new protobuf.Field('s', 1, 'string'))
    .add(new protobuf.Field('b', 2, 'bytes'))
    .add(new protobuf.Field('t', 3, 'bool'))
    .add(new protobuf.Field('i32', 4, 'int32'))
    .add(new protobuf.Field('u32', 5, 'uint32'))
    .add(new protobuf.Field('i64', 6, 'int64'))
    .add(new protobuf.Field('u64', 7, 'uint64'))
    .add(new protobuf.Field('e', 8, 'Color'))
    .add(new protobuf.Field('ri32', 9, 'int32', 'repeated', undefined, opt))
    .add(new protobuf.Field('ri64', 10, 'int64', 'repeated', undefined, opt))
    .add(new protobuf.Field('rb', 11, 'bool', 'repeated', undefined, opt))
    .add(new protobuf.Field('rs', 12, 'string', 'repeated'))
    .add(new protobuf.Field('re', 13, 'Color', 'repeated', undefined, opt))
    .add(new protobuf.Field('ru64', 14, 'uint64', 'repeated', undefined, opt))
    .add(new protobuf.Field('rbytes', 15, 'bytes', 'repeated'))
    .add(new protobuf.Field('optS', 16, 'string'))
    .add(new protobuf.Field('optI', 17, 'int64'))
    .add(new protobuf.Field('pickS', 18, 'string'))
    .add(new protobuf.Field('pickSub', 19, 'Sub'))
    .add(new protobuf.Field('sub', 20, 'Sub'))
    .add(new protobuf.Field('subs', 21, 'Sub', 'repeated'))
    .add(new protobuf.MapField('m', 22, 'string', 'string'))
    .add(new protobuf.Field('far', 536_870_911, 'string'))
    .add(new protobuf.OneOf('_optS', ['optS']))
    .add(new protobuf.OneOf('_optI', ['optI']))
    .add(new protobuf.OneOf('pick', ['pickS', 'pickSub']))
  new protobuf.Root().define('test').add(sub).add(color).add(kitchen)
  kitchen.root.resolveAll()
  return kitchen
}

const kitchen = {
  s: 'ünïcødé ✓ 🚀',
  b: new Uint8Array([0, 1, 2, 255]),
  t: true,
  i32: -(2 ** 31),
  u32: 2 ** 32 - 1,
  i64: -(2n ** 63n),
  u64: 2n ** 64n - 1n,
  e: 1,
  ri32: [0, -1, 2 ** 31 - 1, -(2 ** 31), 300],
  ri64: [0, -1, 2n ** 63n - 1n, -(2n ** 53n), Number.MAX_SAFE_INTEGER, OVER_2_32],
  rb: [true, false, true],
  rs: ['', 'a', 'bc'],
  re: [0, 1, 7],
  ru64: [0, 2n ** 64n - 1n, 2n ** 53n, 127, 128],
  rbytes: [new Uint8Array(), new Uint8Array([9])],
  optS: '',
  optI: 0,
  pickSub: {n: -7, s: 'x'},
  sub: {n: 1, s: ''},
  subs: [{n: 0, s: ''}, {n: 2, s: 'two'}],
  m: {'': '', a: 'b'},
  far: 'far away',
}

describe('generic codec against protobufjs', () => {
  test('every kind at its extremes round-trips both ways with identical bytes', () => {
    const type = kitchenType(true)
    const ours = encode(Kitchen, kitchen)
    assert.deepEqual(decode(Kitchen, ours), kitchen)
    assert.deepEqual(fromPbjs(type, type.decode(ours)), kitchen)
    const theirs = pbjsEncode(type, kitchen)
    assert.deepEqual(decode(Kitchen, theirs), kitchen)
    assert.equal(hex(ours), hex(theirs))
  })

  test('repeated numbers are written packed and read packed or unpacked', () => {
    const unpacked = pbjsEncode(kitchenType(false), kitchen)
    assert.notEqual(hex(unpacked), hex(encode(Kitchen, kitchen)))
    assert.deepEqual(decode(Kitchen, unpacked), kitchen)
    // Both forms of the same field in one message append to each other.
    const both = Buffer.concat([encode(Kitchen, {ri32: [1, 2]}), pbjsEncode(kitchenType(false), {ri32: [3]})])
    assert.deepEqual(decode(Kitchen, both).ri32, [1, 2, 3])
  })

  test('optional scalars keep presence: a default value is sent, absence stays absent', () => {
    const present = decode(Kitchen, encode(Kitchen, {optS: '', optI: 0}))
    assert.ok(Object.hasOwn(present, 'optS') && Object.hasOwn(present, 'optI'))
    const absent = decode(Kitchen, encode(Kitchen, {s: ''}))
    assert.ok(!Object.hasOwn(absent, 'optS') && !Object.hasOwn(absent, 'pickS') && !Object.hasOwn(absent, 'sub'))
    assert.equal(encode(Kitchen, {s: '', t: false, i64: 0n, b: new Uint8Array(), ri32: [], m: {}}).length, 0)
  })

  test('a later oneof member replaces an earlier one, and a repeated singular message merges', () => {
    const type = kitchenType(true)
    const bytes = Buffer.concat([pbjsEncode(type, {pickS: 'first', sub: {n: 5}}), pbjsEncode(type, {pickSub: {n: 1}, sub: {s: 'merged'}})])
    const decoded = decode(Kitchen, bytes)
    assert.deepEqual([decoded.pickS, decoded.pickSub, decoded.sub], [undefined, {n: 1, s: ''}, {n: 5, s: 'merged'}])
    assert.deepEqual(fromPbjs(type, type.decode(bytes)).sub, {n: 5, s: 'merged'})
  })

  test('unknown fields of every wire type are skipped, groups included', () => {
    const wide = new protobuf.Type('Wide')
      .add(new protobuf.Field('s', 1, 'string'))
      .add(new protobuf.Field('v', 100, 'int64'))
      .add(new protobuf.Field('f64', 101, 'fixed64'))
      .add(new protobuf.Field('d', 102, 'double'))
      .add(new protobuf.Field('f32', 103, 'fixed32'))
      .add(new protobuf.Field('fl', 104, 'float'))
      .add(new protobuf.Field('raw', 105, 'bytes'))
      .add(new protobuf.Field('sub', 106, 'Sub'))
      .add(new protobuf.Field('ps', 107, 'sint32', 'repeated'))
    new protobuf.Root().define('test').add(new protobuf.Type('Sub').add(new protobuf.Field('n', 1, 'int32'))).add(wide)
    wide.root.resolveAll()
    const bytes = wide.encode(wide.fromObject({s: 'kept', v: '-5', f64: '18446744073709551615', d: 1.5, f32: 7, fl: 2.5, raw: Buffer.from('xyz'), sub: {n: 3}, ps: [-1, 1]})).finish()
    // Field 200 as a group (start 0xc3 0x0c, end 0xc4 0x0c) around a varint, then a known field.
    const group = Buffer.from([0xc3, 0x0c, 0x08, 0x01, 0xc4, 0x0c])
    const tail = encode(Kitchen, {i32: 9})
    const decoded = decode(Kitchen, Buffer.concat([bytes, group, tail]))
    assert.equal(decoded.s, 'kept')
    assert.equal(decoded.i32, 9)
  })

  test('map entries: missing key or value default to "", "__proto__" stays an own key, last duplicate wins', () => {
    // Entry with only a value, entry with only a key, then "a" twice.
    const entries = Buffer.from([0xb2, 0x01, 0x03, 0x12, 0x01, 0x76, 0xb2, 0x01, 0x03, 0x0a, 0x01, 0x6b])
    const twice = Buffer.concat([encode(Kitchen, {m: {a: '1'}}), encode(Kitchen, {m: {a: '2'}})])
    assert.deepEqual(decode(Kitchen, Buffer.concat([entries, twice])).m, {'': 'v', k: '', a: '2'})
    const proto = decode(Kitchen, encode(Kitchen, {m: {['__proto__']: 'x'}})).m
    assert.equal(Object.getPrototypeOf(proto), Object.prototype)
    assert.equal(Object.getOwnPropertyDescriptor(proto, '__proto__')?.value, 'x')
  })

  test('malformed input is a DecodeError', () => {
    const bad: [string, number[]][] = [
      ['truncated varint', [0x08, 0x80]],
      ['length past the end', [0x0a, 0x05, 0x61]],
      ['varint over 10 bytes', [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
      ['field number 0', [0x00, 0x01]],
      ['wire type 6', [0x0e]],
      ['string sent as varint', [0x08, 0x01]],
      ['message sent as varint', [0xa0, 0x01, 0x01]],
      ['unterminated group', [0xe3, 0x12]],
      ['truncated nested message', [0xa2, 0x01, 0x02, 0x08, 0x80]],
    ]
    for (const [why, bytes] of bad) assert.throws(() => decode(Kitchen, new Uint8Array(bytes)), DecodeError, why)
  })

  test('values that do not fit their field are refused on encode', () => {
    assert.throws(() => encode(Kitchen, {s: 5 as unknown as string}), TypeError)
    assert.throws(() => encode(Kitchen, {i32: 1.5}), TypeError)
    assert.throws(() => encode(Kitchen, {i32: 2 ** 31}), RangeError)
    assert.throws(() => encode(Kitchen, {u32: -1}), RangeError)
    assert.throws(() => encode(Kitchen, {i64: 2n ** 63n}), RangeError)
    assert.throws(() => encode(Kitchen, {u64: -1}), RangeError)
    assert.throws(() => encode(Kitchen, {m: {a: 1 as unknown as string}}), TypeError)
    assert.throws(() => encode(Kitchen, {sub: 'x' as unknown as {n: number}}), TypeError)
  })

  test('a schema with a repeated field number is refused', () => {
    assert.throws(() => message('test.Bad', {a: {no: 1, type: 'string'}, b: {no: 1, type: 'bool'}}), /duplicate/)
  })
})
