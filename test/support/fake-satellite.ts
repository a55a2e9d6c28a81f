// A fake satellite for benchmarking the controller alone. It speaks the satellite protocol
// honestly — it checks every request's signature and nonce with the cluster secret (401 and an
// empty body otherwise), answers pings with its instance id, parses the DesiredState, and
// answers a SatelliteReport signed with signReply — but it performs NO storage work: no files,
// no loop devices, no commands. Every present desired volume in a known non-diskless pool is
// reported as Created at /dev/fake/<rsc>/<vlmNr>, and every present desired snapshot as
// Created, as if the satellite had converged instantly.
//
// Pools report a large configurable capacity (default 100 TiB). By default each present volume's
// size is subtracted from its pool's free space, as a thick pool would: the autoplacer ranks
// pools by free space, and with a constant free space every spawn would land on the same nodes.
//
// It exists to measure the controller (REST, model, placement, store, link) without the cost of
// real satellites, never to test storage. It is kept cheap — plain JSON.parse/JSON.stringify
// (the protocol carries no int64 values) — because it runs in the benchmark's critical path.
import {randomUUID} from 'node:crypto'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import {AUTH_HEADER, NonceCache, signReply, verifyRequest} from '../../src/protocol/auth.ts'
import {PING_PATH, PROTOCOL_VERSION, SYNC_PATH, type DesiredSnapshot, type DesiredState, type DesiredVolume, type PingReply, type ResyncReply, type PoolReport, type SatelliteReport, type SnapshotReport,
  type VolumeReport} from '../../src/protocol/messages.ts'
import {buildInfo} from '../../src/version.ts'

export const TIB_KIB = 1024 ** 3

export interface FakeSatelliteOptions {
  address: string
  /** 0 picks a free port. */
  port: number
  secret: string
  /** Total capacity of every non-diskless pool, in KiB; default 100 TiB. */
  capacityKib?: number
  /** Subtract present volumes' sizes from free space (default true). */
  accountAllocations?: boolean
}

export interface FakeSatelliteStats {
  /** Authenticated sync requests answered. */
  syncs: number
  /** Authenticated pings answered. */
  pings: number
  /** Requests refused with 401. */
  refused: number
  /** Request body bytes of authenticated syncs. */
  bytesIn: number
  /** Time spent handling syncs (verify, parse, report, sign), in ms: the fake's own share of a sync's latency. */
  busyMs: number
  lastGeneration?: number
  lastVolumes?: number
}

export interface FakeSatellite {
  port: number
  close(): Promise<void>
  syncCount(): number
  stats(): FakeSatelliteStats
}

const CAPABILITIES = {
  providers: {supported: ['DISKLESS', 'FILE_THIN'], unsupported: {}},
  layers: {supported: ['STORAGE', 'DRBD'], unsupported: {}},
}

function volumeReport(v: DesiredVolume, kind: string | undefined): VolumeReport {
  if (kind !== undefined && kind !== 'DISKLESS') {
    return {rsc: v.rsc, vlmNr: v.vlmNr, pool: v.pool, devicePath: `/dev/fake/${v.rsc}/${v.vlmNr}`, allocatedKib: v.sizeKib, usableKib: v.sizeKib, state: 'Created'}
  }
  return {rsc: v.rsc, vlmNr: v.vlmNr, pool: v.pool, state: 'Failed',
    error: kind === undefined ? `Storage pool '${v.pool}' is not defined on this node` : `Storage pool '${v.pool}' is diskless and cannot hold a volume`}
}

function snapshotReport(sn: DesiredSnapshot, kind: string | undefined): SnapshotReport {
  return kind === undefined || kind === 'DISKLESS'
    ? {rsc: sn.rsc, snap: sn.snap, vlmNr: sn.vlmNr, pool: sn.pool, state: 'Failed', error: `Storage pool '${sn.pool}' cannot hold a snapshot here`}
    : {rsc: sn.rsc, snap: sn.snap, vlmNr: sn.vlmNr, pool: sn.pool, state: 'Created'}
}

interface RscPart {volumes: VolumeReport[], snapshots: SnapshotReport[]}

/**
 * What a converged satellite would report, kept by resource: a delta sync (src/protocol/rsc-delta.ts)
 * recomputes only the resources it names and is answered with a delta on the report the controller
 * holds, so a sync at 10,000 resources costs what changed — an implementation of the protocol's
 * deltas of its own, apart from the real satellite's (src/satellite/sync-deltas.ts).
 */
