// ZFS (thick) and the shell shared with ZFS_THIN: a zvol per volume under the pool's dataset,
// used through its /dev/zvol link. Thick zvols reserve their size when created (refreservation);
// thin ones are sparse (`zfs create -s`). Both take snapshots, and restore them with `zfs clone`.
// Pool properties read: StorDriver/ZPool or ZPoolThin, ZfscreateOptions, ZfsSnapshotOptions,
// WaitTimeoutAfterCreate. The commands and parsers are in zfs-commands.ts; this file runs them.
import {readFile, stat} from 'node:fs/promises'
import {ExecError, hasCommand} from '../exec.ts'
import {type ActualVolume, type PoolSpec, type ProviderDeps, type SnapshotRef, type StorageProvider, snapshotName, volumeName} from './provider.ts'
import {DEFAULT_VOLBLOCKSIZE, type ZfsEntry, capacityKib, classify, cloneArgs, copyBaseName, createArgs, deletionSteps, devicePath,
  kernelProblem, listArgs, missingDataset, parseList, parsePoolSize, parseSpace, poolDataset, poolSizeArgs, resizeArgs, rootPool,
  roundUpKib, rollbackArgs, snapshotArgs, snapshotsIn, spaceArgs, splitOptions, volblocksizeOf} from './zfs-commands.ts'

/** What the provider asks of the host besides running commands; tests replace it. */
export interface ZfsHost {
  exists(path: string): Promise<boolean>
  /** A file's text, or undefined when it cannot be read. */
  readText(path: string): Promise<string | undefined>
  hasCommand(cmd: string): Promise<boolean>
  sleep(ms: number): Promise<void>
  now(): number
}

export const realHost: ZfsHost = {
  exists: (path) => stat(path).then(() => true, () => false),
  readText: (path) => readFile(path, 'utf8').catch(() => undefined),
  hasCommand,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
}

export interface ZfsKind {kind: 'ZFS' | 'ZFS_THIN', poolKey: string, thin: boolean}

/** LINSTOR's StorDriver/WaitTimeoutAfterCreate default (the guide says 500 ms; the code waits 5 s). */
const DEFAULT_DEVICE_WAIT_MS = 5000
const DEVICE_POLL_MS = 50

