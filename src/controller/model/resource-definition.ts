// Resource definitions and their volume definitions.
import {Rc} from '../../common/api-call-rc.ts'
import {object, optInt, optString} from '../../common/input.ts'
import {nameKey, nameProblem} from '../../common/names.ts'
import {lowestFree, minorRange, minorTaken, portRange, portTaken} from './allocation.ts'
import {ApiFailure, asApiFailure, type Ids} from './api-failure.ts'
import {withFlag} from './flags.ts'
import {refuseInUse, type InUse} from './in-use.ts'
import {inherited, modifyProps, readProps, type Props} from './props.ts'
import {DFLT_RSC_GRP, findRscGrp} from './resource-group.ts'
import {DEFAULT_LAYERS, readLayerStack, type LayerKind} from './select-filter.ts'
import {type Change, type ClusterState, key2} from './state.ts'
import {rscsOfDfn, vlmDfnsOfDfn} from './state-index.ts'

export interface DrbdRscDfnData {port: number, secret: string, peerSlots: number, transport: string}

export interface RscDfnRec {
  name: string
  rscGrp: string
  props: Props
  flags: string[]
  externalName?: string
  layerStack?: LayerKind[]
  drbd?: DrbdRscDfnData
  uuid: string
}

export interface VlmDfnRec {
  rscDfn: string
  vlmNr: number
  sizeKib: number
  props: Props
  flags: string[]
  minor?: number
  /** The LUKS passphrase sealed with the master key (luks-keys.ts); never shown. */
  luksKey?: string
  uuid: string
}

/** Largest volume accepted: 1 EiB in KiB, far beyond any pool, small enough to stay exact. */
export const MAX_VLM_SIZE_KIB = 2 ** 50
export const DEFAULT_PEER_SLOTS = 7

export function findRscDfn(state: ClusterState, name: string): RscDfnRec {
  const rd = state.rscDfns[nameKey(name)]
  if (!rd) throw new ApiFailure(Rc.FAIL_NOT_FOUND_RSC_DFN, {message: `Resource definition '${name}' not found.`})
  return rd
}

export const vlmDfnsOf = (state: ClusterState, rd: string): VlmDfnRec[] =>
  vlmDfnsOfDfn(state, rd).sort((a, b) => a.vlmNr - b.vlmNr)


/** Validates a ResourceDefinitionCreate body. `state` must already contain `pending` changes' effects if any. */
export function createRscDfn(state: ClusterState, body: unknown, ids: Ids): {rd: RscDfnRec, changes: Change[]} {
  return asApiFailure(() => {
    const o = object(body, 'resource definition create')
    const d = object(o.resource_definition ?? {}, 'resource_definition')
    const name = optString(d.name, 'name') ?? ''
    const problem = nameProblem('resource', name)
    if (problem) throw new ApiFailure(Rc.FAIL_INVLD_RSC_NAME, {message: `Invalid resource name '${name}': ${problem}`})
    if (state.rscDfns[nameKey(name)]) {
      throw new ApiFailure(Rc.FAIL_EXISTS_RSC_DFN, {message: `Resource definition '${name}' already exists.`, obj_refs: {RscDfn: name}})
    }
    const rg = findRscGrp(state, optString(d.resource_group_name, 'resource_group_name') ?? DFLT_RSC_GRP)
    const layerStack = readLayerData(d.layer_data)
    const rd: RscDfnRec = {
      name, rscGrp: rg.name, props: readProps(d.props), flags: [],
      externalName: optString(d.external_name, 'external_name', 255), layerStack, uuid: ids.uuid(),
    }
    const range = portRange(state)
    const given = {
      port: optInt(o.drbd_port, 'drbd_port', range.min, range.max), secret: optString(o.drbd_secret, 'drbd_secret', 64),
      peerSlots: optInt(o.drbd_peer_slots, 'drbd_peer_slots', 1, 31), transport: optString(o.drbd_transport_type, 'drbd_transport_type'),
    }
    // Only definitions that will run DRBD take a TCP port (and their volumes minors), as in LINSTOR.
    if ((layerStack ?? rg.selectFilter.layer_stack ?? DEFAULT_LAYERS).includes('DRBD')) {
      const port = given.port ?? lowestFree(portTaken(state), range, 'DRBD TCP port')
      if (portTaken(state)(port)) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `DRBD TCP port ${port} is already in use.`})
      rd.drbd = {port, secret: given.secret ?? ids.uuid().replaceAll('-', '').slice(0, 20),
        peerSlots: given.peerSlots ?? rg.peerSlots ?? DEFAULT_PEER_SLOTS, transport: given.transport ?? 'IP'}
    } else if (Object.values(given).some((v) => v !== undefined)) {
      throw new ApiFailure(Rc.FAIL_INVLD_LAYER_STACK, {message: `Resource definition '${name}' has no DRBD layer: drbd_* settings do not apply.`})
    }
    return {rd, changes: [{t: 'rscDfns', k: nameKey(name), v: rd}]}
  })
}

