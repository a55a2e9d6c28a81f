// Finding a resource's volumes in a satellite report without scanning it each time: reports of
// busy nodes list thousands of volumes, and views look up every one. The lookup map is built once
// per report and dropped with it.
import type {DrbdReport, LuksReport, NvmeReport, SatelliteReport, VolumeReport} from './messages.ts'

const maps = new WeakMap<SatelliteReport, Map<string, VolumeReport[]>>()

export function volumesOf(report: SatelliteReport | undefined, rsc: string): VolumeReport[] {
  if (!report) return []
  let m = maps.get(report)
  if (!m) {
    m = new Map()
    for (const v of report.volumes) {
      const k = v.rsc.toUpperCase()
      const list = m.get(k)
      if (list) list.push(v)
      else m.set(k, [v])
    }
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
