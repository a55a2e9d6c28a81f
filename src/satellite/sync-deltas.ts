// The satellite's end of delta syncs (protocol/rsc-delta.ts): a delta from the controller is
// applied to the desired state held from the last sync, and the report goes back as a delta on the
// one the controller says it holds. Holding the last desired state is only a cache: after a
// restart the first delta is answered with a resync, and the controller sends everything.
import {PROTOCOL_VERSION, type DesiredState, type ResyncReply, type SatelliteReport} from '../protocol/messages.ts'
import {applyDelta, changedRscs, deltaOf, textsByRsc} from '../protocol/rsc-delta.ts'

export type SyncWithDeltas = (msg: DesiredState) => Promise<SatelliteReport | ResyncReply>

/** Wraps a sync of whole states; `instance` names the satellite process, as in its reports. */
export function withDeltas(sync: (desired: DesiredState) => Promise<SatelliteReport> | SatelliteReport, instance: string): SyncWithDeltas {
  let held: DesiredState | undefined
  let seq = 0
  let lastTexts: ReturnType<typeof textsByRsc> | undefined
  let queue: Promise<unknown> = Promise.resolve()

  async function once(msg: DesiredState): Promise<SatelliteReport | ResyncReply> {
    const {base, reportBase, ...rest} = msg
    if (base !== undefined && held?.generation !== base) return {protocol: PROTOCOL_VERSION, instance, resync: true}
    const desired = base === undefined ? rest : applyDelta(held as DesiredState, rest)
    held = desired
    const report = {...await sync(desired), seq: ++seq}
    const texts = textsByRsc(report)
    const prev = lastTexts
    lastTexts = texts
    return prev && reportBase === `${instance}/${seq - 1}` ? {...deltaOf(report, changedRscs(prev, texts)), base: seq - 1} : report
  }

  // One at a time: each step builds on what the one before held.
  return (msg) => {
    const p = queue.then(() => once(msg))
    queue = p.catch(() => undefined)
    return p
  }
}
