// Shell completion against the binary's real command manifest (built from the command classes,
// as the build does): command words with linstor's aliases and abbreviations, flags, flag values,
// which names to ask the controller for; and the manifest's packed form.
import assert from 'node:assert/strict'
import {before, describe, test} from 'node:test'
import {connectionFlags} from '../../src/cli/complete.ts'
import {completion, formatCompletion, nameKindOf, type CommandTable, type Completion} from '../../src/cli/completion.ts'
import {buildManifest, cliPjson, packManifest, unpackManifest, type Manifest} from '../../src/cli/manifest.ts'

let manifest: Manifest
let table: CommandTable
before(async () => {
  manifest = await buildManifest()
  table = {commands: manifest.commands, topics: cliPjson().oclif.topics ?? {}}
})

const complete = (line: string): Completion => completion(line.split(' '), table)
const words = (line: string): string[] => complete(line).candidates.map((c) => c.word)

describe('command words', () => {
  test('the groups with their linstor aliases, described', () => {
    const c = complete('')
    for (const w of ['node', 'n', 'resource', 'r', 'resource-group', 'rg', 'storage-pool', 'sp', 'snapshot', 's', 'completion']) {
      assert.ok(c.candidates.some((x) => x.word === w), w)
    }
    assert.match(c.candidates.find((x) => x.word === 'rg')?.description ?? '', /Resource groups/)
    assert.deepEqual(c.names, [])
  })
  test('a group prefix', () => assert.deepEqual(words('resource-g'), ['resource-group']))
  test('subcommands of an alias, without the verb abbreviations', () => {
    const w = words('r ')
    for (const x of ['create', 'delete', 'list', 'list-properties', 'set-property', 'drbd-peer-options']) assert.ok(w.includes(x), x)
    assert.ok(!w.includes('c') && !w.includes('l'))
  })
  test('an abbreviation as the prefix of several subcommands', () => assert.deepEqual(words('r l'), ['list', 'list-properties', 'list-volumes']))
  test('a verb abbreviation typed out becomes its subcommand', () => assert.deepEqual(words('r lp'), ['list-properties']))
  test('deeper command words (sp c …)', () => assert.ok(words('sp c ').includes('lvmthin')))
  test('after help: the command words, with their aliases, and nothing past them', () => {
    assert.ok(words('help ').includes('rg'))
    assert.equal(complete('he').candidates.find((c) => c.word === 'help')?.description, 'Display help for cairn.')
    assert.deepEqual(words('help rg sp'), ['set-property', 'spawn-resources'])
    assert.deepEqual(complete('help r l '), {candidates: [], names: [], prefix: '', lead: '', files: false})
    assert.deepEqual(words('help r --'), [])
  })
})

describe('flags', () => {
  test('the flags of the chosen command, by prefix', () => assert.deepEqual(words('r c --auto'), ['--auto-place']))
  test('global and command flags', () => {
    const w = words('rg spawn --')
    for (const x of ['--controllers', '--machine-readable', '--storage-pool', '--async']) assert.ok(w.includes(x), x)
  })
  test('--no- forms of negatable flags', () => assert.ok(words('rg c --no-').includes('--no-diskless-on-remaining')))
  test('a flag value from its choices', () => assert.deepEqual(words('n c --communication-type '), ['plain', 'ssl']))
  test('a flag value that names objects', () => {
    const c = complete('n l -n ')
    assert.deepEqual([c.names, c.prefix, c.lead], [['node'], '', ''])
    assert.deepEqual(complete('sp l --storage-pools th').names, ['storage-pool'])
  })
  test('an inline value after --flag=', () => {
    const c = complete('v l --nodes=c')
    assert.deepEqual([c.names, c.prefix, c.lead], [['node'], 'c', '--nodes='])
  })
  test('a free flag value: file names may do', () => assert.equal(complete('controller db export --data-dir /v').files, true))
})

describe('arguments', () => {
  test('positional names by argument', () => {
    assert.deepEqual(complete('rd d ').names, ['resource-definition'])
    assert.deepEqual(complete('rg spawn ').names, ['resource-group'])
    assert.deepEqual(complete('sp lp n1 ').names, ['storage-pool'])
    assert.deepEqual(complete('r lp ').names, ['node'])
    assert.deepEqual(complete('r lp n1 ').names, ['resource-definition'])
  })
  test('flags and their values are skipped when counting arguments', () => {
    assert.deepEqual(complete('r lp -p n1 ').names, ['resource-definition'])
    assert.deepEqual(complete('rg spawn --storage-pool thin ').names, ['resource-group'])
  })
  test('a variadic argument: its names and those of the argument after it', () =>
    assert.deepEqual(complete('r c n1 ').names, ['node', 'resource-definition']))
  test('global options before the command words', () => assert.deepEqual(complete('--controllers h:1 -m n l -n ').names, ['node']))
  test('argument choices', () => assert.deepEqual(words('completion '), ['bash', 'zsh']))
  test('past the last argument: nothing', () => assert.deepEqual(complete('rd d r1 extra').names, ['resource-definition']))
  test('an unknown command: nothing', () => assert.deepEqual(complete('frobnicate '), {candidates: [], names: [], prefix: '', lead: '', files: false}))
})

test('names by argument and flag name', () => {
  const cases: [string, string, string | undefined][] = [
    ['node_name', 'resource:create', 'node'], ['node_b', 'node-connection:list', 'node'], ['nodes', 'node:list', 'node'],
    ['resource_definition_name', 'resource:create', 'resource-definition'], ['resources', 'resource:list', 'resource-definition'],
    ['resource-group', 'resource-definition:create', 'resource-group'], ['storage-pool', 'resource:create', 'storage-pool'],
    ['name', 'resource-group:delete', 'resource-group'], ['name', 'storage-pool:delete', 'storage-pool'], ['name', 'remote:delete', undefined],
    ['snapshot_name', 'snapshot:delete', undefined],
  ]
  for (const [name, id, kind] of cases) assert.equal(nameKindOf(name, id), kind, `${name} in ${id}`)
})

test('the answer: a word a line, a tab before its description, a directive last', () => {
  assert.equal(formatCompletion([{word: 'list', description: 'List\tresources'}, {word: 'n1'}], false), 'list\tList resources\nn1\n:words\n')
  assert.equal(formatCompletion([], true), ':files\n')
})

test('connection flags on the line being completed', () => {
  assert.deepEqual(connectionFlags(['--controllers', 'h:3370', 'n', 'l', '--cafile=/ca.pem', '--allow-insecure-auth']),
    {controllers: 'h:3370', cafile: '/ca.pem', 'allow-insecure-auth': true})
})

test('the packed manifest unpacks to the manifest, at a fraction of the size', () => {
  const packed = packManifest(manifest)
  assert.deepEqual(unpackManifest(JSON.parse(JSON.stringify(packed))), JSON.parse(JSON.stringify(manifest)))
  assert.ok(JSON.stringify(packed).length < JSON.stringify(manifest).length / 2)
})
