// The controller ↔ satellite messages (JSON over HTTP on 3366). The controller sends a node's
// whole desired state with a generation number; the satellite converges and answers with what
// it actually has. Level-based: sending the same state twice changes nothing.

import type {DesiredDrbdResource} from './drbd.ts'

export const PROTOCOL_VERSION = 2
export const SYNC_PATH = '/internal/v1/sync'
/** A cheap signed liveness check between full syncs. */
export const PING_PATH = '/internal/v1/ping'

export interface DesiredPool {name: string, kind: string, props: Record<string, string>}

export interface DesiredVolume {
  rsc: string
  vlmNr: number
  sizeKib: number
  pool: string
  /** Absent volumes are removed; the controller keeps the record until the satellite reports them gone. */
  present: boolean
  /** A new volume is filled from this snapshot, or without `snap` from this live volume (same number and pool). */
  source?: {rsc: string, snap?: string}
  /** `FileSystem/Type` and `FileSystem/MkfsParams`: a new, empty volume is formatted (storage-only stacks). */
  filesystem?: {type: string, mkfsParams?: string}
  /** Return the volume to this snapshot of it (once: the controller drops the field when the report says done). */
  rollbackTo?: string
}

export interface DesiredSnapshot {rsc: string, snap: string, vlmNr: number, pool: string, present: boolean}

/**
 * A LUKS (dm-crypt) device on top of the storage volume of the same resource and number. `key` is
 * the clear volume passphrase: present only while the controller holds the master key, sealed
 * into `sealedKey` on the wire (link-seal.ts), piped to cryptsetup on stdin, never logged nor
 * reported back.
 */
export interface DesiredLuksVolume {
  rsc: string
  vlmNr: number
  present: boolean
  key?: string
  sealedKey?: string
  /** `FileSystem/Type` for a storage-less stack: the new LUKS device is formatted, not the raw volume. */
  filesystem?: {type: string, mkfsParams?: string}
}

/**
 * LINSTOR's NVME layer, one resource: a target exports the devices below it (LUKS or storage) through
 * nvmet as namespaces vlmNr+1 of subsystem `LS-NVMe_<rsc>`; an initiator (diskless in the layer)
 * connects to the target with nvme-cli and uses the namespaces' /dev/nvmeXnY.
 */
export interface DesiredNvmeResource {
  rsc: string
  role: 'target' | 'initiator'
  present: boolean
  /** `NVMe/TRType`: rdma (LINSTOR's default) or tcp. */
  transport: string
  /** The target's address (`NVMe/PrefNic`): where it listens and initiators connect; none while there is no target. */
  address?: string
  /** `NVMe/Port` as given (nvmet's transport service id), 4420 by default. */
  trsvcid: string
  volumes: number[]
}

/**
 * A snapshot's data moving to or from this node as a block stream (satellite/backup/): sent to S3
 * or to a peer's listener, or received from S3 (a chain of streams, full first) or from a peer.
 * `id` stays the same across syncs; a transfer no longer desired is aborted. The S3 keys (as
 * JSON) or the peer's token are `secret`, sealed into `sealedSecret` on the wire.
 */
export interface DesiredTransfer {
  id: string
  direction: 'send' | 'receive'
  rsc: string
  vlmNr: number
  pool: string
  /** Sending: the snapshot shipped. Receiving: the snapshot made from what arrives. */
  snap: string
  /** Sending: only what differs from this local snapshot. Receiving: applied on a copy of it. */
  base?: string
  s3?: {endpoint: string, bucket: string, region: string, usePathStyle: boolean, keys: string[]}
  /** Sending: connect here. Receiving: listen here. */
  peer?: {host: string, port: number}
  secret?: string
  sealedSecret?: string
}

/** A file the host should have (content in base64) or, with `present` false, should not have. */
export interface DesiredExtFile {path: string, present: boolean, content?: string, altSuffixes?: string[]}

export interface DesiredState {
  protocol: number
  generation: number
  /** The node's name in the cluster, so that a satellite behind the wrong address notices. */
  node: string
  pools: DesiredPool[]
  volumes: DesiredVolume[]
  snapshots: DesiredSnapshot[]
  /** Resources of the node with a DRBD layer, on top of the volumes above (diskless ones have none there). */
  drbd: DesiredDrbdResource[]
  /** External files: absent from older controllers. */
  files?: DesiredExtFile[]
  /** LUKS devices, between the volumes and DRBD: absent when the node has none. */
  luks?: DesiredLuksVolume[]
  /** Snapshot shipments: absent when the node has none. */
  transfers?: DesiredTransfer[]
  /** NVMe-oF targets and initiators, above the volumes and LUKS: absent when the node has none. */
  nvme?: DesiredNvmeResource[]
  /** In a delta (rsc-delta.ts): the generation of the desired state it applies to. */
  base?: number
  /** In a delta: the resources whose items it carries, replacing the held ones. */
  changed?: string[]
  /** The report the controller holds (`instance/seq`): the satellite may answer with a delta on it. */
  reportBase?: string
}

