// Snapshots: a snapshot definition per resource definition and name, and a snapshot per node
// that had a diskful replica. Taken by the satellites; SUCCESSFUL once every node reported its
// volumes' snapshots. Restore makes a new resource from them. Pure.
import type {Snapshot} from '../../api/wire.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {object, optString, optStringList} from '../../common/input.ts'
import {nameKey, nameProblem} from '../../common/names.ts'
import type {SatelliteReport} from '../../protocol/messages.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import {withFlag} from './flags.ts'
import {readProps, type Props} from './props.ts'
import {createVlmDfn, findRscDfn, vlmDfnsOf, type RscDfnRec, type VlmDfnRec} from './resource-definition.ts'
import {isDiskless, rscsOf, type RscRec} from './resource.ts'
import {type Change, type ClusterState, key2} from './state.ts'
import {isThin} from './storage-pool.ts'
import {pendingOf} from './state-index.ts'

export interface SnapDfnRec {rscDfn: string, name: string, props: Props, flags: string[], vlms: {vlmNr: number, sizeKib: number}[], uuid: string, createTs: number}
export interface SnapRec {rscDfn: string, snap: string, node: string, pools: Record<string, string>, flags: string[], uuid: string, createTs: number}

export const snapKey = (rd: string, snap: string, node: string): string => `${key2(rd, snap)}/${node.toUpperCase()}`

export const snapsOf = (state: ClusterState, rd: string, snap: string): SnapRec[] =>
  Object.values(state.snaps).filter((s) => nameKey(s.rscDfn) === nameKey(rd) && nameKey(s.snap) === nameKey(snap))

export const snapDfnsOf = (state: ClusterState, rd: string): SnapDfnRec[] =>
  Object.values(state.snapDfns).filter((s) => nameKey(s.rscDfn) === nameKey(rd)).sort((a, b) => a.createTs - b.createTs)

export function findSnapDfn(state: ClusterState, rd: string, snap: string): SnapDfnRec {
  const s = state.snapDfns[key2(rd, snap)]
  if (!s) throw new ApiFailure(Rc.FAIL_NOT_FOUND_SNAPSHOT_DFN, {message: `Snapshot '${snap}' of resource '${rd}' not found.`})
  return s
}