/** `layer_data: [{type: 'DRBD'}, {type: 'STORAGE'}]`, as `linstor rd create --layer-list` sends it. */
function readLayerData(raw: unknown): LayerKind[] | undefined {
  if (raw === undefined || raw === null) return undefined
  if (!Array.isArray(raw)) throw new ApiFailure(Rc.FAIL_INVLD_LAYER_STACK, {message: "'layer_data' must be a list of {\"type\": <layer>}"})
  return readLayerStack(raw.map((l) => (l && typeof l === 'object' ? (l as {type?: unknown}).type : l)), 'layer_data')
}

export function readSizeKib(raw: unknown, field = 'size_kib'): number {
  try {
    const n = optInt(raw, field, 1, MAX_VLM_SIZE_KIB)
    if (n === undefined) throw new Error(`'${field}' is required`)
    return n
  } catch (e) {
    throw new ApiFailure(Rc.FAIL_INVLD_VLM_SIZE, {message: `Invalid volume size: ${(e as Error).message}`,
      correction: 'Give the size in KiB as a positive integer.'})
  }
}

/** Validates a VolumeDefinitionCreate body for `rd`; `taken` holds minors allocated earlier in the same call. */
export function createVlmDfn(state: ClusterState, rd: RscDfnRec, body: unknown, ids: Ids, taken: number[] = []): {vd: VlmDfnRec, changes: Change[]} {
  return asApiFailure(() => {
    const o = object(body, 'volume definition create')
    const v = object(o.volume_definition ?? {}, 'volume_definition')
    const existing = vlmDfnsOf(state, rd.name).map((x) => x.vlmNr)
    const vlmNr = optInt(v.volume_number, 'volume_number', 0, 31999) ?? (existing.length ? Math.max(...existing) + 1 : 0)
    if (existing.includes(vlmNr)) {
      throw new ApiFailure(Rc.FAIL_EXISTS_VLM_DFN, {message: `Volume definition ${vlmNr} of '${rd.name}' already exists.`})
    }
    const range = minorRange(state)
    const givenMinor = optInt(o.drbd_minor_number, 'drbd_minor_number', range.min, range.max)
    let minor: number | undefined
    if (rd.drbd) {
      const inUse = minorTaken(state)
      const used = (n: number): boolean => inUse(n) || taken.includes(n)
      minor = givenMinor ?? lowestFree(used, range, 'DRBD minor number')
      if (used(minor)) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `DRBD minor ${minor} is already in use.`})
    } else if (givenMinor !== undefined) {
      throw new ApiFailure(Rc.FAIL_INVLD_LAYER_STACK, {message: `Resource definition '${rd.name}' has no DRBD layer: a DRBD minor does not apply.`})
    }
    const vd: VlmDfnRec = {rscDfn: rd.name, vlmNr, sizeKib: readSizeKib(v.size_kib), props: readProps(v.props), flags: [], minor, uuid: ids.uuid()}
    return {vd, changes: [{t: 'vlmDfns', k: key2(rd.name, vlmNr), v: vd}]}
  })
}

export function modifyRscDfn(state: ClusterState, name: string, body: unknown): {rd: RscDfnRec, changes: Change[]} {
  const rd = findRscDfn(state, name)
  return asApiFailure(() => {
    const o = object(body ?? {}, 'resource definition modify')
    const next: RscDfnRec = {...rd, props: modifyProps(rd.props, o)}
    const rgName = optString(o.resource_group, 'resource_group')
    if (rgName !== undefined) next.rscGrp = findRscGrp(state, rgName).name
    const stack = readLayerStack(o.layer_stack)
    if (stack) {
      if (rscsOfDfn(state, rd.name).length) {
        throw new ApiFailure(Rc.FAIL_IN_USE, {message: `The layer stack of '${rd.name}' cannot change while it has resources.`})
      }
      next.layerStack = stack
    }
    const range = portRange(state)
    const port = optInt(o.drbd_port, 'drbd_port', range.min, range.max)
    const slots = optInt(o.drbd_peer_slots, 'drbd_peer_slots', 1, 31)
    if ((port !== undefined || slots !== undefined) && !next.drbd) {
      throw new ApiFailure(Rc.FAIL_INVLD_LAYER_STACK, {message: `Resource definition '${rd.name}' has no DRBD layer: it has no DRBD port or peer slots to set.`})
    }
    if (next.drbd && port !== undefined && port !== next.drbd.port) {
      if (portTaken(state)(port)) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `DRBD TCP port ${port} is already in use.`})
      next.drbd = {...next.drbd, port}
    }
    if (next.drbd && slots !== undefined) next.drbd = {...next.drbd, peerSlots: slots}
    return {rd: next, changes: [{t: 'rscDfns', k: nameKey(rd.name), v: next}]}
  })
}

