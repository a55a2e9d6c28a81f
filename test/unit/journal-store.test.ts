import {after, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {appendFile, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {type Change, emptyState} from '../../src/controller/model/state.ts'
import {openJournalStore, replay} from '../../src/controller/store/journal-store.ts'

const JOURNAL = 'cairn-db.journal'
const SNAPSHOT = 'cairn-db.json'

const dirs: string[] = []
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'cairn-journal-test-'))
  dirs.push(d)
  return d
}
after(async () => {
  for (const d of dirs) await rm(d, {recursive: true, force: true})
})

const put = (k: string, v: unknown = {name: k}): Change[] => [{t: 'nodes', k, v}]
const del = (k: string): Change[] => [{t: 'nodes', k}]
const journalLines = async (dir: string): Promise<string[]> =>
  (await readFile(join(dir, JOURNAL), 'utf8')).split('\n').filter(Boolean)

describe('openJournalStore', () => {
  test('an empty directory opens as the empty state', async () => {
    const store = await openJournalStore({dir: await tempDir()})
    assert.deepEqual(store.state, emptyState())
    await store.close()
  })

  test('commit applies at once, then reopen (without close) restores it from the journal', async () => {
    const dir = await tempDir()
    const a = await openJournalStore({dir})
    const p = a.commit(put('N1'))
    assert.deepEqual(a.state.nodes.N1, {name: 'N1'})
    await p
    await a.commit(put('N2'))
    await a.commit(del('N1'))
    const b = await openJournalStore({dir})
    assert.deepEqual(b.state.nodes, {N2: {name: 'N2'}})
    assert.equal(b.state.seq, 3)
    await a.close()
    await b.close()
  })

  test('close writes a snapshot and empties the journal; reopen restores', async () => {
    const dir = await tempDir()
    const a = await openJournalStore({dir})
    await a.commit([...put('N1'), {t: 'rscGrps', k: 'RG1', v: {name: 'rg1'}}])
    await a.close()
    assert.equal((await stat(join(dir, JOURNAL))).size, 0)
    const b = await openJournalStore({dir})
    assert.deepEqual(b.state.nodes, {N1: {name: 'N1'}})
    assert.deepEqual(b.state.rscGrps, {RG1: {name: 'rg1'}})
    assert.equal(b.state.seq, 1)
    await b.close()
  })

  test('200 concurrent commits are all durable, with consecutive sequence numbers', async () => {
    const dir = await tempDir()
    const a = await openJournalStore({dir})
    const commits = Array.from({length: 200}, (_, i) => a.commit(put(`N${i}`, {i})))
    assert.equal(a.state.seq, 200)
    await Promise.all(commits)
    assert.deepEqual((await journalLines(dir)).map((l) => (JSON.parse(l) as {s: number}).s), Array.from({length: 200}, (_, i) => i + 1))
    const b = await openJournalStore({dir})
    assert.equal(b.state.seq, 200)
    assert.equal(Object.keys(b.state.nodes).length, 200)
    assert.deepEqual(b.state.nodes.N199, {i: 199})
    await a.close()
    await b.close()
  })

  test('a torn last journal line is cut off on open, and later commits continue', async () => {
    const dir = await tempDir()
    const a = await openJournalStore({dir})
    await a.commit(put('N1'))
    await a.commit(put('N2'))
    const good = await readFile(join(dir, JOURNAL), 'utf8')
    await appendFile(join(dir, JOURNAL), '{"s":3,"c":[{"t":"nodes","k":"N3","v":{"na')
    const b = await openJournalStore({dir})
    assert.equal(b.state.seq, 2)
    assert.deepEqual(Object.keys(b.state.nodes), ['N1', 'N2'])
    assert.equal(await readFile(join(dir, JOURNAL), 'utf8'), good)
    await b.commit(put('N4'))
    const c = await openJournalStore({dir})
    assert.equal(c.state.seq, 3)
    assert.deepEqual(Object.keys(c.state.nodes), ['N1', 'N2', 'N4'])
    for (const s of [a, b, c]) await s.close().catch(() => undefined)
  })

  test('a complete last line without its newline is also cut off (never acknowledged)', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, JOURNAL), '{"s":1,"c":[{"t":"nodes","k":"N1","v":{}}]}\n{"s":2,"c":[{"t":"nodes","k":"N2","v":{}}]}')
    const store = await openJournalStore({dir})
    assert.equal(store.state.seq, 1)
    assert.deepEqual(Object.keys(store.state.nodes), ['N1'])
    await store.close()
  })

  test('compact() empties the journal; reopen still restores, and commits continue', async () => {
    const dir = await tempDir()
    const a = await openJournalStore({dir})
    for (let i = 0; i < 5; i++) await a.commit(put(`N${i}`))
    await a.compact()
    assert.equal((await stat(join(dir, JOURNAL))).size, 0)
    const snap = JSON.parse(await readFile(join(dir, SNAPSHOT), 'utf8')) as {seq: number}
    assert.equal(snap.seq, 5)
    await a.commit(put('N5'))
    const b = await openJournalStore({dir})
    assert.equal(b.state.seq, 6)
    assert.equal(Object.keys(b.state.nodes).length, 6)
    await a.close()
    await b.close()
  })

  test('compactEvery compacts automatically', async () => {
    const dir = await tempDir()
    const a = await openJournalStore({dir, compactEvery: 4})
    for (let i = 0; i < 10; i++) await a.commit(put(`N${i}`))
    assert.ok((await journalLines(dir)).length < 4)
    const b = await openJournalStore({dir})
    assert.equal(b.state.seq, 10)
    assert.equal(Object.keys(b.state.nodes).length, 10)
    await a.close()
    await b.close()
  })

  test('journal lines already in the snapshot are skipped on replay', async () => {
    const dir = await tempDir()
    const a = await openJournalStore({dir})
    await a.commit(put('N1'))
    await a.commit(put('N2'))
    const journal = await readFile(join(dir, JOURNAL), 'utf8')
    await a.close()
    // A crash between writing the snapshot and emptying the journal leaves both.
    await writeFile(join(dir, JOURNAL), journal)
    const b = await openJournalStore({dir})
    assert.equal(b.state.seq, 2)
    assert.deepEqual(Object.keys(b.state.nodes), ['N1', 'N2'])
    await b.close()
  })

  test('a journal gap throws on open', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, JOURNAL), '{"s":1,"c":[]}\n{"s":3,"c":[]}\n')
    await assert.rejects(openJournalStore({dir}), /journal gap: expected entry 2, found 3/)
  })

  test('an empty change list resolves without a new sequence number', async () => {
    const store = await openJournalStore({dir: await tempDir()})
    await store.commit([])
    assert.equal(store.state.seq, 0)
    await store.close()
  })

  test('commit after close is refused; close twice is fine', async () => {
    const store = await openJournalStore({dir: await tempDir()})
    await store.close()
    await store.close()
    await assert.rejects(store.commit(put('N1')), /store is closed/)
  })

  test('a corrupt line followed by acknowledged lines is refused, not cut off', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, JOURNAL), '{"s":1,"c":[]}\n{"s":2,"c\n{"s":3,"c":[{"t":"nodes","k":"N3","v":{}}]}\n')
    await assert.rejects(openJournalStore({dir}))
  })

  test('commits during compact() are not lost', async () => {
    const dir = await tempDir()
    const a = await openJournalStore({dir})
    await a.commit(put('N0'))
    const compacting = a.compact()
    const commits = Array.from({length: 5}, (_, i) => a.commit(put(`N${i + 1}`)))
    const settled = await Promise.allSettled([compacting, ...commits])
    assert.deepEqual(settled.map((s) => s.status), Array(6).fill('fulfilled'))
    const b = await openJournalStore({dir})
    assert.deepEqual(Object.keys(b.state.nodes), ['N0', 'N1', 'N2', 'N3', 'N4', 'N5'])
    await b.close()
    await a.close().catch(() => undefined)
  })
})

