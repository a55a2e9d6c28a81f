import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {omitEmpty, parse, stringify} from '../../src/common/json.ts'

describe('int64 round trips', () => {
  const cases: [string, bigint][] = [
    ['FAIL_NOT_FOUND_NODE', -4611686018427387604n],
    ['Long.MAX_VALUE', 9223372036854775807n],
    ['Long.MIN_VALUE', -9223372036854775808n],
    ['API_CALL_PARSE_ERROR', -3458764513820540931n],
    ['WARN_NOT_CONNECTED', -9223372036854774806n],
    ['2^53 + 1', 9007199254740993n],
  ]
  for (const [name, value] of cases) {
    test(`${name} is written as a raw integer and read back exactly`, () => {
      const text = stringify({ret_code: value})
      assert.equal(text, `{"ret_code":${value}}`)
      assert.deepEqual(parse(text), {ret_code: value})
    })
  }

  test('bigints inside arrays and nested objects', () => {
    const value = {list: [{ret_code: -4611686018373123796n, message: 'm'}], cap: {free: 9223372036854775807n}}
    const text = stringify(value)
    assert.equal(text, '{"list":[{"ret_code":-4611686018373123796,"message":"m"}],"cap":{"free":9223372036854775807}}')
    assert.deepEqual(parse(text), value)
  })

  test('a bare bigint and undefined serialise', () => {
    assert.equal(stringify(5n), '5')
    assert.equal(stringify(undefined), 'null')
  })

  test('a plain JSON.stringify would lose the digits this keeps', () => {
    assert.notEqual(JSON.stringify(Number(-4611686018427387604n)), '-4611686018427387604')
    assert.equal(stringify(-4611686018427387604n), '-4611686018427387604')
  })

  test('a string that looks like the internal marker stays a string', () => {
    assert.equal(stringify({s: '\u0000i64:5'}), JSON.stringify({s: '\u0000i64:5'}))
  })

  test('other values JSON cannot write still fail (a cycle)', () => {
    const cyclic: Record<string, unknown> = {n: 1n}
    cyclic.self = cyclic
    assert.throws(() => stringify(cyclic), /circular/)
  })
})

describe('parse keeps safe numbers as numbers', () => {
  const cases: [string, unknown][] = [
    ['20709377', 20709377],
    ['-1', -1],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', Number.MIN_SAFE_INTEGER],
    ['1.5', 1.5],
    ['1e20', 1e20],
    ['0', 0],
    ['"9223372036854775807"', '9223372036854775807'],
  ]
  for (const [text, expected] of cases) {
    test(`${text} → ${typeof expected} ${String(expected)}`, () => {
      assert.deepEqual(parse(text), expected)
    })
  }

  test('9007199254740992 (2^53) becomes a bigint', () => {
    assert.equal(parse('9007199254740992'), 9007199254740992n)
  })

  test('invalid JSON throws', () => {
    assert.throws(() => parse('{"a":'), SyntaxError)
  })
})

describe('omitEmpty', () => {
  test('drops null, undefined, [] and {} and keeps 0, false and empty strings', () => {
    assert.deepEqual(omitEmpty({a: null, b: undefined, c: [], d: {}, e: 0, f: false, g: '', h: 'x'}), {e: 0, f: false, g: '', h: 'x'})
  })

  test('works recursively: an object emptied by the rule is dropped too', () => {
    assert.deepEqual(omitEmpty({props: {x: null}, nested: {a: {b: []}}, keep: {n: 0}}), {keep: {n: 0}})
  })

  test('maps over arrays without dropping their elements', () => {
    assert.deepEqual(omitEmpty([{a: null, b: 1}, {}, 0]), [{b: 1}, {}, 0])
    assert.deepEqual(omitEmpty({list: [{flags: [], name: 'n1'}]}), {list: [{name: 'n1'}]})
  })

  test('scalars and bigints pass through', () => {
    assert.equal(omitEmpty(7), 7)
    assert.equal(omitEmpty(null), null)
    assert.deepEqual(omitEmpty({ret_code: -1n}), {ret_code: -1n})
  })

  test('does not change its input', () => {
    const input = {a: null, b: {c: []}}
    omitEmpty(input)
    assert.deepEqual(input, {a: null, b: {c: []}})
  })
})
