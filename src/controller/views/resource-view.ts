// Resource groups, definitions, resources and volumes as the REST API shows them. Pure.
import type {EffectivePropertiesMap, LUKSVolume, NVMEVolume, Resource, ResourceDefinition, ResourceGroup, ResourceLayer, ResourceWithVolumes, StorageVolume, Volume, VolumeDefinition} from '../../api/wire.ts'
import {Rc} from '../../common/api-call-rc.ts'
import {nameKey} from '../../common/names.ts'
import type {NodeRuntime} from '../link/satellite-link.ts'
import {ctrlPropsOf} from '../model/controller-props.ts'
import {effectiveProps} from '../model/props.ts'
import {vlmDfnsOf, type RscDfnRec, type VlmDfnRec} from '../model/resource-definition.ts'
import type {RscGrpRec} from '../model/resource-group.ts'
import {isDiskless as isDisklessRsc, type RscRec} from '../model/resource.ts'
import type {ClusterState} from '../model/state.ts'
import {key2} from '../model/state.ts'
import type {LuksReport, NvmeReport, VolumeReport} from '../../protocol/messages.ts'
import {drbdOf, luksOf, nvmeOf, volumeOf} from '../../protocol/report-lookup.ts'

export const rscGrpView = (rg: RscGrpRec): ResourceGroup => ({
  name: rg.name, description: rg.description, props: rg.props, select_filter: rg.selectFilter, uuid: rg.uuid, peer_slots: rg.peerSlots,
})

export const vlmDfnView = (vd: VlmDfnRec): VolumeDefinition => ({
  volume_number: vd.vlmNr, size_kib: vd.sizeKib, props: vd.props, flags: vd.flags, uuid: vd.uuid,
  layer_data: vd.minor === undefined ? undefined : [{type: 'DRBD', data: {volume_number: vd.vlmNr, minor_number: vd.minor}}],
})

export const rscDfnView = (rd: RscDfnRec, vds?: VlmDfnRec[]): ResourceDefinition => ({
  name: rd.name, external_name: rd.externalName, props: rd.props, flags: rd.flags, uuid: rd.uuid, resource_group_name: rd.rscGrp,
  layer_data: [
    // The shared secret stays on the controller and the satellites: listings never show it.
    ...((rd.layerStack ?? ['DRBD', 'STORAGE']).includes('DRBD') && rd.drbd ? [{type: 'DRBD' as const, data: {peer_slots: rd.drbd.peerSlots,
      port: rd.drbd.port, transport_type: rd.drbd.transport, al_stripes: 1, al_stripe_size_kib: 32}}] : []),
    ...(rd.layerStack?.includes('NVME') ? [{type: 'NVME' as const}] : []),
    ...(rd.layerStack?.includes('LUKS') ? [{type: 'LUKS' as const}] : []),
    {type: 'STORAGE'}],
  volume_definitions: vds?.map(vlmDfnView),
})

/** The STORAGE layer's view of one volume, as both the volume and the resource's layer object show it. */
const storageVolume = (vlmNr: number, rep: VolumeReport | undefined): StorageVolume => ({volume_number: vlmNr, device_path: rep?.devicePath,
  allocated_size_kib: rep?.allocatedKib, usable_size_kib: rep?.usableKib, disk_state: rep?.state})

/** The LUKS layer's view of one volume; the key itself never leaves the controller's memory. */
const luksVolume = (vlmNr: number, rep: LuksReport | undefined, below: VolumeReport | undefined): LUKSVolume => ({volume_number: vlmNr,
  device_path: rep?.devicePath, backing_device: rep?.backingDevice ?? below?.devicePath, allocated_size_kib: below?.allocatedKib,
  usable_size_kib: rep?.usableKib, disk_state: rep?.state, opened: rep?.opened ?? false})

/**
 * The NVME layer's view of one volume: on the target the device it exports, on an initiator the
 * connected namespace (/dev/nvmeXnY).
 */
const nvmeVolume = (vlmNr: number, rep: NvmeReport | undefined, below: VolumeReport | LuksReport | undefined, storage: VolumeReport | undefined): NVMEVolume => {
  const v = rep?.volumes.find((x) => x.vlmNr === vlmNr)
  return {volume_number: vlmNr, device_path: v?.devicePath, backing_device: v?.backingDevice ?? below?.devicePath, allocated_size_kib: storage?.allocatedKib,
    usable_size_kib: below?.usableKib, disk_state: rep?.state}
}