describe('replay', () => {
  const line = (s: number, changes: Change[]): string => JSON.stringify({s, c: changes}) + '\n'

  test('applies entries in order and returns the length of the valid prefix', () => {
    const state = emptyState()
    const text = line(1, put('A')) + line(2, put('B')) + line(3, del('A'))
    assert.equal(replay(state, text), text.length)
    assert.equal(state.seq, 3)
    assert.deepEqual(state.nodes, {B: {name: 'B'}})
  })

  test('skips entries the state already has', () => {
    const state = emptyState()
    state.seq = 2
    state.nodes.X = {name: 'from snapshot'} as never
    const text = line(1, put('A')) + line(2, put('X', {name: 'old'})) + line(3, put('C'))
    assert.equal(replay(state, text), text.length)
    assert.equal(state.seq, 3)
    assert.deepEqual(Object.keys(state.nodes), ['X', 'C'])
    assert.deepEqual(state.nodes.X, {name: 'from snapshot'})
  })

  const stops: [string, string, number][] = [
    ['stops at a line without newline', line(1, put('A')) + '{"s":2,"c":[]}', 1],
    ['empty text', '', 0],
  ]
  for (const [name, text, seq] of stops) {
    test(name, () => {
      const state = emptyState()
      const valid = replay(state, text)
      assert.equal(state.seq, seq)
      assert.equal(valid, seq === 0 ? 0 : line(1, put('A')).length)
    })
  }

  test('a gap throws', () => {
    assert.throws(() => replay(emptyState(), line(2, put('A'))), /journal gap: expected entry 1, found 2/)
  })

  test('the valid length counts characters of the text, multi-byte included', () => {
    const state = emptyState()
    const text = line(1, put('A', {name: 'n\u00e9ud'})) + '{"s":2'
    assert.equal(replay(state, text), line(1, put('A', {name: 'n\u00e9ud'})).length)
  })
})
