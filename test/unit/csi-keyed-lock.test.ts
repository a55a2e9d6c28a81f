import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {KeyedLock} from '../../drivers/csi/keyed-lock.ts'

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('KeyedLock', () => {
  test('one operation per key at a time, other keys run alongside; failures do not block the next', async () => {
    const lock = new KeyedLock()
    const log: string[] = []
    const op = (key: string, name: string, ms: number, fail = false) => lock.run(key, async () => {
      log.push(`start ${name}`)
      await tick(ms)
      log.push(`end ${name}`)
      if (fail) throw new Error(name)
      return name
    })
    const results = await Promise.allSettled([op('v1', 'a', 20, true), op('v1', 'b', 1), op('v2', 'c', 5)])
    assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)), ['a', 'b', 'c'])
    assert.deepEqual(log, ['start a', 'start c', 'end c', 'end a', 'start b', 'end b'])
    assert.deepEqual(lock.busy, [])
  })
})
