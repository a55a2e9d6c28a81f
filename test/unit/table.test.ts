import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {renderTable} from '../../src/cli/table.ts'

const headers = ['Node', 'State']
const rows = [['n1', {text: 'Online', colour: 'green' as const}], ['node-22', {text: 'OFFLINE', colour: 'red' as const}]]

describe('renderTable shapes', () => {
  test('utf8: rounded box with ┊ separators and a ═ header rule', () => {
    assert.equal(renderTable(headers, rows, {utf8: true, colour: false}), [
      '╭───────────────────╮',
      '┊ Node    ┊ State   ┊',
      '╞═══════════════════╡',
      '┊ n1      ┊ Online  ┊',
      '┊ node-22 ┊ OFFLINE ┊',
      '╰───────────────────╯',
    ].join('\n'))
  })

  test('ascii: + corners, | separators and an = header rule', () => {
    assert.equal(renderTable(headers, rows, {utf8: false, colour: false}), [
      '+-------------------+',
      '| Node    | State   |',
      '|===================|',
      '| n1      | Online  |',
      '| node-22 | OFFLINE |',
      '+-------------------+',
    ].join('\n'))
  })

  test('no rows: header only', () => {
    assert.equal(renderTable(['Name'], [], {utf8: false, colour: false}), ['+------+', '| Name |', '|======|', '+------+'].join('\n'))
  })

  test('a missing cell is padded to the column width', () => {
    const out = renderTable(['A', 'Bee'], [['x']], {utf8: false, colour: false}).split('\n')
    assert.equal(out[3], '| x |     |')
    assert.equal(out[1], '| A | Bee |')
  })
})

describe('column widths', () => {
  const cases: [string, string[], string[][], number[]][] = [
    ['header wider than cells', ['Resource', 'X'], [['r1', 'y']], [8, 1]],
    ['cell wider than header', ['A', 'B'], [['long-name', 'b'], ['s', 'bbbbb']], [9, 5]],
    ['empty cells', ['A', 'B'], [['', '']], [1, 1]],
  ]
  for (const [name, h, r, widths] of cases) {
    test(name, () => {
      const lines = renderTable(h, r, {utf8: false, colour: false}).split('\n')
      const cols = (lines[1] ?? '').split('|').slice(1, -1)
      assert.deepEqual(cols.map((c) => c.length - 2), widths)
      // Every line has the same length.
      assert.equal(new Set(lines.map((l) => l.length)).size, 1)
    })
  }
})

describe('colour', () => {
  test('colour=true wraps coloured cells in ANSI codes, padding outside the codes', () => {
    const out = renderTable(headers, rows, {utf8: false, colour: true}).split('\n')
    assert.equal(out[3], '| n1      | \x1b[32mOnline\x1b[0m  |')
    assert.equal(out[4], '| node-22 | \x1b[31mOFFLINE\x1b[0m |')
  })

  test('yellow, and none or no colour means no code', () => {
    const out = renderTable(['S'], [[{text: 'Unknown', colour: 'yellow'}], [{text: 'plain', colour: 'none'}], ['str']],
      {utf8: false, colour: true}).split('\n')
    assert.equal(out[3], '| \x1b[33mUnknown\x1b[0m |')
    assert.equal(out[4], '| plain   |')
    assert.equal(out[5], '| str     |')
  })

  test('colour=false never emits an escape', () => {
    for (const utf8 of [true, false]) {
      assert.ok(!renderTable(headers, rows, {utf8, colour: false}).includes('\x1b'))
    }
  })

  test('colour codes do not count towards the column width', () => {
    const plain = renderTable(headers, rows, {utf8: true, colour: false})
    const coloured = renderTable(headers, rows, {utf8: true, colour: true})
    // eslint-disable-next-line no-control-regex
    assert.equal(coloured.replace(/\x1b\[\d+m/g, ''), plain)
  })
})
