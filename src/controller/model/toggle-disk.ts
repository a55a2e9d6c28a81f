// toggle-disk: a diskless DRBD replica gets disks in a storage pool, or a diskful one gives them
// up, with LINSTOR's flags for the steps in between. Pure; the steps that wait for the node are
// completed from its reports (completeDiskToggles).
//
// Adding: the volumes are created on the node and DRBD attaches them in the same sync (a
// satellite makes volumes before it adjusts DRBD). DISK_ADDING stays until the node reports the
// disks attached; the new disks are empty, and DRBD syncs them from the peers.
// Removing: DISK_REMOVE_REQUESTED runs the replica diskless (DRBD detaches) while the volumes
// stay; once the node reports DRBD detached, DISK_REMOVING deletes the volumes; once they are
// gone the replica is plainly diskless, in its diskless pool.
import {Rc} from '../../common/api-call-rc.ts'
import {nameKey} from '../../common/names.ts'
import type {SatelliteReport} from '../../protocol/messages.ts'
import {drbdOf, volumeOf, volumesOf} from '../../protocol/report-lookup.ts'
import {ApiFailure, type Ids} from './api-failure.ts'
import {withFlag} from './flags.ts'
import {refuseInUse, type InUse} from './in-use.ts'
import {inherited} from './props.ts'
import {diskfulReplicas, isUpToDate} from './replica-count.ts'
import {findRscDfn, vlmDfnsOf, type RscDfnRec} from './resource-definition.ts'
import {autoplaceRsc, disklessFlags, findRsc, isDiskless, toDiskful, type PlacementFacts, type RscRec} from './resource.ts'
import type {LayerKind} from './select-filter.ts'
import {key2, type Change, type ClusterState} from './state.ts'
import {rscsInStep} from './state-index.ts'
import {DISKLESS_POOL} from './storage-pool.ts'

export const DISK_ADDING = 'DISK_ADDING'
export const DISK_REMOVE_REQUESTED = 'DISK_REMOVE_REQUESTED'
export const DISK_REMOVING = 'DISK_REMOVING'

/** Whether the node still holds the replica's volumes: diskful, or diskless with its disks not yet deleted. */
export const holdsDisk = (r: RscRec): boolean => !isDiskless(r) || r.flags.includes(DISK_REMOVE_REQUESTED) || r.flags.includes(DISK_REMOVING)

export interface ToggleDiskRequest {
  /** Into diskless (true) or diskful (false). */
  diskless: boolean
  /** Diskful: the storage pool for every volume; diskless: the diskless pool. */
  pool?: string
  /** Diskful: the replica deleted once the new disk is up to date. */
  migrateFrom?: string
  layers?: LayerKind[]
}

export interface ToggleDiskFacts {
  placement: PlacementFacts
  reportOf(node: string): SatelliteReport | undefined
  inUse: InUse
}

const busy = (message: string): ApiFailure => new ApiFailure(Rc.FAIL_RSC_BUSY, {message, correction: 'Wait until the node has finished it (see `resource list`).'})

export function toggleDisk(state: ClusterState, rdName: string, node: string, req: ToggleDiskRequest, facts: ToggleDiskFacts, ids: Ids): {rsc: RscRec, changes: Change[]} {
  const rd = findRscDfn(state, rdName)
  const r = findRsc(state, rd.name, node)
  if (r.flags.includes(DISK_ADDING)) throw busy('Addition of disk to resource already requested')
  if (r.flags.includes(DISK_REMOVE_REQUESTED) || r.flags.includes(DISK_REMOVING)) throw busy('Removal of disk from resource already requested')
  if (r.flags.includes('DELETE')) throw busy(`Resource '${rd.name}' on node '${r.node}' is being deleted`)
  if (!req.diskless && !isDiskless(r)) throw new ApiFailure(Rc.WARN_RSC_ALREADY_HAS_DISK, {message: 'Resource already has disk'})
  if (req.diskless && isDiskless(r)) throw new ApiFailure(Rc.WARN_RSC_ALREADY_DISKLESS, {message: 'Resource already diskless'})
  const layers = req.layers ?? r.layerStack
  if (!r.layerStack.includes('DRBD') || !layers.includes('DRBD')) {
    throw new ApiFailure(Rc.FAIL_INVLD_LAYER_STACK, {message: 'Toggle disk is only supported in combination with DRBD',
      cause: `The layer stack [${layers.join(', ')}] has no DRBD that could sync a new disk or serve the data without one.`})
  }
  const next = req.diskless ? withoutDisk(state, r, req.pool, facts) : withDisk(state, rd, r, req, layers, facts, ids)
  const changes: Change[] = [{t: 'rscs', k: key2(rd.name, r.node), v: next}]
  return {rsc: next, changes}
}

