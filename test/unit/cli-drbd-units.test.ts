// DRBD sizes and rates with unit suffixes, as drbdsetup converts them: a bare number is in the
// option's own unit, a suffixed one is converted to it and rounded up.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {drbdAmount} from '../../src/cli/drbd-units.ts'

const KIB = 1024
const SECTOR = 512

test('a bare number counts in the option\'s unit', () => {
  assert.equal(drbdAmount('102400', KIB), 102400)
  assert.equal(drbdAmount('100', SECTOR), 100)
  assert.equal(drbdAmount(' 8000 ', 1), 8000)
})

test('binary and decimal units, to KiB/s, sectors and bytes', () => {
  assert.equal(drbdAmount('250M', KIB), 256000)
  assert.equal(drbdAmount('250m', KIB), 256000)
  assert.equal(drbdAmount('250MiB', KIB), 256000)
  assert.equal(drbdAmount('4096K', KIB), 4096)
  assert.equal(drbdAmount('1G', KIB), 1048576)
  assert.equal(drbdAmount('1T', KIB), 2 ** 30)
  assert.equal(drbdAmount('100MB', KIB), 97657, 'decimal, rounded up')
  assert.equal(drbdAmount('1.5M', KIB), 1536)
  assert.equal(drbdAmount('1M', SECTOR), 2048)
  assert.equal(drbdAmount('8K', 1), 8192)
  assert.equal(drbdAmount('1000B', SECTOR), 2, 'rounded up to whole sectors')
})

test('s is 512-byte sectors', () => {
  assert.equal(drbdAmount('8s', SECTOR), 8)
  assert.equal(drbdAmount('8S', KIB), 4)
  assert.equal(drbdAmount('3s', KIB), 2, 'rounded up')
  assert.equal(drbdAmount('3s', 1), 1536)
})

test('anything else is no amount', () => {
  for (const bad of ['', 'fast', '-5', '1.5', '10X', '10 MiBs', 'M', '1.5s', '1e3', '0x10', `${'9'.repeat(20)}T`]) {
    assert.equal(drbdAmount(bad, KIB), undefined, bad)
  }
})
