// Node and StoragePool as the REST API shows them: stored records joined with what the
// satellites last reported. Pure.
import type {Node, StoragePool} from '../../api/wire.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {DISKLESS_CAPACITY} from '../../satellite/providers/diskless.ts'
import type {NodeRuntime} from '../link/satellite-link.ts'
import {hasSatellite, satelliteInterface, type NodeRec} from '../model/node.ts'
import {isThin, type StorPoolRec} from '../model/storage-pool.ts'

/** `evictionTs`: when auto-evict will evict the node if it stays offline (auto-evict.ts). */
export function nodeView(n: NodeRec, rt: NodeRuntime, evictionTs?: number): Node {
  const active = satelliteInterface(n)
  const report = rt.report
  return {
    name: n.name, type: n.type, flags: n.flags, props: n.props, uuid: n.uuid,
    net_interfaces: n.netIfs.map((i) => ({
      name: i.name, address: i.address, satellite_port: i.port, satellite_encryption_type: i.encryption, uuid: i.uuid,
      is_active: hasSatellite(n.type) && i === active,
    })),
    connection_status: hasSatellite(n.type) ? rt.status : 'ONLINE',
    storage_providers: report?.providers.supported as Node['storage_providers'],
    unsupported_providers: report?.providers.unsupported,
    resource_layers: report?.layers.supported as Node['resource_layers'],
    unsupported_layers: report?.layers.unsupported,
    platform: report ? 'LINUX' : undefined,
    eviction_timestamp: evictionTs,
  }
}

export function storagePoolView(sp: StorPoolRec, rt: NodeRuntime): StoragePool {
  const reported = rt.report?.pools[sp.name]
  const diskless = sp.kind === 'DISKLESS'
  const snapshots = isThin(sp.kind)
  return {
    storage_pool_name: sp.name, node_name: sp.node, provider_kind: sp.kind, props: sp.props, uuid: sp.uuid,
    static_traits: diskless ? {} : {Provisioning: isThin(sp.kind) ? 'Thin' : 'Fat', SupportsSnapshots: String(snapshots)},
    free_capacity: diskless ? DISKLESS_CAPACITY : reported?.freeKib,
    total_capacity: diskless ? DISKLESS_CAPACITY : reported?.totalKib,
    free_space_mgr_name: sp.sharedSpace ?? `${sp.node};${sp.name}`,
    supports_snapshots: snapshots,
    shared_space: sp.sharedSpace,
    external_locking: sp.externalLocking,
    reports: reported?.error ? [{ret_code: BigInt.asIntN(64, Rc.FAIL_UNKNOWN_ERROR), message: reported.error}] : undefined,
  }
}

