import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {TomlError, parseToml} from '../../src/common/toml.ts'

describe('parseToml values', () => {
  const cases: [string, string, unknown][] = [
    ['basic string', 'k = "v"', 'v'],
    ['basic string with escapes', 'k = "a\\"b\\n\\u00e9"', 'a"b\n\u00e9'],
    ['literal string keeps backslashes', "k = 'C:\\data\\x'", 'C:\\data\\x'],
    ['empty string', 'k = ""', ''],
    ['string with # inside', 'k = "a # b" # real comment', 'a # b'],
    ['literal with # inside', "k = 'a # b'", 'a # b'],
    ['integer', 'k = 3370', 3370],
    ['negative integer', 'k = -5', -5],
    ['plus sign', 'k = +5', 5],
    ['underscores', 'k = 1_000_000', 1_000_000],
    ['float', 'k = 1.5', 1.5],
    ['exponent', 'k = 1e3', 1000],
    ['true', 'k = true', true],
    ['false', 'k = false', false],
    ['array of strings', 'k = ["a", "b"]', ['a', 'b']],
    ['array of ints with trailing comma', 'k = [1, 2, ]', [1, 2]],
    ['empty array', 'k = []', []],
    ['nested array', 'k = [[1, 2], ["x"]]', [[1, 2], ['x']]],
    ['array with a comma inside a string', 'k = ["a,b", \'c]\']', ['a,b', 'c]']],
    ['quoted key', '"k" = 1', 1],
    ['spaces around =', 'k=1', 1],
    ['multi-line array', 'k = [1,\n2]', [1, 2]],
    ['inline table', 'k = {a = 1}', {a: 1}],
    ['hex integer', 'k = 0x10', 16],
  ]
  for (const [name, line, value] of cases) {
    test(name, () => assert.deepEqual(parseToml(line), {k: value}))
  }
})

describe('parseToml structure', () => {
  test('tables, dotted table names, dotted keys and comments', () => {
    const text = [
      '# cairn.toml',
      'data_dir = "/srv/cairn"   # trailing comment',
      '',
      '[controller]',
      'rest_port = 3370',
      '[satellite]',
      'address = "::"',
      'tls.enabled = false',
      '[logging.sink]',
      '  level = "debug"',
      '\t# indented comment',
    ].join('\n')
    assert.deepEqual(parseToml(text), {
      data_dir: '/srv/cairn',
      controller: {rest_port: 3370},
      satellite: {address: '::', tls: {enabled: false}},
      logging: {sink: {level: 'debug'}},
    })
  })

  test('CRLF line endings', () => {
    assert.deepEqual(parseToml('[a]\r\nb = 1\r\nc = "x"\r\n'), {a: {b: 1, c: 'x'}})
  })

  test('a table can be reopened and extended', () => {
    assert.deepEqual(parseToml('[a.b]\nx = 1\n[a]\ny = 2'), {a: {b: {x: 1}, y: 2}})
  })

  test('arrays of tables, as drbd-reactor snippets use them', () => {
    assert.deepEqual(parseToml('[[promoter]]\n[promoter.resources.r]\nstart = [\n  "a",\n  "b",\n]\n[[promoter]]'),
      {promoter: [{resources: {r: {start: ['a', 'b']}}}, {}]})
  })

  test('empty text is an empty table', () => {
    assert.deepEqual(parseToml(''), {})
    assert.deepEqual(parseToml('# only a comment\n\n'), {})
  })
})

describe('parseToml errors carry the line number', () => {
  const cases: [string, string, number, RegExp][] = [
    ['duplicate key', 'a = 1\nb = 2\na = 3', 3, /duplicate key 'a'/],
    ['a table defined twice', '[t]\nx = 1\n\n[t]\nx = 2', 4, /table 't' is defined twice/],
    ['a dotted key onto a value', 'a = 1\na.b = 2', 2, /'a' is not a table/],
    ['a key redefining a table', 'a.b = 1\na = 2', 2, /duplicate key 'a'/],
    ['a table header onto a value', 'a = 1\n[a]', 2, /table 'a' is defined twice/],
    ['bare word value', '\n\nk = hello', 3, /invalid value 'hello'/],
    ['missing value part', 'k', 1, /expected '=' after key 'k'/],
    ['empty key', '= 1', 1, /unexpected '=' where a key should be/],
    ['invalid key', 'a b = 1', 1, /expected '=' after key 'a'/],
    ['empty table name segment', '[a..b]', 1, /unexpected '\.' where a key should be/],
    ['unterminated basic string', 'k = "abc', 1, /unterminated string/],
    ['unterminated literal string', "k = 'abc", 1, /unterminated string/],
    ['bad value inside an array', 'k = [1, nope]', 1, /invalid value 'nope'/],
  ]
  for (const [name, text, line, message] of cases) {
    test(name, () => {
      assert.throws(() => parseToml(text), (e: unknown) => {
        assert.ok(e instanceof TomlError, `expected TomlError, got ${String(e)}`)
        assert.equal(e.line, line)
        assert.match(e.message, new RegExp(`^line ${line}: `))
        assert.match(e.message, message)
        return true
      })
    })
  }

  test('an invalid escape in a basic string is a TomlError with its line', () => {
    assert.throws(() => parseToml('a = 1\npath = "C:\\data"'), (e: unknown) => e instanceof TomlError && e.line === 2)
  })

  test('a literal tab inside a basic string is allowed', () => {
    assert.deepEqual(parseToml('k = "a\tb"'), {k: 'a\tb'})
  })
})
