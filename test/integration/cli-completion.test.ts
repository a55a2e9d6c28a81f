// Shell completion through the binary against a live `cairn combined`: the generated bash and zsh
// scripts parse and, run by the shells, complete a line; `cairn __complete` answers command words,
// aliases, abbreviations, flags, flag values and names from the controller, and nothing (quickly,
// exit 0) when the controller is down.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {symlink} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'
import {promisify} from 'node:util'
import {after, before, describe, test} from 'node:test'
import {cleanup, cli, freePort, tempDir} from '../support/cluster.ts'
import {useCombinedCli} from '../support/cli-session.ts'

const exec = promisify(execFile)
const hasZsh = await exec('zsh', ['--version']).then(() => true, () => false)

describe('cli: shell completion', () => {
  const node = 'comp-node'
  const session = useCombinedCli(node)
  const {ok} = session
  let env: Record<string, string> = {}
  let dir = ''
  let bin = ''

  before(async () => {
    env = {LS_CONTROLLERS: `127.0.0.1:${session.c.port}`}
    await ok('rg', 'c', 'grp', '--place-count', '1', '-l', 'storage')
    await ok('rg', 'spawn', 'grp', 'alpha', '4M')
    await ok('rg', 'spawn', 'grp', 'beta', '4M')
    // The scripts run the program named on the line: a `cairn` that is what the tests run (the
    // binary, or bin/cairn.js with this node first on PATH).
    dir = await tempDir('cairn-completion-')
    bin = join(dir, 'cairn')
    await symlink(resolve(import.meta.dirname, '../..', process.env.CAIRN_BIN ?? 'bin/cairn.js'), bin)
    env.PATH = `${dirname(process.execPath)}:${process.env.PATH}`
  })
  after(() => cleanup(dir))

  /** The candidates of `cairn __complete <words>` and its directive. */
  const complete = async (...words: string[]): Promise<{words: string[], directive: string}> => {
    const r = await cli(['__complete', ...words], env)
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    return {words: lines.slice(0, -1).map((l) => l.split('\t')[0] as string), directive: lines.at(-1) ?? ''}
  }

  test('command words: a group prefix, an alias, an abbreviation', async () => {
    assert.deepEqual((await complete('resource-g')).words, ['resource-group'])
    const root = (await complete('')).words
    for (const w of ['rg', 'resource-group', 'r', 'n', 'completion']) assert.ok(root.includes(w), w)
    assert.deepEqual(await complete('r', 'l'), {words: ['list', 'list-properties', 'list-volumes'], directive: ':words'})
    assert.deepEqual((await complete('rg', 'spa')).words, ['spawn-resources'])
  })

  test('flags of the chosen command and their values', async () => {
    assert.deepEqual((await complete('r', 'c', '--auto')).words, ['--auto-place'])
    assert.ok((await complete('rd', 'opt', '--max-b')).words.includes('--max-buffers'))
    assert.deepEqual((await complete('rd', 'opt', '--protocol', '')).words, ['A', 'B', 'C'])
    assert.deepEqual(await complete('controller', 'db', 'export', '--data-dir', '/v'), {words: [], directive: ':files'})
  })

  test('names from the controller', async () => {
    assert.deepEqual((await complete('rd', 'd', '')).words, ['alpha', 'beta'])
    assert.deepEqual((await complete('r', 'l', '-r', 'a')).words, ['alpha'])
    assert.deepEqual((await complete('r', 'l', '-n', '')).words, [node])
    assert.deepEqual((await complete('sp', 'l', '-s', 'Dflt')).words, ['DfltDisklessStorPool', 'DfltStorPool'])
    assert.deepEqual((await complete('rg', 'spawn', '')).words, ['DfltRscGrp', 'grp'])
    assert.deepEqual((await complete('v', 'l', '--nodes=comp')).words, [`--nodes=${node}`])
    assert.deepEqual((await complete('r', 'c', node, 'b')).words, ['beta'], 'after the nodes of `r c`, resource definitions')
  })

  test('a controller that is down: no names, no error', async () => {
    const t = Date.now()
    const r = await cli(['__complete', 'rd', 'd', ''], {LS_CONTROLLERS: `127.0.0.1:${await freePort()}`})
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, ':words\n', ''])
    assert.ok(Date.now() - t < 5000)
  })

  test('completion bash: the script parses and completes a line in bash', async () => {
    const script = (await cli(['completion', 'bash'])).stdout
    await exec('bash', ['-n', '-c', script])
    const line = async (text: string): Promise<string> => (await exec('bash', ['-c',
      'eval "$SCRIPT"; COMP_LINE=$LINE; COMP_POINT=${#LINE}; _cairn_complete; printf "%s\\n" "${COMPREPLY[@]}"'],
    {env: {...process.env, ...env, SCRIPT: script, LINE: text}})).stdout.trim()
    assert.equal(await line(`${bin} rd d al`), 'alpha')
    assert.equal(await line(`${bin} --controllers ${env.LS_CONTROLLERS} r l --nodes=co`), node, 'bash completes the value after =')
    assert.equal(await line(`${bin} resource-def`), 'resource-definition')
  })

  test('completion zsh: the script parses and completes a line in zsh', {skip: !hasZsh && 'zsh is not installed (apt-get install zsh)'}, async () => {
    const script = (await cli(['completion', 'zsh'])).stdout
    await exec('zsh', ['-n', '-c', script])
    // Outside an interactive shell: compdef and _describe stand in for the completion system.
    const {stdout} = await exec('zsh', ['-c', 'compdef() { :; }; _describe() { print -rl -- "${(@P)${@[-1]}}"; }; eval "$SCRIPT"; ' +
      'words=("$BIN" rg spawn ""); CURRENT=4; _cairn'], {env: {...process.env, ...env, SCRIPT: script, BIN: bin}})
    assert.deepEqual(stdout.trim().split('\n'), ['DfltRscGrp', 'grp'])
  })

  test('an unknown shell is a usage error', async () => {
    assert.equal((await cli(['completion', 'fish'], env)).code, 2)
  })
})
