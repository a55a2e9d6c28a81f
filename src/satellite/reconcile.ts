// Desired versus actual volumes → what to do. Pure; the satellite runs the plan.
import type {DesiredSnapshot, DesiredVolume} from '../protocol/messages.ts'

export interface ActualRef {rsc: string, vlmNr: number, pool: string, devicePath?: string, usableKib?: number}
export interface VolumePlan {create: DesiredVolume[], remove: DesiredVolume[], keep: DesiredVolume[]}

const id = (v: {rsc: string, vlmNr: number, pool: string}): string => `${v.pool.toUpperCase()}/${v.rsc.toUpperCase()}/${v.vlmNr}`

export function planVolumes(desired: readonly DesiredVolume[], actual: readonly ActualRef[]): VolumePlan {
  const have = new Map(actual.map((a) => [id(a), a]))
  const plan: VolumePlan = {create: [], remove: [], keep: []}
  for (const d of desired) {
    const a = have.get(id(d))
    if (d.present) {
      // A volume without a device is half-made (crash, detached loop), a smaller one was grown
      // by the controller: create completes or grows it.
      if (a?.devicePath && (a.usableKib === undefined || a.usableKib >= d.sizeKib)) plan.keep.push(d)
      else plan.create.push(d)
    } else if (a) plan.remove.push(d)
  }
  return plan
}

export interface SnapshotPlan {create: DesiredSnapshot[], remove: DesiredSnapshot[], keep: DesiredSnapshot[]}

const snapId = (v: {rsc: string, vlmNr: number, snap: string}): string => `${v.rsc.toUpperCase()}/${v.vlmNr}@${v.snap.toUpperCase()}`

export function planSnapshots(desired: readonly DesiredSnapshot[], actual: readonly {rsc: string, vlmNr: number, snap: string}[]): SnapshotPlan {
  const have = new Set(actual.map(snapId))
  const plan: SnapshotPlan = {create: [], remove: [], keep: []}
  for (const d of desired) {
    if (d.present) (have.has(snapId(d)) ? plan.keep : plan.create).push(d)
    else if (have.has(snapId(d))) plan.remove.push(d)
  }
  return plan
}
