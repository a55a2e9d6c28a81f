// lowdb snapshot + append-only journal. A commit appends one JSON line and fdatasyncs it; commits
// that arrive while a sync is running are written together by the next one (group commit). The
// snapshot (lowdb's JSON file) is rewritten only on compaction, so a change never costs a full
// rewrite. Recovery: load the snapshot, replay journal lines with a higher sequence number, and
// cut off a torn last line (it was never acknowledged).
import {open, readFile, rename, truncate, type FileHandle} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import type {Adapter} from 'lowdb'
import {applyChanges, emptyState, type Change, type ClusterState} from '../model/state.ts'
import type {Store} from './store.ts'

export interface JournalStoreOptions {
  dir: string
  /** Compact after this many journal entries (and always on close). */
  compactEvery?: number
}

interface Entry {s: number, c: readonly Change[]}

const SNAPSHOT = 'cairn-db.json'
const JOURNAL = 'cairn-db.journal'

/**
 * A lowdb adapter that makes each snapshot durable: write a temporary file, fsync it, rename it
 * over the snapshot and fsync the directory (lowdb's own JSONFile does not fsync).
 */
class DurableJsonFile implements Adapter<ClusterState> {
  private readonly path: string
  constructor(path: string) {
    this.path = path
  }

  async read(): Promise<ClusterState | null> {
    const text = await readFile(this.path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null
      throw e
    })
    return text === null ? null : JSON.parse(text) as ClusterState
  }

  async write(data: ClusterState): Promise<void> {
    const dir = dirname(this.path)
    const tmp = join(dir, `.${basename(this.path)}.tmp`)
    const fh = await open(tmp, 'w', 0o600)
    try {
      await fh.writeFile(JSON.stringify(data))
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, this.path)
    const d = await open(dir, 'r')
    try {
      await d.sync()
    } finally {
      await d.close()
    }
  }
}

/** Replays the journal onto `state`; returns the byte length of the valid prefix. */
export function replay(state: ClusterState, text: string): number {
  let valid = 0
  let pos = 0
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos)
    if (nl < 0) break
    let entry: Entry
    try {
      entry = JSON.parse(text.slice(pos, nl)) as Entry
    } catch {
      // Only the last line can be torn (it was never acknowledged); a bad line with complete
      // lines after it is corruption, and cutting there would drop acknowledged changes.
      if (text.indexOf('\n', nl + 1) >= 0) throw new Error(`journal corrupt at byte ${Buffer.byteLength(text.slice(0, pos))}: refusing to open`)
      break
    }
    if (entry.s > state.seq) {
      if (entry.s !== state.seq + 1) throw new Error(`journal gap: expected entry ${state.seq + 1}, found ${entry.s}`)
      applyChanges(state, entry.c)
      state.seq = entry.s
    }
    pos = nl + 1
    valid = pos
  }
  return valid
}

/** The state as the files hold it, without touching them (safe while a controller runs). */
export async function readDatabase(dir: string): Promise<ClusterState> {
  const snapshot = await new DurableJsonFile(join(dir, SNAPSHOT)).read()
  const state: ClusterState = {...emptyState(), ...snapshot}
  replay(state, await readFile(join(dir, JOURNAL), 'utf8').catch(() => ''))
  return state
}

/** Replaces the database with `state`: a durable snapshot and an empty journal. */
export async function writeDatabase(dir: string, state: ClusterState): Promise<void> {
  await new DurableJsonFile(join(dir, SNAPSHOT)).write(state)
  await truncate(join(dir, JOURNAL), 0).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e
  })
}

export async function openJournalStore(opts: JournalStoreOptions): Promise<Store> {
  const {dir} = opts
  const compactEvery = opts.compactEvery ?? 20_000
  const journalPath = join(dir, JOURNAL)
  const {Low} = await import('lowdb')
  const db = new Low<ClusterState>(new DurableJsonFile(join(dir, SNAPSHOT)), emptyState())
  await db.read()
  const state: ClusterState = {...emptyState(), ...db.data}
  db.data = state
  const text = await readFile(journalPath, 'utf8').catch(() => '')
  const valid = replay(state, text)
  if (valid < Buffer.byteLength(text)) await truncate(journalPath, Buffer.byteLength(text.slice(0, valid)))
  let journal: FileHandle = await open(journalPath, 'a')
  let entriesInJournal = text.slice(0, valid).split('\n').length - 1

  let pending: {line: string, done: () => void, fail: (e: Error) => void}[] = []
  // Every write to the files runs on this one queue, so a compaction never races an append.
  let queue: Promise<void> = Promise.resolve()
  let flushQueued = false
  let broken: Error | undefined
  let closed = false

  const enqueue = (op: () => Promise<void>): Promise<void> => (queue = queue.then(op, op))

  async function flush(): Promise<void> {
    flushQueued = false
    const batch = pending
    pending = []
    if (!batch.length || broken) return
    try {
      await journal.appendFile(batch.map((b) => b.line).join(''))
      await journal.datasync()
      entriesInJournal += batch.length
      batch.forEach((b) => b.done())
    } catch (e) {
      broken = e as Error
      batch.forEach((b) => b.fail(broken as Error))
      return
    }
    if (entriesInJournal >= compactEvery) await compactNow()
  }

  // The snapshot holds every change applied in memory, including ones whose journal line is
  // still pending: those lines are written afterwards and skipped on replay (seq too low).
  async function compactNow(): Promise<void> {
    if (broken) return
    try {
      await db.write()
      await journal.close()
      await truncate(journalPath, 0)
      journal = await open(journalPath, 'a')
      entriesInJournal = 0
    } catch (e) {
      broken = e as Error
      throw e
    }
  }

  const store: Store = {
    state,
    commit(changes) {
      if (broken) return Promise.reject(broken)
      if (closed) return Promise.reject(new Error('store is closed'))
      if (!changes.length) return Promise.resolve()
      applyChanges(state, changes)
      state.seq++
      const line = JSON.stringify({s: state.seq, c: changes}) + '\n'
      const p = new Promise<void>((done, fail) => pending.push({line, done, fail}))
      if (!flushQueued) {
        flushQueued = true
        void enqueue(flush)
      }
      return p
    },
    async compact() {
      await enqueue(compactNow)
      if (broken) throw broken
    },
    async close() {
      if (closed) return
      await store.compact()
      closed = true
      await journal.close()
    },
  }
  return store
}