function volumeView(state: ClusterState, r: RscRec, vd: VlmDfnRec, rt: NodeRuntime): Volume {
  const pool = r.pools[String(vd.vlmNr)]
  const sp = pool ? state.storPools[key2(r.node, pool)] : undefined
  const rep = volumeOf(rt.report, r.rscDfn, vd.vlmNr)
  // With DRBD on top, the volume is the DRBD device: its path, its disk state, its errors.
  const drbd = r.layerStack.includes('DRBD') ? drbdOf(rt.report, r.rscDfn) : undefined
  const dv = drbd?.volumes.find((v) => v.vlmNr === vd.vlmNr)
  // With LUKS between, the layer above sees the opened device; a LUKS failure is the root cause of one above.
  const hasLuks = r.layerStack.includes('LUKS') && pool !== undefined && !isDisklessRsc(r)
  const luks = hasLuks ? luksOf(rt.report, r.rscDfn, vd.vlmNr) : undefined
  const below = hasLuks ? luks : rep
  const nvme = r.layerStack.includes('NVME') ? nvmeOf(rt.report, r.rscDfn) : undefined
  const nv = nvme?.volumes.find((v) => v.vlmNr === vd.vlmNr)
  const error = (nvme?.state === 'Failed' ? nvme.error : undefined) ?? (luks?.state === 'Failed' ? luks.error : undefined) ?? drbd?.error ?? rep?.error
  // A failed NVMe layer fails the volume; an initiator has nothing below it.
  const layerState = nvme?.state === 'Failed' ? nvme.state : (below ?? nvme)?.state
  return {
    volume_number: vd.vlmNr, storage_pool_name: pool, provider_kind: sp?.kind ?? 'DISKLESS', device_path: dv?.devicePath ?? nv?.devicePath ?? below?.devicePath,
    allocated_size_kib: rep?.allocatedKib, usable_size_kib: drbd ? vd.sizeKib : below?.usableKib, props: r.vlmProps?.[String(vd.vlmNr)] ?? {}, flags: [], uuid: vd.uuid,
    state: drbd ? {disk_state: drbd.state === 'Failed' ? 'Failed' : dv?.diskState} : layerState ? {disk_state: layerState} : undefined,
    layer_data_list: [...(drbd ? [{type: 'DRBD' as const, data: {drbd_volume_definition: {volume_number: vd.vlmNr, minor_number: vd.minor},
      device_path: dv?.devicePath, backing_device: below?.devicePath, disk_state: dv?.diskState}}] : []),
    ...(nvme ? [{type: 'NVME' as const, data: nvmeVolume(vd.vlmNr, nvme, below, rep)}] : []),
    ...(hasLuks ? [{type: 'LUKS' as const, data: luksVolume(vd.vlmNr, luks, rep)}] : []),
    {type: 'STORAGE', data: storageVolume(vd.vlmNr, rep)}],
    reports: error ? [{ret_code: BigInt.asIntN(64, Rc.FAIL_UNKNOWN_ERROR), message: error}] : undefined,
  }
}

function layerObject(r: RscRec, vds: VlmDfnRec[], rt: NodeRuntime): ResourceLayer {
  const storage: ResourceLayer = {type: 'STORAGE', storage: {storage_volumes: vds.map((vd) => storageVolume(vd.vlmNr, volumeOf(rt.report, r.rscDfn, vd.vlmNr)))}}
  const luks: ResourceLayer = !r.layerStack.includes('LUKS') || isDisklessRsc(r) ? storage
    : {type: 'LUKS', luks: {luks_volumes: vds.map((vd) => luksVolume(vd.vlmNr, luksOf(rt.report, r.rscDfn, vd.vlmNr), volumeOf(rt.report, r.rscDfn, vd.vlmNr)))},
      children: [storage]}
  if (!r.layerStack.includes('NVME')) return luks
  const nvme = nvmeOf(rt.report, r.rscDfn)
  return {type: 'NVME', nvme: {nvme_volumes: vds.map((vd) => {
    const storageRep = volumeOf(rt.report, r.rscDfn, vd.vlmNr)
    return nvmeVolume(vd.vlmNr, nvme, luks.type === 'LUKS' ? luksOf(rt.report, r.rscDfn, vd.vlmNr) : storageRep, storageRep)
  })}, children: [luks]}
}

/**
 * The DrbdOptions a resource runs with and where each comes from: resource, definition, group,
 * controller, the order in which its DRBD configuration inherits them (LINSTOR renders the same
 * namespace).
 */
function rscEffectiveProps(state: ClusterState, r: RscRec): EffectivePropertiesMap {
  const rd = state.rscDfns[nameKey(r.rscDfn)]
  const rg = rd && state.rscGrps[nameKey(rd.rscGrp)]
  return effectiveProps('DrbdOptions/', [
    {type: 'RSC', descr: `Resource '${r.rscDfn}' on node '${r.node}'`, props: r.props},
    {type: 'RSC_DFN', descr: `Resource definition '${r.rscDfn}'`, props: rd?.props},
    {type: 'RSC_GRP', descr: `Resource group '${rd?.rscGrp ?? ''}'`, props: rg?.props},
    {type: 'CTRL', descr: 'Controller', props: ctrlPropsOf(state)},
  ])
}

export function resourceView(state: ClusterState, r: RscRec, rt: NodeRuntime, vds = vlmDfnsOf(state, r.rscDfn)): Resource {
  return {
    name: r.rscDfn, node_name: r.node, props: r.props, effective_props: rscEffectiveProps(state, r), flags: r.flags, uuid: r.uuid, create_timestamp: r.createTs,
    layer_object: layerObject(r, vds, rt),
    // LINSTOR shows state only once the satellite has reported on the resource.
    state: rt.report && rt.status === 'ONLINE' ? {in_use: drbdOf(rt.report, r.rscDfn)?.inUse ?? false} : undefined,
  }
}

export function resourceWithVolumesView(state: ClusterState, r: RscRec, rt: NodeRuntime): ResourceWithVolumes {
  const vds = vlmDfnsOf(state, r.rscDfn)
  return {...resourceView(state, r, rt, vds), volumes: vds.map((vd) => volumeView(state, r, vd, rt))}
}

export const volumesView = (state: ClusterState, r: RscRec, rt: NodeRuntime): Volume[] =>
  vlmDfnsOf(state, r.rscDfn).map((vd) => volumeView(state, r, vd, rt))
