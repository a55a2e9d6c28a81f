import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {formatSize, parseSize} from '../../src/common/units.ts'

const Ki = 1024
const Mi = Ki ** 2
const Gi = Ki ** 3
const Ti = Ki ** 4

describe('parseSize', () => {
  const cases: [string, 'B' | 'KiB' | 'MiB' | undefined, number][] = [
    ['4096', undefined, 4096],
    ['0', undefined, 0],
    ['4096K', undefined, 4096 * Ki],
    ['512M', undefined, 512 * Mi],
    ['10G', undefined, 10 * Gi],
    ['2T', undefined, 2 * Ti],
    ['1P', undefined, Ki ** 5],
    ['10g', undefined, 10 * Gi],
    ['512KiB', undefined, 512 * Ki],
    ['512MiB', undefined, 512 * Mi],
    ['10GiB', undefined, 10 * Gi],
    ['10Gi', undefined, 10 * Gi],
    ['100KB', undefined, 100_000],
    ['100MB', undefined, 100_000_000],
    ['100GB', undefined, 100_000_000_000],
    ['1TB', undefined, 1e12],
    ['100gb', undefined, 100_000_000_000],
    ['1.5T', undefined, 1.5 * Ti],
    ['0.5G', undefined, 512 * Mi],
    ['1.5K', undefined, 1536],
    [' 10 G ', undefined, 10 * Gi],
    ['10 MiB', undefined, 10 * Mi],
    ['100B', undefined, 100],
    ['100b', 'KiB', 100],
    ['100', 'KiB', 100 * Ki],
    ['100', 'MiB', 100 * Mi],
    ['100', 'B', 100],
    ['1G', 'KiB', Gi],
  ]
  for (const [text, unit, bytes] of cases) {
    test(`${JSON.stringify(text)}${unit ? ` (default ${unit})` : ''} = ${bytes} bytes`, () => {
      assert.equal(parseSize(text, unit), bytes)
    })
  }

  const bad: [string, RegExp][] = [
    ['', /is not a size/],
    ['abc', /is not a size/],
    ['-1G', /is not a size/],
    ['10X', /is not a size/],
    ['1e3', /is not a size/],
    ['10 G B', /is not a size/],
    ['.5G', /is not a size/],
    ['1,5G', /is not a size/],
    ['99999999999P', /too large/],
    ['9007199254740993', /too large/],
  ]
  for (const [text, problem] of bad) {
    test(`${JSON.stringify(text)} is refused`, () => assert.throws(() => parseSize(text), problem))
  }
})

describe('formatSize', () => {
  const cases: [number, string][] = [
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [10 * Gi, '10.00 GiB'],
    [1.5 * Ti, '1.50 TiB'],
    [Ki ** 5, '1.00 PiB'],
    [2048 * Ki ** 5, '2048.00 PiB'],
  ]
  for (const [bytes, text] of cases) {
    test(`${bytes} → ${text}`, () => assert.equal(formatSize(bytes), text))
  }

  test('parse then format round trips', () => {
    assert.equal(formatSize(parseSize('512MiB')), '512.00 MiB')
  })
})
