// FILE and FILE_THIN: a file per volume in the pool's directory, attached to a loop device.
// They differ only in how the file's space is claimed (sparse or preallocated).
import {mkdir, open, readdir, rename, rm, stat, statfs} from 'node:fs/promises'
import {join} from 'node:path'
import {attachArgs, detachArgs, listArgs, parseLoopList, resizeArgs} from '../losetup.ts'
import {hasCommand} from '../exec.ts'
import {type ActualVolume, type PoolSpec, type ProviderDeps, type SnapshotRef, type StorageProvider, parseSnapshotName, parseVolumeName,
  snapshotName, volumeName} from './provider.ts'

export type Allocate = (deps: ProviderDeps, file: string, bytes: number) => Promise<void>

export function poolDir(pool: PoolSpec): string {
  const dir = pool.props['StorDriver/FileDir']
  if (!dir || !dir.startsWith('/')) throw new Error(`Storage pool '${pool.name}' has no absolute StorDriver/FileDir`)
  return dir
}

/** Copies a file keeping holes (and sharing blocks where the filesystem can), via a temporary name. */
async function copyFile(deps: ProviderDeps, from: string, to: string): Promise<void> {
  const tmp = `${to}.tmp`
  await deps.run('cp', ['--sparse=always', '--reflink=auto', '--', from, tmp])
  await rename(tmp, to)
}

