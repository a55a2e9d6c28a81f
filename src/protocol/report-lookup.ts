// Finding a resource's volumes in a satellite report without scanning it each time: reports of
// busy nodes list thousands of volumes, and views look up every one. The lookup map is built once
// per report and dropped with it.
import type {DrbdReport, LuksReport, NvmeReport, SatelliteReport, VolumeReport} from './messages.ts'

const maps = new WeakMap<SatelliteReport, Map<string, VolumeReport[]>>()

function addVolumes(m: Map<string, VolumeReport[]>, volumes: readonly VolumeReport[]): void {
  for (const v of volumes) {
    const k = v.rsc.toUpperCase()
    const list = m.get(k)
    if (list) list.push(v)
    else m.set(k, [v])
  }
}

export function volumesOf(report: SatelliteReport | undefined, rsc: string): VolumeReport[] {
  if (!report) return []
  let m = maps.get(report)
  if (!m) {
    m = new Map()
    addVolumes(m, report.volumes)
    maps.set(report, m)
  }
  return m.get(rsc.toUpperCase()) ?? []
}

export const volumeOf = (report: SatelliteReport | undefined, rsc: string, vlmNr: number): VolumeReport | undefined =>
  volumesOf(report, rsc).find((v) => v.vlmNr === vlmNr)

const drbdMaps = new WeakMap<SatelliteReport, Map<string, DrbdReport>>()

export function drbdOf(report: SatelliteReport | undefined, rsc: string): DrbdReport | undefined {
  if (!report?.drbd) return undefined
  let m = drbdMaps.get(report)
  if (!m) drbdMaps.set(report, (m = new Map(report.drbd.map((d) => [d.rsc.toUpperCase(), d]))))
  return m.get(rsc.toUpperCase())
}

export const luksOf = (report: SatelliteReport | undefined, rsc: string, vlmNr: number): LuksReport | undefined =>
  report?.luks?.find((l) => l.vlmNr === vlmNr && l.rsc.toUpperCase() === rsc.toUpperCase())

export const luksOfRsc = (report: SatelliteReport | undefined, rsc: string): LuksReport[] =>
  report?.luks?.filter((l) => l.rsc.toUpperCase() === rsc.toUpperCase()) ?? []

export const nvmeOf = (report: SatelliteReport | undefined, rsc: string): NvmeReport | undefined =>
  report?.nvme?.find((n) => n.rsc.toUpperCase() === rsc.toUpperCase())

/**
 * `next` is `held` with `delta` applied (rsc-delta.ts): the lookup maps move over, updated for the
 * resources the delta names only. Rebuilding them for every report of a node with thousands of
 * volumes made most of the controller's garbage under a stream of spawns.
 */
export function carryLookups(held: SatelliteReport, next: SatelliteReport, delta: SatelliteReport): void {
  const changed = (delta.changed ?? []).map((r) => r.toUpperCase())
  const m = maps.get(held)
  if (m) {
    maps.delete(held)
    for (const k of changed) m.delete(k)
    addVolumes(m, delta.volumes)
    maps.set(next, m)
  }
  const d = drbdMaps.get(held)
  if (d) {
    drbdMaps.delete(held)
    for (const k of changed) d.delete(k)
    for (const x of delta.drbd ?? []) d.set(x.rsc.toUpperCase(), x)
    drbdMaps.set(next, d)
  }
}
