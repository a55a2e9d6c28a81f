// The satellite's state machine: holds no state of its own beyond caches. Each sync applies the
// controller's desired state for this node and returns what is actually there.
import {randomUUID} from 'node:crypto'
import {hostname} from 'node:os'
import type {Logger} from '../common/log.ts'
import {buildInfo} from '../version.ts'
import {PROTOCOL_VERSION, type DesiredState, type DesiredVolume, type PingReply, type SatelliteError, type SatelliteReport, type VolumeReport} from '../protocol/messages.ts'
import type {Run} from './exec.ts'
import {createDrbdLayer, probeDrbd, type DrbdCapability} from './drbd/drbd-layer.ts'
import {watchDrbdEvents} from './drbd/events-watch.ts'
import {applyExtFiles, type ExtFileSettings} from './ext-files.ts'
import {formatVolume} from './filesystem.ts'
import {createLuksLayer, probeLuks, type LuksCapability} from './luks/luks-layer.ts'
import {createNvmeLayer, nvmeUnsupported, probeNvme, type NvmeCapability} from './nvme/nvme-layer.ts'
import {providerTable} from './providers/index.ts'
import type {ActualVolume, PoolSpec, StorageProvider} from './providers/provider.ts'
import {planSnapshots, planVolumes} from './reconcile.ts'
import {createTransfers} from './backup/transfers.ts'
import {withDeltas, type SyncWithDeltas} from './sync-deltas.ts'

const MAX_ERRORS = 200

export interface Satellite {
  /** A whole desired state or a delta on the last one (sync-deltas.ts). */
  sync: SyncWithDeltas
  ping(): PingReply
  /** Stops what runs in the background (the DRBD events watcher). */
  close(): void
}

function layersOf(drbd: DrbdCapability, luks: LuksCapability, nvme: NvmeCapability): SatelliteReport['layers'] {
  const unsupported: Record<string, string[]> = {}
  if (drbd.mode === 'unsupported') unsupported.DRBD = [drbd.reason]
  if (!luks.supported) unsupported.LUKS = luks.reasons
  const nvmeProblems = nvmeUnsupported(nvme)
  if (nvmeProblems.length) unsupported.NVME = nvmeProblems
  return {supported: [...(drbd.mode === 'unsupported' ? [] : ['DRBD']), ...(luks.supported ? ['LUKS'] : []), ...(nvmeProblems.length ? [] : ['NVME']), 'STORAGE'],
    unsupported}
}