export function zfsBackedProvider(spec: ZfsKind, deps: ProviderDeps, hostOverrides: Partial<ZfsHost> = {}): StorageProvider {
  const host: ZfsHost = {...realHost, ...hostOverrides}
  const datasetOf = (pool: PoolSpec): string => poolDataset(pool, spec.poolKey)
  const zfs = async (args: string[]): Promise<string> => (await deps.run('zfs', args)).stdout

  /** Runs a command on the pool's dataset itself, naming the pool property when the dataset is missing. */
  const onPool = async (pool: PoolSpec, cmd: 'zfs' | 'zpool', args: string[]): Promise<string> => {
    try {
      return (await deps.run(cmd, args)).stdout
    } catch (e) {
      const missing = e instanceof ExecError ? missingDataset(e.result.stderr) : undefined
      if (missing) throw new Error(`ZFS dataset '${missing}' (${spec.poolKey} of storage pool '${pool.name}') does not exist on this node`)
      throw e
    }
  }
  const listPool = async (pool: PoolSpec): Promise<ZfsEntry[]> => parseList(await onPool(pool, 'zfs', listArgs(datasetOf(pool), true)))
  const listOne = async (name: string): Promise<ZfsEntry> => {
    const entry = parseList(await zfs(listArgs(name, false)))[0]
    if (!entry) throw new Error(`'zfs list ${name}' returned nothing`)
    return entry
  }

  const describe = (e: ZfsEntry, ref: {rsc: string, vlmNr: number}, device?: string): ActualVolume => ({
    rsc: ref.rsc, vlmNr: ref.vlmNr, devicePath: device,
    // LINSTOR's numbers: a thick zvol has its whole size allocated, a thin one what it references.
    allocatedKib: Math.ceil((spec.thin ? e.referencedBytes : e.volsizeBytes) / 1024),
    usableKib: Math.floor(e.volsizeBytes / 1024),
  })

  /** udev makes the /dev/zvol link some time after `zfs create`; wait for it, but not forever. */
  const waitForDevice = async (pool: PoolSpec, path: string): Promise<void> => {
    const configured = Number(pool.props['StorDriver/WaitTimeoutAfterCreate'])
    const timeoutMs = Number.isSafeInteger(configured) && configured >= 0 ? configured : DEFAULT_DEVICE_WAIT_MS
    const deadline = host.now() + timeoutMs
    while (!(await host.exists(path))) {
      if (host.now() >= deadline) {
        throw new Error(`Device '${path}' did not show up in ${timeoutMs} ms (is udev running? is the zvol's volmode 'none'?)`)
      }
      await host.sleep(DEVICE_POLL_MS)
    }
  }

  /** Makes `target` from the source the controller named: a clone of a snapshot, or of a live volume. */
  const fill = async (pool: PoolSpec, entries: ZfsEntry[], vol: {rsc: string, vlmNr: number}, source: {rsc: string, snap?: string}):
    Promise<void> => {
    const ds = datasetOf(pool)
    const vlmNr = vol.vlmNr
    const target = `${ds}/${volumeName(vol.rsc, vlmNr)}`
    if (source.snap) {
      // Restores also find snapshots whose volume has been deleted (kept under a marked name).
      const snap = snapshotsIn(ds, entries).find((s) => s.rsc === source.rsc && s.vlmNr === vlmNr && s.snap === source.snap)
      if (!snap) throw new Error(`snapshot '${source.snap}' of ${source.rsc}/${vlmNr} is not in storage pool '${pool.name}' on this node`)
      await zfs(cloneArgs(snap.name, target, spec.thin))
      return
    }
    const from = `${ds}/${volumeName(source.rsc, vlmNr)}`
    if (!entries.some((e) => e.name === from && e.type === 'volume')) {
      throw new Error(`${source.rsc}/${vlmNr} is not in storage pool '${pool.name}' on this node`)
    }
    // A clone, not send/receive: no pipe between two processes, and no second copy of the data.
    // The base snapshot is marked for deletion from the start, so it goes with the clone (one
    // left by a crash before the clone has nothing depending on it: the next deletion clears it).
    const base = `${from}@${copyBaseName(volumeName(vol.rsc, vlmNr), host.now())}`
    await zfs(snapshotArgs(base, []))
    await zfs(cloneArgs(base, target, spec.thin))
  }

  /**
   * Runs the deletion of `target` (see deletionSteps). Leftovers of earlier deletions are cleared
   * on the way; one that cannot go yet (held, busy) is logged and retried next time, so it never
   * blocks the deletion asked for.
   */
  const deleteDataset = async (pool: PoolSpec, entries: ZfsEntry[], target: string): Promise<void> => {
    let failure: unknown
    for (const args of deletionSteps(datasetOf(pool), entries, target, host.now())) {
      if (args[0] === 'rename') deps.log.info('ZFS keeps a dataset others depend on; renamed, it goes when they have gone', {from: args[1], to: args[2]})
      try {
        await zfs(args)
      } catch (e) {
        if (args[1] === target) failure ??= e
        else deps.log.warn('A dataset marked for deletion could not be destroyed yet', {dataset: args[1], error: e})
      }
    }
    if (failure) throw failure
  }

  return {
    kind: spec.kind,
    async probe() {
      const problems: string[] = []
      for (const tool of ['zfs', 'zpool']) {
        if (!(await host.hasCommand(tool))) problems.push(`'${tool}' not found (install zfsutils-linux)`)
      }
      const kernel = kernelProblem(await host.exists('/dev/zfs'), await host.readText('/proc/modules'))
      if (kernel) problems.push(kernel)
      return problems
    },
    async capacity(pool) {
      const ds = datasetOf(pool)
      const space = parseSpace(await onPool(pool, 'zfs', spaceArgs(ds)))
      const poolSize = space.quotaBytes ? undefined : parsePoolSize(await onPool(pool, 'zpool', poolSizeArgs(rootPool(ds))))
      return capacityKib(space, poolSize)
    },
    async list(pool) {
      const ds = datasetOf(pool)
      const volumes = (await listPool(pool)).flatMap((e) => {
        const c = classify(ds, e.name)
        return c?.type === 'volume' && !c.marked ? [{e, c}] : []
      })
      // A zvol without its /dev/zvol link is reported without a device: create completes it.
      return Promise.all(volumes.map(async ({e, c}) => {
        const path = devicePath(e.name)
        return describe(e, c, (await host.exists(path)) ? path : undefined)
      }))
    },
    async create(pool, vol, source) {
      const ds = datasetOf(pool)
      const target = `${ds}/${volumeName(vol.rsc, vol.vlmNr)}`
      const entries = await listPool(pool)
      let entry = entries.find((e) => e.name === target && e.type === 'volume')
      if (!entry) {
        if (source) await fill(pool, entries, vol, source)
        else {
          const options = splitOptions(pool.props['StorDriver/ZfscreateOptions'])
          // zfs refuses a volsize that is not a multiple of volblocksize; LINSTOR rounds up first.
          const sizeKib = roundUpKib(vol.sizeKib, volblocksizeOf(options) ?? DEFAULT_VOLBLOCKSIZE)
          await zfs(createArgs({thin: spec.thin, sizeKib, options, target}))
        }
        entry = await listOne(target)
      }
      if (entry.volsizeBytes < vol.sizeKib * 1024) {
        // Grown by the controller, or restored from a smaller snapshot.
        const sizeKib = roundUpKib(vol.sizeKib, entry.volblocksizeBytes ?? DEFAULT_VOLBLOCKSIZE)
        await zfs(resizeArgs(target, sizeKib))
        entry = {...entry, volsizeBytes: sizeKib * 1024}
      }
      const path = devicePath(target)
      await waitForDevice(pool, path)
      return describe(entry, vol, path)
    },
    remove: async (pool, vol) => deleteDataset(pool, await listPool(pool), `${datasetOf(pool)}/${volumeName(vol.rsc, vol.vlmNr)}`),
    snapshots: {
      async list(pool) {
        return snapshotsIn(datasetOf(pool), await listPool(pool)).map(({rsc, vlmNr, snap}) => ({rsc, vlmNr, snap}))
      },
      async create(pool, ref: SnapshotRef) {
        const ds = datasetOf(pool)
        const name = `${ds}/${snapshotName(ref)}`
        const entries = await listPool(pool)
        if (entries.some((e) => e.name === name)) return
        if (!entries.some((e) => e.name === `${ds}/${volumeName(ref.rsc, ref.vlmNr)}`)) {
          throw new Error(`${ref.rsc}/${ref.vlmNr} is not in storage pool '${pool.name}' on this node`)
        }
        await zfs(snapshotArgs(name, splitOptions(pool.props['StorDriver/ZfsSnapshotOptions'])))
      },
      async remove(pool, ref) {
        // The snapshot may sit under a deleted (renamed) volume: find it by what it is, not by name.
        const entries = await listPool(pool)
        const found = snapshotsIn(datasetOf(pool), entries).find((s) => s.rsc === ref.rsc && s.vlmNr === ref.vlmNr && s.snap === ref.snap)
        if (found) await deleteDataset(pool, entries, found.name)
      },
      // Without -r: zfs refuses while newer snapshots exist, which the controller never asks for.
      async rollback(pool, ref) {
        const target = `${datasetOf(pool)}/${volumeName(ref.rsc, ref.vlmNr)}`
        const name = `${datasetOf(pool)}/${snapshotName(ref)}`
        if (!(await listPool(pool)).some((e) => e.name === name)) {
          throw new Error(`snapshot '${ref.snap}' of ${ref.rsc}/${ref.vlmNr} is not in storage pool '${pool.name}' on this node`)
        }
        await zfs(rollbackArgs(name))
        const path = devicePath(target)
        await waitForDevice(pool, path)
        return describe(await listOne(target), ref, path)
      },
    },
  }
}

export const zfsProvider = (deps: ProviderDeps, host?: Partial<ZfsHost>): StorageProvider =>
  zfsBackedProvider({kind: 'ZFS', poolKey: 'StorDriver/ZPool', thin: false}, deps, host)
