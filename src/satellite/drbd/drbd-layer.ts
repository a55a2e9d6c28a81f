// The DRBD layer on a satellite: decides at start whether this host can run DRBD (and in which
// syntax), then on each sync takes unwanted resources down before their backing volumes go and
// brings wanted ones up on top of them. State comes from `drbdsetup events2 --now`; the `.res`
// directory is Cairn's own, so a file nobody wants any more is an orphan to take down.
import {readdir, readFile} from 'node:fs/promises'
import type {Logger} from '../../common/log.ts'
import type {DesiredDrbdResource} from '../../protocol/drbd.ts'
import type {DrbdReport, SatelliteReport} from '../../protocol/messages.ts'
import {hasCommand, type Run} from '../exec.ts'
import {upperDevice} from '../luks/luks-layer.ts'
import {adjustResource, awaitsPeersForInitialSync, DEFAULT_DRBD_LAYOUT, downResource, type DrbdLayout, ensureIncludeFile, installResFile, removeResFile,
  resizeArgs} from './drbdadm.ts'
import {decideDrbdMode, drbdadmVersionArgs, parseDrbdadmVersion, parseProcDrbdVersion} from './drbd-version.ts'
import {emptyEvents2State, events2Args, inUse, parseEvents2, type Events2State, type ResourceState} from './events2.ts'
import {runInitialSyncWithFilesystems} from './initial-filesystem.ts'
import {DrbdConfigError, drbdDevicePath, renderResFile, type DrbdMode} from './res-file.ts'

/** How long a sync waits for the peers of a new resource to connect before its initial sync. */
const INITIAL_SYNC_PEER_WAIT_MS = 10_000

export type DrbdCapability = {mode: DrbdMode} | {mode: 'unsupported', reason: string}

export interface DrbdLayerDeps {
  run: Run
  log: Logger
  /** `uname -n`: drbdadm finds the local `on` block by it. */
  hostname: string
  layout?: DrbdLayout
  recordError: (module: string, message: string) => number
  /**
   * Resources never taken down for merely being unknown (LINSTOR's LS_KEEP_RES): the replicated
   * database of an HA controller must survive a controller that starts with an empty state.
   */
  keep?: RegExp
}

export interface DrbdLayer {
  readonly capability: DrbdCapability
  /** Before storage changes: resources not (or no longer) wanted go down and lose their `.res` file. */
  down(desired: readonly DesiredDrbdResource[]): Promise<void>
  /** After storage changes: wanted resources up on their backing volumes; fills `report.drbd`. */
  up(desired: readonly DesiredDrbdResource[], report: SatelliteReport): Promise<void>
}

/** Which DRBD this host has: the kernel module's version (from /proc/drbd or drbdadm) and the utils'. */
export async function probeDrbd(run: Run): Promise<DrbdCapability> {
  if (!(await hasCommand('drbdadm'))) return {mode: 'unsupported', reason: "'drbdadm' not found (install drbd-utils)"}
  const proc = await readFile('/proc/drbd', 'utf8').catch(() => '')
  const out = await run('drbdadm', drbdadmVersionArgs()).then((r) => r.stdout, () => '')
  const versions = parseDrbdadmVersion(out)
  return decideDrbdMode(parseProcDrbdVersion(proc) ?? versions.kernel, versions.utils)
}

/** What the controller learns of one resource from events2. */
export function drbdReportOf(res: DesiredDrbdResource, current: ResourceState | undefined): DrbdReport {
  return {
    rsc: res.rsc, state: current ? 'Created' : 'Failed', ...(current ? {} : {error: 'the resource is not up in the kernel'}),
    role: current?.role, inUse: current ? inUse(current) : undefined, promotionScore: current?.promotionScore, mayPromote: current?.mayPromote,
    volumes: res.volumes.map((v) => ({vlmNr: v.vlmNr, minor: v.minor, devicePath: drbdDevicePath(v.minor), diskState: current?.devices[String(v.vlmNr)]?.disk})),
    connections: Object.fromEntries(Object.values(current?.connections ?? {}).map((c) => [c.name, c.connection ?? 'Unknown'])),
  }
}

/**
 * Volumes whose DRBD device is smaller than wanted once the backing volumes grew. One node acts
 * for the resource (the diskful one with the lowest node-id), as DRBD negotiates the size with
 * its peers itself.
 */