/** Takes a snapshot of `rd` on the nodes named (default: every node with a diskful replica). */
export function createSnapshot(state: ClusterState, rdName: string, body: unknown, ids: Ids): {dfn: SnapDfnRec, snaps: SnapRec[], changes: Change[]} {
  const rd = findRscDfn(state, rdName)
  return asApiFailure(() => {
    const o = object(body, 'snapshot')
    const name = optString(o.name, 'name') ?? ''
    const problem = nameProblem('snapshot', name)
    if (problem) throw new ApiFailure(Rc.FAIL_INVLD_SNAPSHOT_NAME, {message: `Invalid snapshot name '${name}': ${problem}`})
    if (state.snapDfns[key2(rd.name, name)]) {
      throw new ApiFailure(Rc.FAIL_EXISTS_SNAPSHOT_DFN, {message: `Snapshot '${name}' of resource '${rd.name}' already exists.`})
    }
    if (rd.flags.includes('DELETE')) throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Resource '${rd.name}' is being deleted.`})
    const wanted = optStringList(o.nodes, 'nodes')?.map(nameKey)
    const diskful = rscsOf(state, rd.name).filter((r) => !isDiskless(r) && !r.flags.includes('DELETE'))
    const rscs = wanted ? diskful.filter((r) => wanted.includes(nameKey(r.node))) : diskful
    const missing = wanted?.filter((n) => !rscs.some((r) => nameKey(r.node) === n))
    if (missing?.length) throw new ApiFailure(Rc.FAIL_NOT_FOUND_RSC, {message: `Resource '${rd.name}' has no diskful replica on ${missing.join(', ')}.`})
    if (!rscs.length) throw new ApiFailure(Rc.FAIL_NOT_ENOUGH_NODES, {message: `Resource '${rd.name}' has no diskful replica to take a snapshot of.`})
    for (const r of rscs) checkSnapshotCapable(state, r)
    const now = ids.now()
    const dfn: SnapDfnRec = {rscDfn: rd.name, name, props: readProps(o.props), flags: [], uuid: ids.uuid(), createTs: now,
      vlms: vlmDfnsOf(state, rd.name).map((v) => ({vlmNr: v.vlmNr, sizeKib: v.sizeKib}))}
    const snaps = rscs.map((r): SnapRec => ({rscDfn: rd.name, snap: name, node: r.node, pools: r.pools, flags: [], uuid: ids.uuid(), createTs: now}))
    return {dfn, snaps, changes: [{t: 'snapDfns', k: key2(rd.name, name), v: dfn}, ...snaps.map((s): Change => ({t: 'snaps', k: snapKey(rd.name, name, s.node), v: s}))]}
  })
}

function checkSnapshotCapable(state: ClusterState, r: RscRec): void {
  for (const pool of new Set(Object.values(r.pools))) {
    const sp = state.storPools[key2(r.node, pool)]
    if (sp && !isThin(sp.kind)) {
      throw new ApiFailure(Rc.FAIL_INVLD_STOR_DRIVER, {message: `Storage pool '${sp.name}' on node '${sp.node}' (${sp.kind}) cannot take snapshots.`,
        cause: 'Snapshots need a thin provider: LVM_THIN, ZFS, ZFS_THIN or FILE_THIN.', correction: 'Move the resource to a thin pool.'})
    }
  }
}

/** Snapshot delete, first step: flag them; records go when the satellites report the snapshots gone. */
export function markSnapshotDeleted(state: ClusterState, rd: string, snap: string, nodes?: string[]): Change[] | undefined {
  const dfn = state.snapDfns[key2(rd, snap)]
  if (!dfn) return undefined
  const only = nodes?.map(nameKey)
  const snaps = snapsOf(state, rd, snap).filter((s) => !only || only.includes(nameKey(s.node)))
  const whole = !only || snaps.length === snapsOf(state, rd, snap).length
  return [...(whole ? [{t: 'snapDfns' as const, k: key2(dfn.rscDfn, dfn.name), v: withFlag(dfn, 'DELETE')}] : []),
    ...snaps.map((s): Change => ({t: 'snaps', k: snapKey(s.rscDfn, s.snap, s.node), v: withFlag(s, 'DELETE')}))]
}

const reported = (report: SatelliteReport, s: SnapRec): SatelliteReport['snapshots'] =>
  report.snapshots.filter((x) => nameKey(x.rsc) === nameKey(s.rscDfn) && nameKey(x.snap) === nameKey(s.snap))

/** From satellite reports: snapshots that now exist everywhere become SUCCESSFUL; deleted ones go. */
export function completeSnapshots(state: ClusterState, reportOf: (node: string) => SatelliteReport | undefined): Change[] {
  const changes: Change[] = []
  const gone = new Set<string>()
  for (const [k, s] of pendingOf(state, 'snaps')) {
    const report = reportOf(s.node)
    if (report && reported(report, s).length === 0) {
      changes.push({t: 'snaps', k})
      gone.add(k)
    }
  }
  for (const [k, dfn] of pendingOf(state, 'snapDfns')) {
    const snaps = snapsOf(state, dfn.rscDfn, dfn.name).filter((s) => !gone.has(snapKey(s.rscDfn, s.snap, s.node)))
    if (dfn.flags.includes('DELETE')) {
      if (!snaps.length) changes.push({t: 'snapDfns', k})
      continue
    }
    const states = snaps.flatMap((s) => {
      const report = reportOf(s.node)
      return dfn.vlms.map((v) => (report ? reported(report, s).find((x) => x.vlmNr === v.vlmNr)?.state : undefined))
    })
    if (states.includes('Failed')) changes.push({t: 'snapDfns', k, v: {...dfn, flags: [...dfn.flags, 'FAILED_DEPLOYMENT']}})
    else if (states.length && states.every((x) => x === 'Created')) changes.push({t: 'snapDfns', k, v: {...dfn, flags: [...dfn.flags, 'SUCCESSFUL']}})
  }
  return changes
}

/** snapshot-restore-volume-definition: the target gets the snapshot's volume definitions. */
export function restoreVlmDfns(state: ClusterState, rd: string, snap: string, body: unknown, ids: Ids): {target: RscDfnRec, changes: Change[]} {
  const dfn = findSnapDfn(state, rd, snap)
  return asApiFailure(() => {
    const target = findRscDfn(state, optString(object(body, 'restore').to_resource, 'to_resource') ?? '')
    if (vlmDfnsOf(state, target.name).length) {
      throw new ApiFailure(Rc.FAIL_EXISTS_VLM_DFN, {message: `Resource definition '${target.name}' already has volume definitions.`})
    }
    const made: VlmDfnRec[] = []
    const changes: Change[] = []
    for (const v of dfn.vlms) {
      const r = createVlmDfn(state, target, {volume_definition: {volume_number: v.vlmNr, size_kib: v.sizeKib}}, ids, made.flatMap((x) => x.minor ?? []))
      made.push(r.vd)
      changes.push(...r.changes)
    }
    return {target, changes}
  })
}

/** snapshot-restore-resource: resources of the target, on the snapshot's nodes, filled from it. */
export function restoreResources(state: ClusterState, rd: string, snap: string, body: unknown, ids: Ids): {rscs: RscRec[], changes: Change[]} {
  const dfn = findSnapDfn(state, rd, snap)
  return asApiFailure(() => {
    const o = object(body, 'restore')
    const target = findRscDfn(state, optString(o.to_resource, 'to_resource') ?? '')
    if (!dfn.flags.includes('SUCCESSFUL')) throw new ApiFailure(Rc.FAIL_IN_USE, {message: `Snapshot '${dfn.name}' of '${dfn.rscDfn}' is not complete.`})
    if (rscsOf(state, target.name).length) throw new ApiFailure(Rc.FAIL_EXISTS_RSC, {message: `Resource definition '${target.name}' already has resources.`})
    const vds = vlmDfnsOf(state, target.name)
    if (vds.length !== dfn.vlms.length) {
      throw new ApiFailure(Rc.FAIL_NOT_FOUND_VLM_DFN, {message: `Resource definition '${target.name}' needs the snapshot's ${dfn.vlms.length} volume definition(s).`,
        correction: 'Call snapshot-restore-volume-definition first.'})
    }
    const only = optStringList(o.nodes, 'nodes')?.map(nameKey)
    const snaps = snapsOf(state, rd, snap).filter((s) => !s.flags.includes('DELETE') && (!only || only.includes(nameKey(s.node))))
    if (!snaps.length) throw new ApiFailure(Rc.FAIL_NOT_FOUND_SNAPSHOT, {message: `Snapshot '${dfn.name}' exists on none of the nodes asked for.`})
    const layers = state.rscs[key2(rd, snaps[0]?.node ?? '')]?.layerStack ?? target.layerStack ?? ['STORAGE']
    const rscs = snaps.map((s, i): RscRec => ({
      rscDfn: target.name, node: s.node, props: {}, flags: [], layerStack: layers, nodeId: layers.includes('DRBD') ? i : undefined,
      pools: s.pools, restoreFrom: {rscDfn: dfn.rscDfn, snap: dfn.name}, uuid: ids.uuid(), createTs: ids.now(),
    }))
    return {rscs, changes: rscs.map((r): Change => ({t: 'rscs', k: key2(r.rscDfn, r.node), v: r}))}
  })
}

export function snapshotView(state: ClusterState, dfn: SnapDfnRec): Snapshot {
  const snaps = snapsOf(state, dfn.rscDfn, dfn.name).sort((a, b) => (a.node < b.node ? -1 : 1))
  return {
    name: dfn.name, resource_name: dfn.rscDfn, nodes: snaps.map((s) => s.node), props: dfn.props, flags: dfn.flags, uuid: dfn.uuid,
    volume_definitions: dfn.vlms.map((v) => ({volume_number: v.vlmNr, size_kib: v.sizeKib})),
    snapshots: snaps.map((s) => ({snapshot_name: s.snap, node_name: s.node, create_timestamp: s.createTs, flags: s.flags, uuid: s.uuid,
      snapshot_volumes: dfn.vlms.map((v) => ({vlm_nr: v.vlmNr}))})),
  }
}
