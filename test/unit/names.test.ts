import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {type NameKind, compareNames, nameKey, nameProblem} from '../../src/common/names.ts'

const x = (n: number): string => 'a'.repeat(n)

describe('resource, resource group and storage pool names', () => {
  // [kind, name, problem pattern or undefined when valid]
  const cases: [NameKind, string, RegExp | undefined][] = [
    ['resource', 'r1', undefined],
    ['resource', 'pvc-0a1b_2', undefined],
    ['resource', '_private', undefined],
    ['resource', 'R', /less than minimum length 2/],
    ['resource', x(48), undefined],
    ['resource', x(49), /greater than maximum length 48/],
    ['resource', '1abc', /Cannot begin with character '1'/],
    ['resource', '-abc', /Cannot begin with character '-'/],
    ['resource', 'a-b-c', undefined],
    ['resource', 'a.b', /Cannot contain character '\.'/],
    ['resource', 'a b', /Cannot contain character ' '/],
    ['resource', '__', /at least one character that matches \[a-zA-Z\]/],
    ['resource', '_1', /at least one character/],
    ['resource', '../etc', /Cannot begin with character '\.'/],
    ['resource', 'a/../b', /Cannot contain character '\/'/],
    ['resource', 'abc\u00e9', /Cannot contain character/],
    ['resource', '\u00e9\u00e9', /at least one character/],
    ['resource', 'a\u0000', /Cannot contain character/],
    ['resource group', 'rg1', undefined],
    ['resource group', 'DfltRscGrp', undefined],
    ['resource group', x(49), /maximum length 48/],
    ['resource group', '9rg', /Cannot begin/],
    ['storage pool', 'ab', /less than minimum length 3/],
    ['storage pool', 'abc', undefined],
    ['storage pool', 'DfltDisklessStorPool', undefined],
    ['storage pool', 'pool_1-x', undefined],
    ['storage pool', x(48), undefined],
    ['storage pool', x(49), /maximum length 48/],
    ['storage pool', '-pool', /Cannot begin/],
    ['storage pool', 'po/ol', /Cannot contain character '\/'/],
    ['net interface', x(21), /maximum length 20/],
    ['key-value store', 'a/b.c', undefined],
  ]
  for (const [kind, name, problem] of cases) {
    test(`${kind} ${JSON.stringify(name.length > 20 ? `${name.slice(0, 4)}…(${name.length})` : name)} ${problem ? 'refused' : 'accepted'}`, () => {
      const got = nameProblem(kind, name)
      if (problem) assert.match(got ?? '(accepted)', problem)
      else assert.equal(got, undefined)
    })
  }

  test('unicode length counts bytes', () => {
    // 24 two-byte characters are 48 bytes: still refused for the character, but after the length check.
    assert.match(nameProblem('resource', 'a' + '\u00e9'.repeat(24)) ?? '', /greater than maximum length 48/)
  })

  test('a non-string is refused', () => {
    assert.match(nameProblem('resource', 5) ?? '', /must be a string/)
    assert.match(nameProblem('node', undefined) ?? '', /must be a string/)
  })
})

describe('node names (host names)', () => {
  const label63 = x(63)
  const cases: [string, RegExp | undefined][] = [
    ['n1', undefined],
    ['node-1.example.com', undefined],
    ['1234', undefined],
    ['n', /minimum length of 2/],
    ['-n1', /cannot begin with '-'/],
    ['.n1', /cannot begin with '\.'/],
    ['n1-', /cannot end with '-'/],
    ['n_1', /cannot contain character '_'/],
    ['n1/..', /cannot contain character '\/'/],
    ['../n1', /cannot begin with '\.'/],
    ['n\u00e9ud', /cannot contain character/],
    ['a b', /cannot contain character ' '/],
    [label63, undefined],
    [x(64), /component length of 64 violates RFC1123 maximum length of 63/],
    [`${label63}.${label63}.${label63}.${label63}`, undefined],
    [`${label63}.${label63}.${label63}.${x(62)}.a`, /length of 256 violates RFC1123 maximum length of 255/],
    [`ok.${x(64)}.com`, /component length of 64/],
  ]
  for (const [name, problem] of cases) {
    test(`${JSON.stringify(name.length > 20 ? `${name.slice(0, 4)}…(${name.length})` : name)} ${problem ? 'refused' : 'accepted'}`, () => {
      const got = nameProblem('node', name)
      if (problem) assert.match(got ?? '(accepted)', problem)
      else assert.equal(got, undefined)
    })
  }
})

test('nameKey is the upper-cased name', () => {
  assert.equal(nameKey('Node-1'), 'NODE-1')
  assert.equal(nameKey('node-1'), nameKey('NODE-1'))
})

test('compareNames orders case-insensitively by code point', () => {
  assert.equal(compareNames('a', 'A'), 0)
  assert.ok(compareNames('b', 'A') > 0)
  assert.ok(compareNames('A', 'b') < 0)
  assert.deepEqual(['n10', 'N2', 'n1', 'n-1', 'n_1'].sort(compareNames), ['n-1', 'n1', 'n10', 'N2', 'n_1'])
})
