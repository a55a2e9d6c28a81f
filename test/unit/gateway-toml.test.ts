import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {parse} from 'smol-toml'
import {promoterToml, tomlKey, tomlString, writeToml} from '../../gateway/promoter-toml.ts'
import {TomlError, parseToml} from '../../src/common/toml.ts'

// smol-toml's tables have no prototype; compare the data only.
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v))

describe('writeToml (go-toml v1 layout)', () => {
  test('plain keys first, tables after, both sorted, two spaces per level', () => {
    const text = writeToml({z: 1, a: {y: true, x: 'v', sub: {k: 'w'}}, b: 'top', list: [{n: 1}, {n: 2}]})
    assert.equal(text, [
      'b = "top"',
      'z = 1',
      '',
      '[a]',
      '  x = "v"',
      '  y = true',
      '',
      '  [a.sub]',
      '    k = "w"',
      '',
      '[[list]]',
      '  n = 1',
      '',
      '[[list]]',
      '  n = 2',
      '',
    ].join('\n'))
  })
  test('arrays: one element per line when longer than one, with a trailing comma', () => {
    assert.equal(writeToml({t: {a: ['x', 'y']}}), '\n[t]\n  a = [\n    "x",\n    "y",\n  ]\n')
    assert.equal(writeToml({a: ['x']}), 'a = ["x"]\n')
    assert.equal(writeToml({a: []}), 'a = []\n')
  })
  test('undefined values are left out', () => {
    assert.equal(writeToml({a: undefined, b: 1}), 'b = 1\n')
  })
  test('strings and keys are escaped', () => {
    assert.equal(tomlString('a"b\\c\n\t\u0001\u007f\u00e9'), String.raw`"a\"b\\c\n\t\u0001\u007Fé"`)
    assert.equal(tomlKey('on-drbd-demote-failure'), 'on-drbd-demote-failure')
    assert.equal(tomlKey('a.b'), '"a.b"')
    assert.equal(tomlKey(''), '""')
  })
  test('non-finite numbers cannot be written', () => {
    assert.throws(() => writeToml({a: NaN}), /cannot write NaN/)
  })
  test('whatever it writes, smol-toml reads back', () => {
    const doc = {'weird key': 'x', 's': 'quote " and \\ and \n', 'n': -5, 'f': 1.5, 'b': false, 'nested': [[1, 2], ['a']],
      't': {'u': {'v': ['a', 'b', 'c']}}, 'arr': [{'x': {'y': 1}}, {'z': [true, false]}]}
    assert.deepEqual(plain(parse(writeToml(doc))), doc)
    assert.deepEqual(parseToml(writeToml(doc)), doc)
  })
  test('a promoter snippet', () => {
    assert.equal(promoterToml({resources: {r1: {start: ['a.service', 'b.service'], runner: 'systemd'}}}), [
      '', '[[promoter]]', '', '  [promoter.resources]', '', '    [promoter.resources.r1]', '      runner = "systemd"',
      '      start = [', '        "a.service",', '        "b.service",', '      ]', '',
    ].join('\n'))
  })
})

describe('parseToml (drbd-reactor snippets)', () => {
  const same = [
    '# comment\na = 1 # trailing\nb = "x"\n',
    'a = [\n  1, # one\n  2,\n\n]\n',
    '[t]\nx = 1\n[t.u]\ny = 2\n[v]\n',
    '[[p]]\na = 1\n[p.q]\nb = 2\n[[p]]\na = 3\n',
    'a.b.c = 1\na.d = 2\n',
    '"quoted key" = 1\n\'lit\' = 2\n"a.b" = 3\n',
    's = "\\u00e9\\U0001F600\\t\\\\"\nl = \'C:\\x\'\n',
    'm = """\nline1\nline2\\\n   cont"""\nml = \'\'\'\nraw \\n\'\'\'\n',
    'q = """a""b"""\nq2 = """x""""\n',
    'i = 0x1F\no = 0o17\nbi = 0b101\nu = 1_000\nneg = -3\nf = 6.02e23\nf2 = -0.5\n',
    'it = {a = 1, b = {c = "x"}}\nempty = {}\n',
    'mixed = [1, "a", [2], {x = 1}]\n',
    'a = true\r\nb = false\r\n',
    '__proto__ = 1\n[constructor]\nx = 1\n',
  ]
  for (const text of same) test(`agrees with smol-toml: ${JSON.stringify(text).slice(0, 50)}`, () => assert.deepEqual(parseToml(text), plain(parse(text))))
  test('a key named __proto__ is an ordinary key', () => {
    const t = parseToml('__proto__ = 1\n')
    assert.equal(Object.getPrototypeOf(t), Object.prototype)
    assert.deepEqual(Object.keys(t), ['__proto__'])
  })
  test('inf and nan', () => {
    const t = parseToml('a = inf\nb = -inf\nc = nan\n')
    assert.equal(t['a'], Infinity)
    assert.equal(t['b'], -Infinity)
    assert.ok(Number.isNaN(t['c']))
  })
  const bad: [string, RegExp][] = [
    ['a = 1\na = 2\n', /line 2: duplicate key 'a'/],
    ['[t]\n[t]\n', /line 2: table 't' is defined twice/],
    ['a = 1\n[a]\n', /line 2: 'a' is not a table|defined twice/],
    ['a = [1\n', /expected ',' or '\]'/],
    ['a = "x\n', /unterminated string/],
    ['a = \'x\n', /unterminated string/],
    ['a = 1 2\n', /unexpected '2' after a value/],
    ['a = 01\n', /invalid value '01'/],
    ['a = 9007199254740993\n', /too large/],
    ['d = 2024-01-01\n', /dates and times are not supported/],
    ['a = "\\q"\n', /invalid escape/],
    ['[[a]]\n[a]\n', /defined twice/],
    ['a = [1]\n[[a]]\n', /not an array of tables/],
    ['it = {a = 1}\n[it.b]\n', /'it' is not a table/],
    ['= 1\n', /line 1: unexpected '=' where a key should be/],
    ['a\n', /expected '=' after key 'a'/],
    ['[a\n', /unterminated table header/],
    ['a = "\u0001"\n', /control character/],
  ]
  for (const [text, message] of bad) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseToml(text), (e: unknown) => e instanceof TomlError && message.test(e.message))
    })
  }
})