/**
 * Resource definition delete, first step: flag it and its resources DELETE. The satellites
 * remove the volumes; the records go when they report them gone (deletion.ts).
 */
export function markRscDfnDeleted(state: ClusterState, name: string, inUse: InUse = () => false): Change[] | undefined {
  const rd = state.rscDfns[nameKey(name)]
  if (!rd) return undefined
  refuseInUse(rscsOfDfn(state, rd.name), inUse)
  const snaps = Object.values(state.snapDfns).filter((s) => nameKey(s.rscDfn) === nameKey(rd.name))
  if (snaps.length) {
    throw new ApiFailure(Rc.FAIL_EXISTS_SNAPSHOT_DFN, {message: `Resource definition '${rd.name}' still has ${snaps.length} snapshot(s).`,
      details: `Snapshots: ${snaps.map((s) => s.name).join(', ')}`, cause: 'Deleting it would leave its snapshots without an owner.',
      correction: 'Delete the snapshots first.'})
  }
  const rscs = rscsOfDfn(state, rd.name).map((r): [string, typeof r] => [key2(r.rscDfn, r.node), r])
  if (!rscs.length) {
    return [{t: 'rscDfns', k: nameKey(rd.name)}, ...vlmDfnsOf(state, rd.name).map((v): Change => ({t: 'vlmDfns', k: key2(rd.name, v.vlmNr)}))]
  }
  return [{t: 'rscDfns', k: nameKey(rd.name), v: withFlag(rd, 'DELETE')}, ...rscs.map(([k, r]): Change => ({t: 'rscs', k, v: withFlag(r, 'DELETE')}))]
}

export function findVlmDfn(state: ClusterState, rd: string, nr: string | number): VlmDfnRec {
  const vd = state.vlmDfns[key2(rd, nr)]
  if (!vd) throw new ApiFailure(Rc.FAIL_NOT_FOUND_VLM_DFN, {message: `Volume definition ${nr} of '${rd}' not found.`})
  return vd
}

const isTrue = (v: string | undefined): boolean => v !== undefined && v.toLowerCase() === 'true'

/** VolumeDefinitionModify: properties, and size (grow; shrink only while nothing is deployed). */
export function modifyVlmDfn(state: ClusterState, rdName: string, nr: string, body: unknown): {vd: VlmDfnRec, changes: Change[], resized: boolean} {
  const rd = findRscDfn(state, rdName)
  const vd = findVlmDfn(state, rd.name, nr)
  return asApiFailure(() => {
    const o = object(body ?? {}, 'volume definition modify')
    const next: VlmDfnRec = {...vd, props: modifyProps(vd.props, o)}
    const size = o.size_kib === undefined || o.size_kib === null ? undefined : readSizeKib(o.size_kib)
    let resized = false
    if (size !== undefined && size !== vd.sizeKib) {
      if (isTrue(inherited('DrbdOptions/ExactSize', [next.props, rd.props]))) {
        throw new ApiFailure(Rc.FAIL_INVLD_VLM_SIZE, {message: `Volume ${vd.vlmNr} of '${rd.name}' has DrbdOptions/ExactSize set and cannot be resized.`,
          correction: 'Remove the DrbdOptions/ExactSize property first.'})
      }
      const deployed = rscsOfDfn(state, rd.name).length > 0
      if (size < vd.sizeKib && deployed) {
        throw new ApiFailure(Rc.FAIL_INVLD_VLM_SIZE, {message: `Volume ${vd.vlmNr} of '${rd.name}' cannot shrink from ${vd.sizeKib} to ${size} KiB while it is deployed.`,
          cause: 'Shrinking would cut off data that filesystems on the volume may use.', correction: 'Shrink the filesystem and recreate the volume, or grow instead.'})
      }
      next.sizeKib = size
      resized = true
    }
    return {vd: next, changes: [{t: 'vlmDfns', k: key2(rd.name, vd.vlmNr), v: next}], resized}
  })
}

/** Volume definition delete, first step: flag it; with nothing deployed it goes at once. */
export function markVlmDfnDeleted(state: ClusterState, rdName: string, nr: string): Change[] | undefined {
  const vd = state.vlmDfns[key2(rdName, nr)]
  if (!vd) return undefined
  const deployed = rscsOfDfn(state, vd.rscDfn).some((r) => r.pools[String(vd.vlmNr)])
  return [{t: 'vlmDfns', k: key2(vd.rscDfn, vd.vlmNr), v: deployed ? withFlag(vd, 'DELETE') : undefined}]
}