export function growable(res: DesiredDrbdResource, current: ResourceState | undefined): number[] {
  if (!current || res.diskless || res.peers.some((p) => !p.diskless && p.nodeId < res.nodeId)) return []
  return res.volumes.filter((v) => {
    const size = current.devices[String(v.vlmNr)]?.sizeKib
    return size !== undefined && size < v.sizeKib
  }).map((v) => v.vlmNr)
}

export function createDrbdLayer(capability: DrbdCapability, deps: DrbdLayerDeps): DrbdLayer {
  const layout = deps.layout ?? DEFAULT_DRBD_LAYOUT
  const events = async (): Promise<Events2State> =>
    parseEvents2((await deps.run('drbdsetup', events2Args({now: true, statistics: true}))).stdout)
  const ownFiles = async (): Promise<string[]> =>
    (await readdir(layout.resDir).catch(() => [] as string[])).filter((f) => f.endsWith('.res')).map((f) => f.slice(0, -4))
  let included = false

  return {
    capability,
    async down(desired) {
      if (capability.mode === 'unsupported') return
      const wanted = new Set(desired.filter((d) => d.present).map((d) => d.rsc))
      const orphans = (await ownFiles()).filter((r) => !wanted.has(r) && !deps.keep?.test(r))
      const gone = new Set([...desired.filter((d) => !d.present).map((d) => d.rsc), ...orphans])
      if (!gone.size) return
      const state = await events().catch(() => emptyEvents2State())
      for (const rsc of gone) {
        try {
          if (state.resources[rsc]) await downResource(deps.run, rsc)
          await removeResFile(layout, rsc)
        } catch (e) {
          deps.recordError('drbd', `Taking DRBD resource '${rsc}' down failed: ${(e as Error).message}`)
        }
      }
    },
    async up(desired, report) {
      const present = desired.filter((d) => d.present)
      if (!present.length) return
      if (capability.mode === 'unsupported') {
        const message = `DRBD cannot run on this node: ${capability.reason}`
        const errorSeq = deps.recordError('drbd', message)
        for (const res of present) report.drbd.push({...drbdReportOf(res, undefined), error: message, errorSeq})
        return
      }
      const mode = capability.mode
      if (!included) included = (await ensureIncludeFile(layout), true)
      let state = await events()
      const failed = new Map<string, {error: string, errorSeq: number}>()
      for (const res of present) {
        try {
          const backingDisks: Record<number, string> = {}
          for (const v of res.diskless ? [] : res.volumes) {
            const backing = upperDevice(report, res.rsc, v.vlmNr)
            if (!backing) throw new Error(`the backing volume ${v.vlmNr} in '${v.pool ?? '?'}' is not ready`)
            backingDisks[v.vlmNr] = backing
          }
          const local = {node: deps.hostname, backingDisks}
          await installResFile(deps.run, layout, res.rsc, renderResFile(res, local, mode), mode)
          await adjustResource(deps.run, res, local, mode, state.resources[res.rsc])
        } catch (e) {
          // A DrbdConfigError already names the resource.
          const error = e instanceof DrbdConfigError ? e.message : `DRBD resource '${res.rsc}': ${(e as Error).message}`
          failed.set(res.rsc, {error, errorSeq: deps.recordError('drbd', error)})
        }
      }
      state = await events()
      // A new resource's peers connect a moment after `adjust`. Wait for them, briefly, so that its
      // initial sync starts with this sync rather than with the next full sync, up to a minute later.
      const deadline = Date.now() + INITIAL_SYNC_PEER_WAIT_MS
      while (Date.now() < deadline && present.some((r) => !failed.has(r.rsc) && awaitsPeersForInitialSync(r, state.resources[r.rsc], mode))) {
        await new Promise((resolve) => setTimeout(resolve, 500))
        state = await events()
      }
      for (const res of present) {
        if (!failed.has(res.rsc)) {
          await runInitialSyncWithFilesystems(deps.run, res, state.resources[res.rsc], mode).catch((e: Error) =>
            deps.recordError('drbd', `Initial sync of '${res.rsc}' failed: ${e.message}`))
          for (const v of growable(res, state.resources[res.rsc])) {
            await deps.run('drbdadm', resizeArgs(res.rsc, v, {assumeClean: res.skipInitialSync})).catch((e: Error) =>
              deps.recordError('drbd', `Growing DRBD volume ${res.rsc}/${v} failed: ${e.message}`))
          }
        }
        report.drbd.push({...drbdReportOf(res, state.resources[res.rsc]), ...failed.get(res.rsc), ...(failed.has(res.rsc) ? {state: 'Failed' as const} : {})})
      }
    },
  }
}
