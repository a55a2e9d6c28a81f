// The main script of the binary (packaging/build.sh). `cairn satellite` runs from a bundle of its
// own, without the controller, REST API and CLI (issue 4: idle RSS): V8 keeps the source of the
// script it runs on its heap, 2.2 MB for the whole program against 0.25 MB for the satellite, and
// its data for every top-level function in it (4-5 MiB more satellite RSS in all). Everything
// else runs the whole program. Both are SEA assets, with V8 code caches that
// packaging/esbuild.mjs made with this same Node.
import {getAsset, getRawAsset} from 'node:sea'
import {compileFunction, constants} from 'node:vm'
import {daemonInvocation} from '../src/daemon/daemon-argv.ts'

type CommonJs = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void

const name = daemonInvocation(process.argv.slice(2))?.mode === 'satellite' ? 'satellite' : 'cairn'
// The parameters of Node's CommonJS wrapper, as in packaging/esbuild.mjs: the bundle sees the
// require, module and file name of the SEA's main script, as it did when it was that script, and
// its import() of built-in modules (src/api/http.ts loads node:https so) works as it did there.
const run = compileFunction(getAsset(`${name}.cjs`, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'],
  {filename: __filename, cachedData: new Uint8Array(getRawAsset(`${name}.cache`)), importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER})
// build.sh's smoke test: a rejected cache would only cost start-up time, which nothing else notices.
if (run.cachedDataRejected === true && process.env.CAIRN_SEA_CHECK === '1') throw new Error(`V8 rejected the code cache of ${name}.cjs`)
;(run as unknown as CommonJs)(exports, require, module, __filename, __dirname)