function withoutDisk(state: ClusterState, r: RscRec, poolName: string | undefined, facts: ToggleDiskFacts): RscRec {
  const others = diskfulReplicas(state, r.rscDfn).filter((x) => x !== r)
  if (!others.length) {
    throw new ApiFailure(Rc.FAIL_INSUFFICIENT_REPLICA_COUNT, {message: 'Cannot remove the disk from the only resource with a disk',
      cause: `The disk on '${r.node}' holds the only copy of the data of '${r.rscDfn}'.`,
      correction: 'Add a diskful replica first (resource create, or toggle-disk on a diskless one).'})
  }
  // DRBD serves the data from a peer once the disk is gone: one must be reachable and hold all of it.
  if (!others.some((x) => facts.placement.online(x.node) && isUpToDate(state, x, facts.reportOf(x.node)))) {
    throw new ApiFailure(Rc.FAIL_INSUFFICIENT_REPLICA_COUNT, {message: 'Cannot remove the disk from the only online resource with a disk',
      cause: 'Without its disk the resource reads and writes through a peer, and no peer is known to hold all the data.',
      details: `No other replica of '${r.rscDfn}' is online and UpToDate: ${others.map((x) => `'${x.node}'`).join(', ')}.`,
      correction: 'Wait until another replica is connected and synced, then try again.'})
  }
  const pool = poolName ?? DISKLESS_POOL
  const sp = state.storPools[key2(r.node, pool)]
  if (sp?.kind !== 'DISKLESS') {
    throw new ApiFailure(sp ? Rc.FAIL_INVLD_STOR_POOL_NAME : Rc.FAIL_NOT_FOUND_STOR_POOL, {
      message: sp ? `Storage pool '${pool}' on node '${r.node}' is not diskless.` : `Storage pool '${pool}' not found on node '${r.node}'.`,
      correction: 'Name a diskless storage pool of the node, or none for DfltDisklessStorPool.'})
  }
  // As in LINSTOR the resource remembers its (diskless) pool in StorPoolName.
  return {...r, flags: [...new Set([...r.flags, ...disklessFlags(r.layerStack), DISK_REMOVE_REQUESTED])],
    props: {...r.props, StorPoolName: sp.name}}
}

function withDisk(state: ClusterState, rd: RscDfnRec, r: RscRec, req: ToggleDiskRequest, layers: LayerKind[], facts: ToggleDiskFacts, ids: Ids): RscRec {
  // Every diskful replica keeps a bitmap for each diskful peer: one more diskful replica needs a slot more.
  const required = diskfulReplicas(state, rd.name).length
  const slots = rd.drbd?.peerSlots ?? required
  if (slots < required) {
    throw new ApiFailure(Rc.FAIL_INSUFFICIENT_PEER_SLOTS, {message: 'Existing resources do not have enough peer slots',
      details: `Resources of '${rd.name}' have ${slots} peer slot(s); ${required} are required.`,
      correction: 'Remove a diskful replica first, or create the resource definition anew with more peer slots.'})
  }
  let migrateFrom: string | undefined
  if (req.migrateFrom) {
    const source = findRsc(state, rd.name, req.migrateFrom)
    if (nameKey(source.node) === nameKey(r.node)) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: 'A resource cannot migrate its disk from itself.'})
    refuseInUse([source], facts.inUse, 'migrate')
    migrateFrom = source.node
  }
  const pools: Record<string, string> = {}
  let placed: Record<string, string> | undefined
  for (const vd of vlmDfnsOf(state, rd.name)) {
    // The resource's own StorPoolName names its diskless pool here: it does not count.
    const name = req.pool ?? inherited('StorPoolName', [vd.props, rd.props, state.nodes[nameKey(r.node)]?.props])
      ?? (placed ??= placedOnNode(state, rd, r, facts.placement, ids))[String(vd.vlmNr)]
    const sp = name === undefined ? undefined : state.storPools[key2(r.node, name)]
    if (!sp) throw new ApiFailure(Rc.FAIL_NOT_FOUND_STOR_POOL, {message: `Storage pool '${name ?? '(none)'}' not found on node '${r.node}'.`})
    if (sp.kind === 'DISKLESS') {
      throw new ApiFailure(Rc.FAIL_INVLD_STOR_POOL_NAME, {message: `Storage pool '${sp.name}' on node '${r.node}' is diskless: it cannot hold a disk.`,
        correction: 'Name a storage pool with storage (storage-pool list).'})
    }
    pools[String(vd.vlmNr)] = sp.name
  }
  const one = new Set(Object.values(pools)).size === 1 ? Object.values(pools)[0] : undefined
  const props = {...r.props}
  if (one) props.StorPoolName = one
  else delete props.StorPoolName
  const next: RscRec = {...toDiskful(r, pools, ids.now()), layerStack: layers, props}
  return {...withFlag(next, DISK_ADDING), ...(migrateFrom ? {migrateFrom} : {})}
}

