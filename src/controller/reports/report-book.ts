// Where error reports live: one JSON file per report under <data-dir>/reports, indexed in memory.
// Reports are diagnostics, not cluster state: they survive restarts but never enter the journal.
import {mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {randomUUID} from 'node:crypto'
import type {ErrorReport} from '../../api/wire.ts'
import type {Logger} from '../../common/log.ts'
import type {SatelliteError} from '../../protocol/messages.ts'
import {buildInfo} from '../../version.ts'
import {CONTROLLER_NODE, CONTROLLER_TAG, idOfFilename, instanceTag, makeReport, matches, nodeTag, reportId, type ReportInput, type ReportQuery} from './error-report.ts'

/** Oldest reports beyond this many are dropped: a node failing every few seconds must not fill the disk. */
export const MAX_REPORTS = 10_000

export interface ReportBook {
  /** Records a controller-side error; returns its id. */
  add(input: Omit<ReportInput, 'node' | 'time' | 'version'> & {time?: number}): string
  /** Records the satellite errors not seen before; returns the id of each by its sequence number. */
  ingest(node: string, instance: string, version: string, errors: readonly SatelliteError[]): Map<number, string>
  idOf(node: string, instance: string, seq: number): string
  list(q: ReportQuery): ErrorReport[]
  get(id: string): ErrorReport | undefined
  /** Deletes the matching reports; returns how many. */
  remove(q: ReportQuery): Promise<number>
  count(): number
  /** Resolves when every report so far is on disk. */
  flush(): Promise<void>
}

export async function openReportBook(dir: string, log: Logger): Promise<ReportBook> {
  await mkdir(dir, {recursive: true, mode: 0o700})
  const byId = new Map<string, ErrorReport>()
  for (const f of await readdir(dir)) {
    if (!f.endsWith('.json') || f === 'seen.json') continue
    try {
      const r = JSON.parse(await readFile(join(dir, f), 'utf8')) as ErrorReport
      byId.set(idOfFilename(r.filename ?? '').toUpperCase(), r)
    } catch (e) {
      log.warn('unreadable error report skipped', {file: f, error: (e as Error).message})
    }
  }
  // The highest sequence number filed per satellite instance: satellites resend their recent
  // errors with every sync, and a report deleted here must not be filed again. Kept on disk so
  // that a controller restart does not bring deleted reports back either.
  const seenFile = join(dir, 'seen.json')
  const seen = new Map<string, number>(Object.entries(JSON.parse(await readFile(seenFile, 'utf8').catch(() => '{}')) as Record<string, number>))
  const instance = randomUUID()
  let seq = 0
  let writes: Promise<unknown> = Promise.resolve()
  const fileOf = (id: string): string => join(dir, `${id}.json`)

  const put = (id: string, report: ErrorReport): void => {
    byId.set(id.toUpperCase(), report)
    writes = writes.then(() => writeFile(fileOf(id), JSON.stringify(report), {mode: 0o600})).catch((e: Error) =>
      log.error('writing an error report failed', {id, error: e.message}))
    if (byId.size > MAX_REPORTS) void book.remove({ids: new Set(sorted().slice(0, byId.size - MAX_REPORTS).map(idOf))})
  }
  const idOf = (r: ErrorReport): string => idOfFilename(r.filename ?? '').toUpperCase()
  const sorted = (): ErrorReport[] => [...byId.values()].sort((a, b) => Number(a.error_time) - Number(b.error_time))

  const book: ReportBook = {
    add(input) {
      const id = reportId(instance, CONTROLLER_TAG, seq++)
      put(id, makeReport(id, {...input, node: CONTROLLER_NODE, time: input.time ?? Date.now(), version: buildInfo.version}))
      return id
    },
    idOf: (node, inst, n) => reportId(inst, nodeTag(node), n),
    ingest(node, inst, version, errors) {
      const ids = new Map<number, string>()
      const key = `${nodeTag(node)}-${instanceTag(inst)}`
      const before = seen.get(key) ?? -1
      let highest = before
      for (const e of errors) {
        const id = book.idOf(node, inst, e.seq)
        ids.set(e.seq, id)
        if (e.seq > before) put(id, makeReport(id, {node, time: e.time, module: e.module, message: e.message, details: e.details, version}))
        highest = Math.max(highest, e.seq)
      }
      if (highest > before) {
        seen.set(key, highest)
        const text = JSON.stringify(Object.fromEntries(seen))
        writes = writes.then(() => writeFile(seenFile, text, {mode: 0o600})).catch((e: Error) => log.error('writing seen.json failed', {error: e.message}))
      }
      return ids
    },
    list: (q) => sorted().filter((r) => matches(r, q)),
    get: (id) => byId.get(idOfFilename(id).toUpperCase()),
    async remove(q) {
      const gone = sorted().filter((r) => matches(r, q)).map(idOf)
      for (const id of gone) byId.delete(id)
      await (writes = writes.then(() => Promise.all(gone.map((id) => rm(fileOf(id), {force: true})))))
      return gone.length
    },
    count: () => byId.size,
    flush: () => writes.then(() => undefined),
  }
  return book
}
