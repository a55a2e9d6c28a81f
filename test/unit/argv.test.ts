import {test} from 'node:test'
import assert from 'node:assert/strict'
import {resolveArgv} from '../../src/cli/argv.ts'

const ids = [
  'node:list', 'storage-pool:list', 'resource-group:create', 'resource-group:list', 'resource-group:spawn',
  'resource:list', 'controller', 'controller:version', 'combined',
]

const cases: [string, string, string][] = [
  ['group and verb aliases', 'n l', 'node list'],
  ['two-letter group alias', 'sp l', 'storage-pool list'],
  ['rg alias with the full verb', 'rg spawn', 'resource-group spawn'],
  ['r alias', 'r l', 'resource list'],
  ['verb alias c = create', 'rg c', 'resource-group create'],
  ['c = controller, v = version', 'c v', 'controller version'],
  ['verb alias ls', 'rg ls', 'resource-group list'],
  ['full words are unchanged', 'resource-group list', 'resource-group list'],
  ['a leaf command with flags is unchanged', 'controller --data-dir x', 'controller --data-dir x'],
  ['combined with flags is unchanged', 'combined --node-name n1', 'combined --node-name n1'],
  ['unambiguous prefix of a verb', 'node li', 'node list'],
  ['unambiguous prefix of a group', 'stor l', 'storage-pool list'],
  ['prefix of a verb under an alias', 'rg sp', 'resource-group spawn'],
  ['ambiguous group prefix is left alone', 'res l', 'res l'],
  ['ambiguous group prefix co is left alone', 'co v', 'co v'],
  ['unknown group is left alone', 'volume l', 'volume l'],
  ['unknown verb stops the walk', 'node frob l', 'node frob l'],
  ['arguments after the command are untouched', 'rg spawn l c', 'resource-group spawn l c'],
  ['an argument that is a group alias stays', 'rg c n', 'resource-group create n'],
  ['flags stop the walk', 'rg --help c', 'resource-group --help c'],
  ['flags after the command keep their values', 'rg spawn rg1 r1 10G --place-count 2', 'resource-group spawn rg1 r1 10G --place-count 2'],
  ['empty argv', '', ''],
]

for (const [name, input, expected] of cases) {
  test(`${name}: '${input}' → '${expected}'`, () => {
    const argv = input ? input.split(' ') : []
    assert.deepEqual(resolveArgv(argv, ids), expected ? expected.split(' ') : [])
  })
}

test('the input array is not changed', () => {
  const argv = ['n', 'l']
  resolveArgv(argv, ids)
  assert.deepEqual(argv, ['n', 'l'])
})

test('an alias whose target is not a command is not applied', () => {
  // `v` maps to `volume`, which is not among these ids; it is no prefix of anything either.
  assert.deepEqual(resolveArgv(['v', 'l'], ids), ['v', 'l'])
})
