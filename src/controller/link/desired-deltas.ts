// The controller's end of delta syncs (protocol/rsc-delta.ts). What a node acknowledged is
// remembered as the text of each resource's items and the state version it was computed at; a
// sync recomputes only the resource definitions changed since (state-index.ts keeps that log)
// and sends those whose items really differ, so its cost follows the change, not the node's
// size. Anything shared moving (nodes, groups, controller properties, the master key), or no
// acknowledged sync to build on, means the whole state.
import type {DesiredState} from '../../protocol/messages.ts'
import {deltaOf, sameTexts, textsByRsc, type RscTexts} from '../../protocol/rsc-delta.ts'
import {desiredStateFor} from '../model/desired-state.ts'
import type {ClusterState} from '../model/state.ts'
import {rdsChangedSince, sharedVersion, stateVersion} from '../model/state-index.ts'

/** What a satellite acknowledged last: generation, versions, and per definition key the texts of its items. */
export interface SentState {
  generation: number
  version: number
  shared: number
  masterKey: Buffer | undefined
  rscs: Map<string, RscTexts>
}

/** The message to send; `acknowledged` turns what was last sent into what the node now holds. */
export interface SyncPlan {message: DesiredState, acknowledged(): SentState}

export function planSync(state: ClusterState, node: string, masterKey: Buffer | undefined, last: SentState | undefined): SyncPlan {
  const version = stateVersion(state)
  const shared = sharedVersion(state)
  const stale = last && last.shared === shared && last.masterKey === masterKey ? rdsChangedSince(state, last.version) : undefined
  const desired = desiredStateFor(state, node, masterKey, stale)
  const texts = textsByRsc(desired)
  if (!last || !stale) {
    return {message: desired, acknowledged: () => ({generation: desired.generation, version, shared, masterKey, rscs: texts})}
  }
  const changed: string[] = []
  for (const k of stale) {
    const now = texts.get(k)
    const before = last.rscs.get(k)
    if (!sameTexts(now, before)) changed.push((now ?? before)?.rsc as string)
  }
  return {
    message: {...deltaOf(desired, changed), base: last.generation},
    acknowledged: () => {
      for (const k of stale) {
        const now = texts.get(k)
        if (now) last.rscs.set(k, now)
        else last.rscs.delete(k)
      }
      return {...last, generation: desired.generation, version}
    },
  }
}
