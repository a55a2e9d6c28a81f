// lowdb snapshot + append-only journal. A commit appends one JSON line and fdatasyncs it; commits
// that arrive while a sync is running are written together by the next one (group commit). The
// snapshot (lowdb's JSON file) is rewritten only on compaction, so a change never costs a full
// rewrite. Recovery: load the snapshot, replay journal lines with a higher sequence number, and
// cut off a torn last line (it was never acknowledged).
import {open, readFile, rename, truncate, type FileHandle} from 'node:fs/promises'
import {join} from 'node:path'
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

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

async function loadSnapshot(dir: string): Promise<ClusterState> {
  const {Low} = await import('lowdb')
  const {DataFile} = await import('lowdb/node')
  const db = new Low<ClusterState>(new DataFile<ClusterState>(join(dir, SNAPSHOT), {parse: JSON.parse, stringify: JSON.stringify}), emptyState())
  await db.read()
  return {...emptyState(), ...db.data}
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

export async function openJournalStore(opts: JournalStoreOptions): Promise<Store> {
  const {dir} = opts
  const compactEvery = opts.compactEvery ?? 20_000
  const journalPath = join(dir, JOURNAL)
  const state = await loadSnapshot(dir)
  const text = await readFile(journalPath, 'utf8').catch(() => '')
  const valid = replay(state, text)
  if (valid < Buffer.byteLength(text)) await truncate(journalPath, Buffer.byteLength(text.slice(0, valid)))
  let journal: FileHandle = await open(journalPath, 'a')
  let entriesInJournal = text.slice(0, valid).split('\n').length - 1

  let pending: {line: string, done: () => void, fail: (e: Error) => void}[] = []
  let flushing: Promise<void> | undefined
  let broken: Error | undefined
  let closed = false

  async function writeSnapshot(): Promise<void> {
    const tmp = join(dir, `.${SNAPSHOT}.tmp`)
    const data = JSON.stringify(state)
    const fh = await open(tmp, 'w', 0o600)
    try {
      await fh.writeFile(data)
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, join(dir, SNAPSHOT))
    await fsyncDir(dir)
  }

  async function flushLoop(): Promise<void> {
    while (pending.length) {
      const batch = pending
      pending = []
      try {
        await journal.appendFile(batch.map((b) => b.line).join(''))
        await journal.datasync()
        entriesInJournal += batch.length
        batch.forEach((b) => b.done())
      } catch (e) {
        broken = e as Error
        batch.forEach((b) => b.fail(broken as Error))
        pending.forEach((b) => b.fail(broken as Error))
        pending = []
      }
      if (entriesInJournal >= compactEvery && !broken) await compactNow()
    }
    flushing = undefined
  }

  // Runs only inside the flush loop or when it is idle, so no append races the journal swap.
  async function compactNow(): Promise<void> {
    await writeSnapshot()
    await journal.close()
    await truncate(journalPath, 0)
    journal = await open(journalPath, 'a')
    entriesInJournal = 0
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
      flushing ??= flushLoop()
      return p
    },
    async compact() {
      while (flushing) await flushing
      if (!broken) await compactNow()
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
