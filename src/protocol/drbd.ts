// The DRBD part of a node's desired state: everything a satellite needs to write one `.res` file
// and bring the resource up, already resolved by the controller (ports, minors, node-ids,
// addresses, inherited DrbdOptions). The satellite adds only local facts (backing device paths).

/** One network path end: an address of a node's net interface. */
export interface DrbdAddress {ip: string, port: number}

export interface DrbdPeer {
  node: string
  nodeId: number
  /** A diskless peer gets `disk none` volumes in the local file. */
  diskless: boolean
  /**
   * Paths to this peer, in order: each pairs a local address with one of the peer's. One path
   * unless PrefNic/connection paths give several.
   */
  paths: {local: DrbdAddress, peer: DrbdAddress}[]
  /** `DrbdOptions/Net/*` and `DrbdOptions/PeerDevice/*` set on the node or resource connection. */
  connectionOptions: Record<string, string>
}

export interface DrbdVolume {
  vlmNr: number
  minor: number
  /** Storage pool of the backing volume; absent on a diskless resource. */
  pool?: string
  /** Usable size the DRBD device must offer, in KiB (the backing volume is larger by the metadata). */
  sizeKib: number
  /** `DrbdOptions/Disk/*` effective on this volume (VD over RD over RG over controller). */
  diskOptions: Record<string, string>
  /**
   * `FileSystem/Type` and `FileSystem/MkfsParams`: made on the DRBD device of a new resource, once,
   * by the node that starts its first sync. Absent on a resource filled from a snapshot or a clone.
   */
  filesystem?: {type: string, mkfsParams?: string}
}

export interface DesiredDrbdResource {
  rsc: string
  /** Absent resources are taken down and their `.res` removed. */
  present: boolean
  nodeId: number
  diskless: boolean
  peerSlots: number
  /** TCP port of the resource (the same on every node, as LINSTOR allocates it). */
  port: number
  volumes: DrbdVolume[]
  peers: DrbdPeer[]
  /**
   * Effective `DrbdOptions/*` properties of the resource, full keys (e.g.
   * `DrbdOptions/Resource/quorum`, `DrbdOptions/Net/protocol`), lower objects already winning.
   */
  options: Record<string, string>
  /** `net { shared-secret }` with cram-hmac-alg sha1; generated per resource definition. */
  secret?: string
  /** New thin volumes need no initial sync: the satellite skips it (`--clear-bitmap`). */
  skipInitialSync: boolean
}