export function fileBackedProvider(kind: string, deps: ProviderDeps, allocate: Allocate, withSnapshots: boolean): StorageProvider {
  const fileOf = (pool: PoolSpec, rsc: string, vlmNr: number): string => join(poolDir(pool), `${volumeName(rsc, vlmNr)}.img`)
  const snapFileOf = (pool: PoolSpec, ref: SnapshotRef): string => join(poolDir(pool), `${snapshotName(ref)}.img`)
  const loops = async (): Promise<Map<string, string>> => parseLoopList((await deps.run('losetup', listArgs())).stdout)
  // Data written through the loop device's page cache must reach the file before it is copied.
  const flush = async (file: string): Promise<void> => {
    const device = (await loops()).get(file)
    if (device) await deps.run('blockdev', ['--flushbufs', device])
  }
  const describe = async (file: string, rsc: string, vlmNr: number, device?: string): Promise<ActualVolume> => {
    const st = await stat(file)
    return {rsc, vlmNr, devicePath: device, allocatedKib: Math.ceil((st.blocks * 512) / 1024), usableKib: Math.floor(st.size / 1024)}
  }
  return {
    kind,
    async probe() {
      const missing: string[] = []
      if (!(await hasCommand('losetup'))) missing.push("'losetup' not found (install util-linux)")
      try {
        await stat('/dev/loop-control')
      } catch {
        missing.push('/dev/loop-control is missing: the loop kernel module is not loaded (modprobe loop)')
      }
      return missing
    },
    async capacity(pool) {
      const dir = poolDir(pool)
      await mkdir(dir, {recursive: true})
      const s = await statfs(dir)
      return {freeKib: Math.floor((s.bavail * s.bsize) / 1024), totalKib: Math.floor((s.blocks * s.bsize) / 1024)}
    },
    async list(pool) {
      const dir = poolDir(pool)
      const attached = await loops()
      const names = await readdir(dir).catch(() => [] as string[])
      const out: ActualVolume[] = []
      for (const n of names) {
        const parsed = n.endsWith('.img') ? parseVolumeName(n.slice(0, -4)) : undefined
        if (!parsed) continue
        const file = join(dir, n)
        out.push(await describe(file, parsed.rsc, parsed.vlmNr, attached.get(file)))
      }
      return out
    },
    async create(pool, vol, source) {
      const file = fileOf(pool, vol.rsc, vol.vlmNr)
      await mkdir(poolDir(pool), {recursive: true})
      const bytes = vol.sizeKib * 1024
      let existing = await stat(file).catch(() => undefined)
      if (!existing && source) {
        const from = source.snap ? snapFileOf(pool, {rsc: source.rsc, vlmNr: vol.vlmNr, snap: source.snap}) : fileOf(pool, source.rsc, vol.vlmNr)
        await stat(from).catch(() => {
          throw new Error(`${source.snap ? `snapshot '${source.snap}' of ` : ''}${source.rsc}/${vol.vlmNr} is not in storage pool '${pool.name}' on this node`)
        })
        if (!source.snap) await flush(from)
        await copyFile(deps, from, file)
        existing = await stat(file)
      }
      if (!existing) {
        // Create empty first, then size it: a crash in between leaves a file the next run completes.
        await (await open(file, 'wx', 0o600)).close()
      }
      const grow = !existing || existing.size < bytes
      if (grow) await allocate(deps, file, bytes)
      let device = (await loops()).get(file)
      if (!device) device = (await deps.run('losetup', attachArgs(file))).stdout.trim()
      else if (grow) await deps.run('losetup', resizeArgs(device))
      return describe(file, vol.rsc, vol.vlmNr, device)
    },
    async remove(pool, vol) {
      const file = fileOf(pool, vol.rsc, vol.vlmNr)
      const device = (await loops()).get(file)
      if (device) await deps.run('losetup', detachArgs(device))
      await rm(file, {force: true})
    },
    snapshots: withSnapshots ? {
      async list(pool) {
        const names = await readdir(poolDir(pool)).catch(() => [] as string[])
        return names.flatMap((n) => {
          const ref = n.endsWith('.img') ? parseSnapshotName(n.slice(0, -4)) : undefined
          return ref ? [ref] : []
        })
      },
      async create(pool, ref) {
        const file = fileOf(pool, ref.rsc, ref.vlmNr)
        await flush(file)
        await copyFile(deps, file, snapFileOf(pool, ref))
      },
      async remove(pool, ref) {
        await rm(snapFileOf(pool, ref), {force: true})
      },
      // Detached while the file is replaced, so the loop device never serves a mix of old and new blocks.
      async rollback(pool, ref) {
        const file = fileOf(pool, ref.rsc, ref.vlmNr)
        const snap = snapFileOf(pool, ref)
        await stat(snap).catch(() => {
          throw new Error(`snapshot '${ref.snap}' of ${ref.rsc}/${ref.vlmNr} is not in storage pool '${pool.name}' on this node`)
        })
        const device = (await loops()).get(file)
        if (device) await deps.run('losetup', detachArgs(device))
        await copyFile(deps, snap, file)
        const attached = (await deps.run('losetup', attachArgs(file))).stdout.trim()
        return describe(file, ref.rsc, ref.vlmNr, attached)
      },
      // Snapshot files are never written once taken: shipping reads them in place.
      async read(pool, ref) {
        const path = snapFileOf(pool, ref)
        const st = await stat(path).catch(() => {
          throw new Error(`snapshot '${ref.snap}' of ${ref.rsc}/${ref.vlmNr} is not in storage pool '${pool.name}' on this node`)
        })
        return {path, sizeBytes: st.size, release: async () => undefined}
      },
      // Written under a name list() ignores, renamed into place only once complete and verified.
      async receive(pool, ref, base) {
        const path = `${snapFileOf(pool, ref)}.partial`
        await mkdir(poolDir(pool), {recursive: true})
        await rm(path, {force: true})
        if (base) {
          const from = snapFileOf(pool, {...ref, snap: base})
          await stat(from).catch(() => {
            throw new Error(`base snapshot '${base}' of ${ref.rsc}/${ref.vlmNr} is not in storage pool '${pool.name}' on this node`)
          })
          await copyFile(deps, from, path)
        } else {
          await (await open(path, 'wx', 0o600)).close()
        }
        return {path, commit: () => rename(path, snapFileOf(pool, ref)), abort: () => rm(path, {force: true})}
      },
    } : undefined,
  }
}
