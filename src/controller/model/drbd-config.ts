// The DRBD layer as one node must run it: every resource of the node whose stack has DRBD,
// resolved to ports, minors, node-ids, addresses and effective options. Pure.
import {nameKey} from '../../common/names.ts'
import type {DesiredDrbdResource, DrbdAddress, DrbdPeer} from '../../protocol/drbd.ts'
import {nodeConnKey, rscConnKey} from './connections.ts'
import {ctrlPropsOf} from './controller-props.ts'
import {satelliteInterface, type NodeRec} from './node.ts'
import {inherited, type Props} from './props.ts'
import {vlmDfnsOf, type RscDfnRec, type VlmDfnRec} from './resource-definition.ts'
import {isActive} from './resource-activation.ts'
import {isDiskless, rscsOf, type RscRec} from './resource.ts'
import type {ClusterState} from './state.ts'
import {key2} from './state.ts'

/** Provider kinds whose new volumes read as zeros everywhere: their first sync can be skipped. */
const THIN_KINDS = new Set(['FILE_THIN', 'LVM_THIN', 'ZFS_THIN'])

const hasDrbd = (r: RscRec): boolean => r.layerStack.includes('DRBD')

/** `DrbdOptions/*` keys of `props`, lower maps (given first) winning. */
function drbdOptions(chain: readonly (Props | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const props of [...chain].reverse()) {
    for (const [k, v] of Object.entries(props ?? {})) if (k.startsWith('DrbdOptions/')) out[k] = v
  }
  return out
}

/**
 * The guide's auto-quorum: with three or more diskful replicas, or two diskful and at least one
 * diskless, `quorum majority` and `on-no-quorum` from DrbdOptions/auto-quorum (io-error by
 * default); with fewer, quorum off. `disabled` leaves the administrator's settings alone.
 */
export function autoQuorum(options: Record<string, string>, diskful: number, diskless: number): Record<string, string> {
  const policy = options['DrbdOptions/auto-quorum'] ?? 'io-error'
  if (policy === 'disabled') return options
  const reachable = diskful >= 3 || (diskful === 2 && diskless >= 1)
  const out = {...options}
  if (reachable) {
    out['DrbdOptions/Resource/quorum'] = 'majority'
    out['DrbdOptions/Resource/on-no-quorum'] = policy
  } else {
    out['DrbdOptions/Resource/quorum'] = 'off'
    delete out['DrbdOptions/Resource/on-no-quorum']
  }
  return out
}

/**
 * `FileSystem/Type` (and `FileSystem/MkfsParams`) of a volume: volume definition, volume group,
 * resource definition, resource group. On a storage or LUKS stack the satellite formats the new
 * volume; under DRBD the node that starts the first sync formats the DRBD device.
 */
export function volumeFileSystem(state: ClusterState, rd: RscDfnRec | undefined, vd: VlmDfnRec): {type: string, mkfsParams?: string} | undefined {
  const chain = [vd.props, state.vlmGrps[key2(rd?.rscGrp ?? '', vd.vlmNr)]?.props, rd?.props, state.rscGrps[nameKey(rd?.rscGrp ?? '')]?.props]
  const type = inherited('FileSystem/Type', chain)
  return type ? {type, mkfsParams: inherited('FileSystem/MkfsParams', chain)} : undefined
}

/**
 * The address DRBD uses on a node: the net interface named by `PrefNic` (resource, then node),
 * else the one the satellite is reached on.
 */
function drbdAddress(node: NodeRec, r: RscRec, port: number): DrbdAddress | undefined {
  const pref = r.props.PrefNic ?? node.props.PrefNic
  const netIf = (pref ? node.netIfs.find((n) => nameKey(n.name) === nameKey(pref)) : undefined) ?? satelliteInterface(node)
  return netIf && {ip: netIf.address, port}
}

/**
 * DRBD 9 internal metadata for `peers` peer slots: 4 KiB superblock, 32 KiB activity log and one
 * bitmap per peer (one bit per 4 KiB), each rounded to 4 KiB. The backing volume is this much larger.
 */
