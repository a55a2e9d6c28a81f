// `cairn controller db export/import`: the whole cluster state as one JSON document, for backups
// and migration. Import checks the document's shape before anything is written. Pure.
import {emptyState, tableNames, type ClusterState} from '../model/state.ts'

export const DUMP_FORMAT = 'cairn-db'
export const DUMP_VERSION = 1

export interface Dump {format: string, version: number, exported_at: string, seq: number, tables: Record<string, Record<string, unknown>>}

export function toDump(state: ClusterState, now: Date): Dump {
  return {format: DUMP_FORMAT, version: DUMP_VERSION, exported_at: now.toISOString(), seq: state.seq,
    tables: Object.fromEntries(tableNames.map((t) => [t, state[t] as Record<string, unknown>]))}
}

export class DumpError extends Error {}

export function fromDump(raw: unknown): ClusterState {
  const d = raw as Partial<Dump> | null
  if (!d || typeof d !== 'object' || d.format !== DUMP_FORMAT) throw new DumpError(`not a Cairn database export (format must be '${DUMP_FORMAT}')`)
  if (d.version !== DUMP_VERSION) throw new DumpError(`export version ${String(d.version)} is not supported (this Cairn reads version ${DUMP_VERSION})`)
  if (typeof d.seq !== 'number' || !Number.isInteger(d.seq) || d.seq < 0) throw new DumpError("'seq' must be a non-negative integer")
  if (!d.tables || typeof d.tables !== 'object') throw new DumpError("'tables' is missing")
  const unknown = Object.keys(d.tables).filter((t) => !(tableNames as readonly string[]).includes(t))
  if (unknown.length) throw new DumpError(`unknown tables: ${unknown.join(', ')}`)
  const state = emptyState()
  state.seq = d.seq
  for (const t of tableNames) {
    const table = d.tables[t] ?? {}
    if (typeof table !== 'object' || Array.isArray(table)) throw new DumpError(`table '${t}' must be an object of records`)
    for (const [k, v] of Object.entries(table)) {
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new DumpError(`record '${k}' of table '${t}' is not an object`)
      if (k !== k.toUpperCase()) throw new DumpError(`record key '${k}' of table '${t}' must be upper case`)
    }
    ;(state as unknown as Record<string, unknown>)[t] = table
  }
  return state
}
