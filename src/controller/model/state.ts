// The cluster state: plain records in tables keyed by upper-cased names. Everything the
// controller knows durably is here; runtime facts (connections, satellite reports) are not.
import type {NodeRec} from './node.ts'
import type {StorPoolDfnRec, StorPoolRec} from './storage-pool.ts'
import type {RscGrpRec, VlmGrpRec} from './resource-group.ts'
import type {RscDfnRec, VlmDfnRec} from './resource-definition.ts'
import type {RscRec} from './resource.ts'
import type {KvsRec} from './key-value-store.ts'
import type {NodeConnRec, RscConnRec} from './connections.ts'
import type {SnapDfnRec, SnapRec} from './snapshot.ts'
import type {ExtFileRec} from './external-file.ts'
import type {RemoteRec} from './remote.ts'
import type {AuthTokenRec} from './auth-token.ts'
import type {ShipmentRec} from './shipment.ts'
import type {ScheduleRec} from './schedule.ts'
import type {ScheduledShippingRec} from './scheduled-shipping.ts'
import {updateIndex} from './state-index.ts'

export interface Tables {
  nodes: Record<string, NodeRec>
  storPoolDfns: Record<string, StorPoolDfnRec>
  storPools: Record<string, StorPoolRec>
  rscGrps: Record<string, RscGrpRec>
  vlmGrps: Record<string, VlmGrpRec>
  rscDfns: Record<string, RscDfnRec>
  vlmDfns: Record<string, VlmDfnRec>
  rscs: Record<string, RscRec>
  ctrlProps: Record<string, {props: Record<string, string>}>
  kvs: Record<string, KvsRec>
  nodeConns: Record<string, NodeConnRec>
  rscConns: Record<string, RscConnRec>
  snapDfns: Record<string, SnapDfnRec>
  snaps: Record<string, SnapRec>
  extFiles: Record<string, ExtFileRec>
  authTokens: Record<string, AuthTokenRec>
  remotes: Record<string, RemoteRec>
  shipments: Record<string, ShipmentRec>
  schedules: Record<string, ScheduleRec>
  scheduledShippings: Record<string, ScheduledShippingRec>
}

export type TableName = keyof Tables

export interface ClusterState extends Tables {
  /** Sequence number of the last change applied. */
  seq: number
}

export const tableNames: readonly TableName[] = ['nodes', 'storPoolDfns', 'storPools', 'rscGrps', 'vlmGrps', 'rscDfns', 'vlmDfns', 'rscs', 'ctrlProps',
  'kvs', 'nodeConns', 'rscConns', 'snapDfns', 'snaps', 'extFiles', 'authTokens', 'remotes', 'shipments',
  'schedules', 'scheduledShippings']

export function emptyState(): ClusterState {
  const s = {seq: 0} as ClusterState
  for (const t of tableNames) (s as unknown as Record<string, object>)[t] = {}
  return s
}

/** One change: put a record (v present) or delete it (v absent). */
export interface Change {t: TableName, k: string, v?: unknown}

/** Applies changes in place; used by the store both live and on journal replay. */
export function applyChanges(state: ClusterState, changes: readonly Change[]): void {
  for (const c of changes) {
    const table = state[c.t] as Record<string, unknown>
    updateIndex(state, c, table[c.k])
    if (c.v === undefined) delete table[c.k]
    else table[c.k] = c.v
  }
}

/** Composite keys: parent and child names joined by a character no name may contain. */
export const key2 = (a: string, b: string | number): string => `${a.toUpperCase()}/${String(b).toUpperCase()}`