export async function createSatellite(deps: {run: Run, log: Logger, extFiles?: ExtFileSettings, keepResources?: RegExp}): Promise<Satellite> {
  const extFiles: ExtFileSettings = deps.extFiles ?? {allowed: [], root: '/'}
  const providers = providerTable(deps)
  const unsupported: Record<string, string[]> = {}
  const supported: string[] = []
  for (const [kind, p] of providers) {
    const problems = await p.probe()
    if (problems.length) unsupported[kind] = problems
    else supported.push(kind)
  }
  const drbdCapability = await probeDrbd(deps.run)
  const luksCapability = await probeLuks(deps.run)
  const nvmeCapability = await probeNvme(deps.run)
  const layers = layersOf(drbdCapability, luksCapability, nvmeCapability)
  const errors: SatelliteError[] = []
  const instance = randomUUID()

  let errorSeq = 0
  /**
   * Keeps the error for the controller's error reports; returns its sequence number. A failure
   * that repeats on every sync keeps its first report instead of filling the controller's disk.
   */
  const recordError = (module: string, message: string): number => {
    const prior = errors.find((e) => e.module === module && e.message === message)
    if (prior) return prior.seq
    const seq = errorSeq++
    errors.push({seq, time: Date.now(), module, message})
    if (errors.length > MAX_ERRORS) errors.shift()
    deps.log.warn(message, {module})
    return seq
  }
  const luks = createLuksLayer(luksCapability, {run: deps.run, recordError})
  const nvme = createNvmeLayer(nvmeCapability, {run: deps.run, recordError, keep: deps.keepResources})
  const transfers = createTransfers({providers, recordError, log: deps.log})
  const drbdEvents = drbdCapability.mode === 'unsupported' ? undefined : watchDrbdEvents(deps.log)
  /** What the controller's ping compares: transfers that ended and DRBD states that changed. */
  const activity = (): number => transfers.activity() + (drbdEvents?.changes() ?? 0)
  const drbd = createDrbdLayer(drbdCapability, {run: deps.run, log: deps.log, hostname: hostname(), recordError, keep: deps.keepResources})

  async function applyVolumes(provider: StorageProvider, pool: PoolSpec, desired: DesiredState, report: SatelliteReport): Promise<void> {
    let actual: ActualVolume[] = []
    try {
      actual = await provider.list(pool)
    } catch (e) {
      recordError('storage', `Listing storage pool '${pool.name}' failed: ${(e as Error).message}`)
    }
    const plan = planVolumes(desired.volumes.filter((v) => v.pool === pool.name), actual.map((a) => ({...a, pool: pool.name})))
    const found = new Map(actual.map((a) => [`${a.rsc.toUpperCase()}/${a.vlmNr}`, a]))
    const out = (a: ActualVolume): VolumeReport => ({rsc: a.rsc, vlmNr: a.vlmNr, pool: pool.name, devicePath: a.devicePath,
      allocatedKib: a.allocatedKib, usableKib: a.usableKib, state: 'Created'})
    /** A volume that exists is reported, after a rollback when one is asked for. */
    const ready = async (v: DesiredVolume, a: ActualVolume): Promise<void> => {
      if (!v.rollbackTo) return void report.volumes.push(out(a))
      try {
        if (!provider.snapshots?.rollback) throw new Error(`storage pool '${pool.name}' (${pool.kind}) cannot roll back snapshots`)
        const back = await provider.snapshots.rollback(pool, {rsc: v.rsc, vlmNr: v.vlmNr, snap: v.rollbackTo})
        report.volumes.push({...out(back), rolledBackTo: v.rollbackTo})
      } catch (e) {
        const message = `Rolling back ${v.rsc}/${v.vlmNr} in '${pool.name}' to snapshot '${v.rollbackTo}' failed: ${(e as Error).message}`
        report.volumes.push({...out(a), state: 'Failed', error: message, errorSeq: recordError('storage', message)})
      }
    }
    for (const v of plan.keep) {
      const a = found.get(`${v.rsc.toUpperCase()}/${v.vlmNr}`)
      if (a) await ready(v, a)
    }
    for (const v of plan.create) {
      try {
        const made = await provider.create(pool, v, v.source)
        const isNew = !found.has(`${v.rsc.toUpperCase()}/${v.vlmNr}`) && !v.source
        if (isNew && v.filesystem && made.devicePath) {
          // An unformatted new volume is removed again, so the next sync retries the whole creation.
          await formatVolume(deps.run, v.filesystem, made.devicePath).catch(async (e: unknown) => {
            await provider.remove(pool, v)
            throw e
          })
        }
        await ready(v, made)
      } catch (e) {
        const message = `Creating volume ${v.rsc}/${v.vlmNr} in '${pool.name}' failed: ${(e as Error).message}`
        report.volumes.push({rsc: v.rsc, vlmNr: v.vlmNr, pool: pool.name, state: 'Failed', error: message, errorSeq: recordError('storage', message)})
      }
    }
    for (const v of plan.remove) {
      try {
        await provider.remove(pool, v)
      } catch (e) {
        const errorSeq = recordError('storage', `Deleting volume ${v.rsc}/${v.vlmNr} in '${pool.name}' failed: ${(e as Error).message}`)
        report.volumes.push({rsc: v.rsc, vlmNr: v.vlmNr, pool: pool.name, state: 'Failed', error: (e as Error).message, errorSeq})
      }
    }
  }

  /**
   * Snapshots are taken before volumes change (a restore reads them, a delete must not lose them)
   * and removed after; the 'remove' pass also reports what exists.
   */
  async function applySnapshots(provider: StorageProvider, pool: PoolSpec, desired: DesiredState, report: SatelliteReport,
    pass: 'create' | 'remove'): Promise<void> {
    const mine = desired.snapshots.filter((x) => x.pool === pool.name)
    if (!mine.length) return
    const support = provider.snapshots
    if (!support) {
      if (pass === 'remove') {
        for (const x of mine.filter((m) => m.present)) {
          report.snapshots.push({rsc: x.rsc, snap: x.snap, vlmNr: x.vlmNr, pool: pool.name, state: 'Failed',
            error: `storage pool '${pool.name}' (${pool.kind}) cannot take snapshots`})
        }
      }
      return
    }
    const plan = planSnapshots(mine, await support.list(pool).catch(() => []))
    for (const x of pass === 'create' ? plan.create : plan.remove) {
      try {
        await (pass === 'create' ? support.create(pool, x) : support.remove(pool, x))
      } catch (e) {
        const message = `${pass === 'create' ? 'Taking' : 'Deleting'} snapshot '${x.snap}' of ${x.rsc}/${x.vlmNr} in '${pool.name}' failed: ${(e as Error).message}`
        report.snapshots.push({rsc: x.rsc, snap: x.snap, vlmNr: x.vlmNr, pool: pool.name, state: 'Failed', error: message, errorSeq: recordError('storage', message)})
      }
    }
    if (pass === 'remove') {
      const failed = new Set(report.snapshots.map((r) => `${r.rsc}/${r.vlmNr}@${r.snap}`))
      for (const x of [...plan.keep, ...plan.create]) {
        if (!failed.has(`${x.rsc}/${x.vlmNr}@${x.snap}`)) report.snapshots.push({rsc: x.rsc, snap: x.snap, vlmNr: x.vlmNr, pool: pool.name, state: 'Created'})
      }
    }
  }

  async function apply(desired: DesiredState): Promise<SatelliteReport> {
    const report: SatelliteReport = {
      protocol: PROTOCOL_VERSION, version: buildInfo.version, instance, generation: desired.generation, uname: hostname(),
      providers: {supported, unsupported}, layers, pools: {}, volumes: [], snapshots: [], drbd: [], errors,
    }
    // DRBD sits on LUKS (if any), LUKS on the volumes; an NVMe target exports LUKS or the volumes:
    // top-down before them, bottom-up after them.
    await drbd.down(desired.drbd ?? [])
    await nvme.down(desired.nvme ?? [])
    await luks.down(desired.luks ?? [])
    for (const pool of desired.pools) {
      const provider: StorageProvider | undefined = providers.get(pool.kind)
      const problems = provider ? unsupported[pool.kind] : [`unknown provider kind ${pool.kind}`]
      if (!provider || problems) {
        report.pools[pool.name] = {error: `Storage pool '${pool.name}' (${pool.kind}) cannot be used on this node: ${(problems ?? []).join('; ')}`}
        for (const v of desired.volumes.filter((x) => x.pool === pool.name && x.present)) {
          report.volumes.push({rsc: v.rsc, vlmNr: v.vlmNr, pool: pool.name, state: 'Failed', error: report.pools[pool.name]?.error})
        }
        continue
      }
      await applySnapshots(provider, pool, desired, report, 'create')
      await applyVolumes(provider, pool, desired, report)
      await applySnapshots(provider, pool, desired, report, 'remove')
      try {
        report.pools[pool.name] = await provider.capacity(pool)
      } catch (e) {
        report.pools[pool.name] = {error: (e as Error).message}
      }
    }
    await luks.up(desired.luks ?? [], report)
    await nvme.up(desired.nvme ?? [], desired.node, report)
    await drbd.up(desired.drbd ?? [], report)
    // After the snapshots they read are taken; before the report, so it says where each stands.
    report.activity = activity()
    if (desired.transfers?.length) report.transfers = transfers.apply(desired.transfers, desired.pools)
    else transfers.apply([], desired.pools)
    report.files = await applyExtFiles(desired.files ?? [], extFiles, recordError)
    report.extFilesAllowed = extFiles.allowed
    return report
  }

  return {
    ping: () => ({protocol: PROTOCOL_VERSION, version: buildInfo.version, instance, activity: activity()}),
    close: () => drbdEvents?.stop(),
    // One sync at a time (withDeltas queues them): a second one waits, then converges from whatever the first left.
    sync: withDeltas(apply, instance),
  }
}