export function drbdMetaKib(netKib: number, peers: number): number {
  const bitmapKib = Math.ceil(netKib / 32768 / 4) * 4
  return 4 + 32 + bitmapKib * Math.max(1, peers)
}

export function desiredDrbdFor(state: ClusterState, nodeName: string, mine: readonly RscRec[]): DesiredDrbdResource[] {
  const out: DesiredDrbdResource[] = []
  const ctrl = ctrlPropsOf(state)
  const node = state.nodes[nameKey(nodeName)]
  for (const r of mine) {
    // Before the definition's lookup, which costs more on a node with thousands of resources.
    if (!hasDrbd(r)) continue
    const rd: RscDfnRec | undefined = state.rscDfns[nameKey(r.rscDfn)]
    if (!rd?.drbd || r.nodeId === undefined || !node) continue
    const {port} = rd.drbd
    // An inactive replica is down: its peers neither wait for it nor count it for quorum.
    const all = rscsOf(state, rd.name).filter((x) => hasDrbd(x) && x.nodeId !== undefined && !x.flags.includes('DELETE') && isActive(x))
    const rg = state.rscGrps[nameKey(rd.rscGrp)]
    const local = drbdAddress(node, r, port)
    const peers: DrbdPeer[] = []
    for (const p of all) {
      const peerNode = state.nodes[nameKey(p.node)]
      if (nameKey(p.node) === nameKey(nodeName) || !peerNode) continue
      const peerAddr = drbdAddress(peerNode, p, port)
      const connProps = [state.rscConns[rscConnKey(rd.name, nodeName, p.node)]?.props, state.nodeConns[nodeConnKey(nodeName, p.node)]?.props]
      peers.push({node: p.node, nodeId: p.nodeId as number, diskless: isDiskless(p),
        paths: local && peerAddr ? [{local, peer: peerAddr}] : [],
        connectionOptions: Object.fromEntries(Object.entries(drbdOptions(connProps))
          .filter(([k]) => k.startsWith('DrbdOptions/Net/') || k.startsWith('DrbdOptions/PeerDevice/')))})
    }
    const diskful = all.filter((x) => !isDiskless(x))
    const options = autoQuorum(drbdOptions([r.props, rd.props, rg?.props, ctrl]), diskful.length, all.length - diskful.length)
    const firstTs = Math.min(...diskful.map((x) => x.createTs))
    // Data from a snapshot or a clone must never be formatted over.
    const empty = diskful.every((x) => !x.restoreFrom)
    const volumes = vlmDfnsOf(state, rd.name).flatMap((vd) => {
      if (vd.minor === undefined) return []
      const filesystem = empty && !isDiskless(r) ? volumeFileSystem(state, rd, vd) : undefined
      return [{
        vlmNr: vd.vlmNr, minor: vd.minor, pool: isDiskless(r) ? undefined : r.pools[String(vd.vlmNr)], sizeKib: vd.sizeKib,
        diskOptions: Object.fromEntries(Object.entries(drbdOptions([vd.props, rd.props, rg?.props, ctrl])).filter(([k]) => k.startsWith('DrbdOptions/Disk/'))),
        ...(filesystem ? {filesystem} : {}),
      }]
    })
    const thin = diskful.every((x) => Object.values(x.pools).every((pool) => THIN_KINDS.has(state.storPools[key2(x.node, pool)]?.kind ?? '')))
    out.push({
      rsc: rd.name, present: !r.flags.includes('DELETE') && isActive(r), nodeId: r.nodeId, diskless: isDiskless(r), peerSlots: rd.drbd.peerSlots, port,
      volumes, peers, options, secret: rd.drbd.secret,
      // Only when every diskful replica was made in one go from nothing: otherwise a peer holds data to sync.
      skipInitialSync: thin && !r.restoreFrom && diskful.every((x) => x.createTs === firstTs),
    })
  }
  return out
}
