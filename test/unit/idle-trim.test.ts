import {describe, test, mock} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {idleTrimmer} from '../../src/daemon/idle-trim.ts'

describe('idle trim of a satellite (issue 4: idle RSS)', () => {
  test('trims once, the idle time after the last busy()', () => {
    mock.timers.enable({apis: ['setTimeout']})
    try {
      let trims = 0
      const t = idleTrimmer(() => trims++, 1000)
      t.busy()
      mock.timers.tick(900)
      t.busy()
      mock.timers.tick(900)
      assert.equal(trims, 0, 'the second busy() put the trim off')
      mock.timers.tick(100)
      assert.equal(trims, 1)
      mock.timers.tick(5000)
      assert.equal(trims, 1, 'idle stays trimmed')
      t.busy()
      mock.timers.tick(1000)
      assert.equal(trims, 2, 'the next burst is trimmed too')
    } finally {
      mock.timers.reset()
    }
  })

  // In a process of its own: compactingGc() turns --expose-gc on. A burst leaves the heap at
  // tens of MB with little of it alive; V8 keeps those pages until its memory reducer runs.
  test('compactingGc() hands the pages of a burst back', () => {
    const probe = `const {compactingGc} = await import(${JSON.stringify(new URL('../../src/daemon/idle-trim.ts', import.meta.url).href)})
const trim = compactingGc()
let keep = []
for (let i = 0; i < 1000000; i++) { keep.push({i, s: 'x' + i}); if (keep.length > 300000) keep = [] }
keep = undefined
const before = process.memoryUsage().heapTotal
trim()
console.log(JSON.stringify({before, after: process.memoryUsage().heapTotal}))`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {encoding: 'utf8'})
    assert.equal(r.status, 0, r.stderr)
    const {before, after} = JSON.parse(r.stdout) as {before: number, after: number}
    assert.ok(before >= 20 * 2 ** 20, `the burst grew the heap (else this test shows nothing): ${before}`)
    assert.ok(after <= 10 * 2 ** 20, `heap after the trim: ${after}`)
  })
})