export interface PoolReport {freeKib?: number, totalKib?: number, error?: string}

export interface VolumeReport {
  rsc: string
  vlmNr: number
  pool: string
  devicePath?: string
  allocatedKib?: number
  usableKib?: number
  /** 'Created' when the device exists, 'Failed' when the last attempt failed. */
  state: 'Created' | 'Failed'
  error?: string
  /** The sequence number of the SatelliteError that describes the failure. */
  errorSeq?: number
  /** Set in the report of the sync that rolled the volume back to this snapshot. */
  rolledBackTo?: string
}

/** A DRBD resource as the satellite sees it in the kernel (from events2). */
export interface DrbdReport {
  rsc: string
  state: 'Created' | 'Failed'
  error?: string
  errorSeq?: number
  /** Primary, Secondary or Unknown. */
  role?: string
  inUse?: boolean
  promotionScore?: number
  mayPromote?: boolean
  volumes: {vlmNr: number, minor: number, devicePath: string, diskState?: string}[]
  /** Connection state by peer name. */
  connections: Record<string, string>
}

/** Where an external file stands on the host; `actualPath` differs when an alternative suffix is in use. */
export interface ExtFileReport {path: string, state: 'Present' | 'Absent' | 'Failed', actualPath?: string, error?: string, errorSeq?: number}

/** A LUKS device as the satellite sees it; `opened` when its /dev/mapper device exists. */
export interface LuksReport {
  rsc: string
  vlmNr: number
  state: 'Created' | 'Failed'
  opened: boolean
  devicePath?: string
  backingDevice?: string
  usableKib?: number
  error?: string
  errorSeq?: number
}

/**
 * An NVMe-oF resource as the satellite sees it. A target's volumes show the devices it exports; an
 * initiator's, the namespaces' block devices once connected.
 */
export interface NvmeReport {
  rsc: string
  role: 'target' | 'initiator'
  state: 'Created' | 'Failed'
  volumes: {vlmNr: number, devicePath?: string, backingDevice?: string}[]
  error?: string
  errorSeq?: number
}

/** Where a transfer stands; `trailer` once done (the image checksum, blocks and data bytes shipped). */
export interface TransferReport {
  id: string
  state: 'Running' | 'Done' | 'Failed'
  /** Stream bytes moved so far. */
  bytes: number
  trailer?: {imageSha256: string, blocks: number, dataBytes: number}
  error?: string
  errorSeq?: number
}

export interface SnapshotReport {rsc: string, snap: string, vlmNr: number, pool: string, state: 'Created' | 'Failed', error?: string, errorSeq?: number}

/** `seq` counts up within one satellite instance: with the instance it makes the report id. */
export interface SatelliteError {seq: number, time: number, message: string, details?: string, module: string}

export interface Capability {supported: string[], unsupported: Record<string, string[]>}

/**
 * `activity` counts changes the controller should hear about before its next full sync (a
 * transfer finished, a DRBD state changed): when it moved, the controller syncs at once.
 */
export interface PingReply {protocol: number, version: string, instance: string, activity?: number}

export interface SatelliteReport {
  protocol: number
  version: string
  /** Changes whenever the satellite process restarts: the controller then syncs in full. */
  instance: string
  generation: number
  uname: string
  providers: Capability
  layers: Capability
  pools: Record<string, PoolReport>
  volumes: VolumeReport[]
  snapshots: SnapshotReport[]
  drbd: DrbdReport[]
  files?: ExtFileReport[]
  luks?: LuksReport[]
  nvme?: NvmeReport[]
  transfers?: TransferReport[]
  /** The ping's activity counter when this report was made. */
  activity?: number
  /** Directories under which this satellite writes external files (its allowExtFiles). */
  extFilesAllowed?: string[]
  errors: SatelliteError[]
  /** Counts the instance's reports: `instance/seq` is the next request's reportBase. */
  seq?: number
  /** In a delta (rsc-delta.ts): the report (`seq`) it applies to. */
  base?: number
  /** In a delta: the resources whose items it carries. */
  changed?: string[]
}

/** The answer to a delta whose base is not the desired state the satellite holds: send it whole. */
export interface ResyncReply {protocol: number, instance: string, resync: true}
