// FILE and FILE_THIN: a file per volume in the pool's directory, attached to a loop device.
// They differ only in how the file's space is claimed (sparse or preallocated).
import {mkdir, open, readdir, rm, stat, statfs} from 'node:fs/promises'
import {join} from 'node:path'
import {attachArgs, detachArgs, listArgs, parseLoopList, resizeArgs} from '../losetup.ts'
import {hasCommand} from '../exec.ts'
import {type ActualVolume, type PoolSpec, type ProviderDeps, type StorageProvider, parseVolumeName, volumeName} from './provider.ts'

export type Allocate = (deps: ProviderDeps, file: string, bytes: number) => Promise<void>

export function poolDir(pool: PoolSpec): string {
  const dir = pool.props['StorDriver/FileDir']
  if (!dir || !dir.startsWith('/')) throw new Error(`Storage pool '${pool.name}' has no absolute StorDriver/FileDir`)
  return dir
}

export function fileBackedProvider(kind: string, deps: ProviderDeps, allocate: Allocate): StorageProvider {
  const fileOf = (pool: PoolSpec, rsc: string, vlmNr: number): string => join(poolDir(pool), `${volumeName(rsc, vlmNr)}.img`)
  const loops = async (): Promise<Map<string, string>> => parseLoopList((await deps.run('losetup', listArgs())).stdout)
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
    async create(pool, vol) {
      const file = fileOf(pool, vol.rsc, vol.vlmNr)
      await mkdir(poolDir(pool), {recursive: true})
      const bytes = vol.sizeKib * 1024
      const existing = await stat(file).catch(() => undefined)
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
  }
}