/** Without a pool named anywhere, the autoplacer picks one on the node, within the resource group's filter. */
function placedOnNode(state: ClusterState, rd: RscDfnRec, r: RscRec, placement: PlacementFacts, ids: Ids): Record<string, string> {
  const group = state.rscGrps[nameKey(rd.rscGrp)]?.selectFilter ?? {}
  const placed = autoplaceRsc(state, rd, {...group, node_name_list: [r.node], additional_place_count: 1, diskless_on_remaining: false}, placement, ids)
  return placed.rscs.find((x) => nameKey(x.node) === nameKey(r.node))?.pools ?? {}
}

const attached = (state: ClusterState, r: RscRec, report: SatelliteReport): boolean => {
  const drbd = drbdOf(report, r.rscDfn)
  return vlmDfnsOf(state, r.rscDfn).every((vd) => volumeOf(report, r.rscDfn, vd.vlmNr)?.state === 'Created' &&
    !['Diskless', 'Failed', undefined].includes(drbd?.volumes.find((v) => v.vlmNr === vd.vlmNr)?.diskState))
}

/** DRBD holds no disk of the replica: every volume Diskless, or the resource not up at all. */
const detached = (r: RscRec, report: SatelliteReport): boolean =>
  (drbdOf(report, r.rscDfn)?.volumes ?? []).every((v) => v.diskState === undefined || v.diskState === 'Diskless')

const without = (r: RscRec, flag: string): RscRec => ({...r, flags: r.flags.filter((f) => f !== flag)})

/** One step further for every toggle the nodes' reports show done; a migration's source goes once the new disk is up to date. */
export function completeDiskToggles(state: ClusterState, reportOf: (node: string) => SatelliteReport | undefined): Change[] {
  const changes: Change[] = []
  for (const [, r] of rscsInStep(state)) {
    const report = reportOf(r.node)
    if (!report || r.flags.includes('DELETE')) continue
    let next = r
    if (r.flags.includes(DISK_ADDING) && attached(state, r, report)) next = without(r, DISK_ADDING)
    else if (r.flags.includes(DISK_REMOVE_REQUESTED) && detached(r, report)) next = withFlag(without(r, DISK_REMOVE_REQUESTED), DISK_REMOVING)
    else if (r.flags.includes(DISK_REMOVING) && !volumesOf(report, r.rscDfn).length) {
      const pool = r.props.StorPoolName ?? DISKLESS_POOL
      next = {...without(r, DISK_REMOVING), pools: Object.fromEntries(Object.keys(r.pools).map((nr) => [nr, pool]))}
    } else if (r.migrateFrom && !r.flags.includes(DISK_ADDING) && isUpToDate(state, r, report)) {
      const {migrateFrom, ...rest} = r
      next = rest
      const source = state.rscs[key2(r.rscDfn, migrateFrom)]
      if (source) changes.push({t: 'rscs', k: key2(source.rscDfn, source.node), v: withFlag(source, 'DELETE')})
    }
    if (next !== r) changes.push({t: 'rscs', k: key2(r.rscDfn, r.node), v: next})
  }
  return changes
}