export function fakeNode(opts: {capacityKib: number, accountAllocations: boolean, instance: string}): (msg: DesiredState) => SatelliteReport | ResyncReply {
  let generation: number | undefined
  let seq = 0
  const parts = new Map<string, RscPart>()
  const usedKib = new Map<string, number>()
  const account = (part: RscPart | undefined, sign: 1 | -1): void => {
    for (const v of part?.volumes ?? []) if (v.state === 'Created') usedKib.set(v.pool, (usedKib.get(v.pool) ?? 0) + sign * (v.allocatedKib ?? 0))
  }
  return (msg) => {
    if (msg.base !== undefined && msg.base !== generation) return {protocol: PROTOCOL_VERSION, instance: opts.instance, resync: true}
    const kinds = new Map(msg.pools.map((p) => [p.name, p.kind]))
    const touched = new Set(msg.base === undefined ? parts.keys() : (msg.changed ?? []).map((r) => r.toUpperCase()))
    for (const k of touched) {
      account(parts.get(k), -1)
      parts.delete(k)
    }
    const partOf = (rsc: string): RscPart => {
      const k = rsc.toUpperCase()
      touched.add(k)
      let part = parts.get(k)
      if (!part) parts.set(k, (part = {volumes: [], snapshots: []}))
      return part
    }
    for (const v of msg.volumes) if (v.present) partOf(v.rsc).volumes.push(volumeReport(v, kinds.get(v.pool)))
    for (const sn of msg.snapshots ?? []) if (sn.present) partOf(sn.rsc).snapshots.push(snapshotReport(sn, kinds.get(sn.pool)))
    for (const k of touched) account(parts.get(k), 1)
    generation = msg.generation
    const delta = msg.reportBase === `${opts.instance}/${seq}`
    seq++
    const pools: Record<string, PoolReport> = {}
    for (const p of msg.pools) {
      const used = opts.accountAllocations ? usedKib.get(p.name) ?? 0 : 0
      pools[p.name] = p.kind === 'DISKLESS' ? {freeKib: Number.MAX_SAFE_INTEGER, totalKib: Number.MAX_SAFE_INTEGER}
        : {freeKib: Math.max(0, opts.capacityKib - used), totalKib: opts.capacityKib}
    }
    const shown = delta ? [...touched].flatMap((k) => parts.get(k) ?? []) : [...parts.values()]
    return {protocol: PROTOCOL_VERSION, version: buildInfo.version, instance: opts.instance, generation: msg.generation, uname: `fake-${msg.node}`,
      ...CAPABILITIES, pools, volumes: shown.flatMap((p) => p.volumes), snapshots: shown.flatMap((p) => p.snapshots), drbd: [], errors: [], seq,
      ...(delta ? {base: seq - 1, changed: [...touched]} : {})}
  }
}

export async function startFakeSatellite(opts: FakeSatelliteOptions): Promise<FakeSatellite> {
  const capacityKib = opts.capacityKib ?? 100 * TIB_KIB
  const accountAllocations = opts.accountAllocations ?? true
  const nonces = new NonceCache()
  const stats: FakeSatelliteStats = {syncs: 0, pings: 0, refused: 0, bytesIn: 0, busyMs: 0}
  // Like a satellite process's: it changes when the process restarts, never in between.
  const instance = randomUUID()

  const sync = fakeNode({capacityKib, accountAllocations, instance})

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const t0 = performance.now()
    try {
      answer(req, res, body)
    } finally {
      if (req.url === SYNC_PATH) stats.busyMs += performance.now() - t0
    }
  }

  const answer = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const path = req.url ?? '/'
    const verdict = verifyRequest(opts.secret, req.headers[AUTH_HEADER] as string | undefined, req.method ?? '', path, body, nonces)
    if (!verdict.ok) {
      stats.refused++
      res.writeHead(401).end()
      return
    }
    const reply = (status: number, value: unknown): void => {
      const text = JSON.stringify(value)
      res.writeHead(status, {'content-type': 'application/json', [AUTH_HEADER]: signReply(opts.secret, verdict.nonce, status, text)}).end(text)
    }
    if (req.method === 'POST' && path === PING_PATH) {
      stats.pings++
      return reply(200, {protocol: PROTOCOL_VERSION, version: buildInfo.version, instance} satisfies PingReply)
    }
    if (req.method !== 'POST' || path !== SYNC_PATH) return reply(404, {error: `no such endpoint ${req.method} ${path}`})
    let desired: DesiredState
    try {
      desired = JSON.parse(body) as DesiredState
    } catch (e) {
      return reply(400, {error: `bad JSON: ${(e as Error).message}`})
    }
    stats.syncs++
    stats.bytesIn += Buffer.byteLength(body)
    stats.lastGeneration = desired.generation
    stats.lastVolumes = desired.volumes.length
    reply(200, sync(desired))
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')))
  })
  server.keepAliveTimeout = 65_000
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port, opts.address, () => {
      server.off('error', fail)
      ok()
    })
  })
  return {
    port: (server.address() as {port: number}).port,
    syncCount: () => stats.syncs,
    stats: () => ({...stats}),
    close: () => new Promise<void>((ok) => {
      server.close(() => ok())
      server.closeAllConnections()
    }),
  }
}
