// LVM: a logical volume per volume in the pool's volume group, its space allocated up front.
// LVM_THIN (lvm-thin.ts) is this same shell over a thin pool: the differences (which LVs are the
// pool's, how one is made and measured) are in the pure builders of lvm-commands.ts, keyed on
// whether the target has a thin pool; only thin pools take snapshots and fill volumes from others.
import {readFile, stat} from 'node:fs/promises'
import {ExecError, hasCommand} from '../exec.ts'
import * as lvm from './lvm-commands.ts'
import {type ActualVolume, type PoolSpec, type ProviderDeps, type StorageProvider, volumeName} from './provider.ts'

/** What probe() looks at on the host; tests pass their own. */
export interface LvmHost {
  hasCommand(cmd: string): Promise<boolean>
  exists(path: string): Promise<boolean>
  /** The file's text, or undefined when it cannot be read. */
  readFile(path: string): Promise<string | undefined>
}

export const realHost: LvmHost = {
  hasCommand,
  exists: async (path) => (await stat(path).catch(() => undefined)) !== undefined,
  readFile: (path) => readFile(path, 'utf8').catch(() => undefined),
}

export function lvmBackedProvider(kind: 'LVM' | 'LVM_THIN', deps: ProviderDeps, host: LvmHost): StorageProvider {
  const thin = kind === 'LVM_THIN'
  const targetOf = (pool: PoolSpec): lvm.LvmTarget => lvm.lvmTarget(pool, thin)

  // Runs an LVM command; "volume group / thin pool not found" becomes a message naming the property to fix.
  const run = async (pool: PoolSpec, t: lvm.LvmTarget, cmd: string, args: string[]): Promise<string> => {
    try {
      return (await deps.run(cmd, args)).stdout
    } catch (e) {
      const why = e instanceof ExecError ? lvm.notFoundProblem(e.result.stderr, pool.name, t) : undefined
      throw why ? new Error(why) : e
    }
  }
  /** The pool's LVs (volumes and snapshots): one `lvs` of the whole VG. */
  const listing = async (pool: PoolSpec, t: lvm.LvmTarget): Promise<lvm.Lv[]> => {
    const all = lvm.parseLvs(await run(pool, t, 'lvs', lvm.lvsArgs(t.vg)))
    if (t.thinPool && !all.some((lv) => lv.name === t.thinPool && lvm.isThinPool(lv))) throw new Error(lvm.thinPoolMissing(pool.name, t))
    return all.filter((lv) => lvm.belongsTo(lv, t))
  }
  const query = async (pool: PoolSpec, t: lvm.LvmTarget, name: string): Promise<lvm.Lv> => {
    const [lv] = lvm.parseLvs(await run(pool, t, 'lvs', lvm.lvsArgs(`${t.vg}/${name}`)))
    if (!lv) throw new Error(`lvs reported nothing for ${t.vg}/${name}`)
    return lv
  }
  const removeIfPresent = async (pool: PoolSpec, name: string): Promise<void> => {
    const t = targetOf(pool)
    if ((await listing(pool, t)).some((lv) => lv.name === name)) await run(pool, t, 'lvremove', lvm.removeArgs(t.vg, name))
  }
  const describe = (t: lvm.LvmTarget, lv: lvm.Lv, ref: {rsc: string, vlmNr: number}): ActualVolume => ({
    ...ref, devicePath: lvm.isActive(lv) ? `/dev/${t.vg}/${lv.name}` : undefined, allocatedKib: lvm.allocatedKib(lv), usableKib: lv.sizeKib,
  })

  return {
    kind,
    async probe() {
      const present = await Promise.all(lvm.LVM_TOOLS.map((tool) => host.hasCommand(tool)))
      const problems = [
        lvm.missingToolsProblem(lvm.LVM_TOOLS.filter((_, i) => !present[i])),
        lvm.deviceMapperProblem(await host.exists('/dev/mapper/control'), await host.readFile('/proc/misc')),
      ]
      return problems.filter((p) => p !== undefined)
    },
    async capacity(pool) {
      const t = targetOf(pool)
      if (t.thinPool) {
        const [lv] = lvm.parseLvs(await run(pool, t, 'lvs', lvm.lvsArgs(`${t.vg}/${t.thinPool}`)))
        if (!lv) throw new Error(lvm.thinPoolMissing(pool.name, t))
        return lvm.thinPoolCapacity(lv, t)
      }
      const [vg] = lvm.parseVgs(await run(pool, t, 'vgs', lvm.vgsArgs(t.vg)))
      if (!vg) throw new Error(`vgs reported nothing for volume group '${t.vg}'`)
      return {freeKib: vg.freeKib, totalKib: vg.sizeKib}
    },
    async list(pool) {
      const t = targetOf(pool)
      return (await listing(pool, t)).flatMap((lv) => {
        const ref = lvm.parseLvVolumeName(lv.name)
        return ref ? [describe(t, lv, ref)] : []
      })
    },
    async create(pool, vol, source) {
      const t = targetOf(pool)
      const name = volumeName(vol.rsc, vol.vlmNr)
      const lvs = await listing(pool, t)
      let lv = lvs.find((x) => x.name === name)
      if (!lv) {
        let args = lvm.createArgs(t, name, vol.sizeKib)
        if (source) {
          const what = `${source.snap ? `snapshot '${source.snap}' of ` : ''}${source.rsc}/${vol.vlmNr}`
          if (!thin) throw new Error(`Storage pool '${pool.name}' (LVM) cannot fill a volume from ${what}: copies need an LVM_THIN pool in this Cairn version`)
          const origin = source.snap ? lvm.snapshotLvName({rsc: source.rsc, vlmNr: vol.vlmNr, snap: source.snap}) : volumeName(source.rsc, vol.vlmNr)
          if (!lvs.some((x) => x.name === origin)) throw new Error(`${what} is not in storage pool '${pool.name}' on this node`)
          args = lvm.fillArgs(t.vg, origin, name)
        }
        await run(pool, t, 'lvcreate', args)
        lv = await query(pool, t, name)
      }
      // What a crash or an older run left: a volume too small, or not active.
      let changed = false
      if (lv.sizeKib < vol.sizeKib) {
        await run(pool, t, 'lvextend', lvm.extendArgs(t.vg, name, vol.sizeKib))
        changed = true
      }
      if (!lvm.isActive(lv)) {
        await run(pool, t, 'lvchange', lvm.activateArgs(t.vg, name))
        changed = true
      }
      if (changed) lv = await query(pool, t, name)
      return describe(t, lv, {rsc: vol.rsc, vlmNr: vol.vlmNr})
    },
    remove: (pool, vol) => removeIfPresent(pool, volumeName(vol.rsc, vol.vlmNr)),
    snapshots: thin ? {
      async list(pool) {
        return (await listing(pool, targetOf(pool))).flatMap((lv) => {
          const ref = lvm.parseSnapshotLvName(lv.name)
          return ref ? [ref] : []
        })
      },
      async create(pool, ref) {
        const t = targetOf(pool)
        const name = lvm.snapshotLvName(ref)
        const origin = volumeName(ref.rsc, ref.vlmNr)
        const lvs = await listing(pool, t)
        if (lvs.some((lv) => lv.name === name)) return
        if (!lvs.some((lv) => lv.name === origin)) throw new Error(`${ref.rsc}/${ref.vlmNr} is not in storage pool '${pool.name}' on this node`)
        await run(pool, t, 'lvcreate', lvm.snapshotArgs(t.vg, origin, name))
      },
      remove: (pool, ref) => removeIfPresent(pool, lvm.snapshotLvName(ref)),
      // The volume is set aside, remade as a thin snapshot of the snapshot, then dropped: a crash
      // in between leaves the old data under the aside name, never nothing.
      async rollback(pool, ref) {
        const t = targetOf(pool)
        const name = volumeName(ref.rsc, ref.vlmNr)
        const snap = lvm.snapshotLvName(ref)
        const aside = lvm.rollbackOldName(name)
        const lvs = await listing(pool, t)
        if (!lvs.some((lv) => lv.name === snap)) throw new Error(`snapshot '${ref.snap}' of ${ref.rsc}/${ref.vlmNr} is not in storage pool '${pool.name}' on this node`)
        if (lvs.some((lv) => lv.name === aside)) await run(pool, t, 'lvremove', lvm.removeArgs(t.vg, aside))
        if (lvs.some((lv) => lv.name === name)) await run(pool, t, 'lvrename', lvm.renameArgs(t.vg, name, aside))
        await run(pool, t, 'lvcreate', lvm.fillArgs(t.vg, snap, name))
        await run(pool, t, 'lvremove', lvm.removeArgs(t.vg, aside))
        return describe(t, await query(pool, t, name), ref)
      },
      // Activated only while it is read: an inactive snapshot has no device to read.
      async read(pool, ref) {
        const t = targetOf(pool)
        const name = lvm.snapshotLvName(ref)
        const lv = (await listing(pool, t)).find((x) => x.name === name)
        if (!lv) throw new Error(`snapshot '${ref.snap}' of ${ref.rsc}/${ref.vlmNr} is not in storage pool '${pool.name}' on this node`)
        await run(pool, t, 'lvchange', lvm.activateArgs(t.vg, name))
        return {path: `/dev/${t.vg}/${name}`, sizeBytes: lv.sizeKib * 1024, release: async () => void await run(pool, t, 'lvchange', lvm.deactivateArgs(t.vg, name))}
      },
      // A thin volume (or, incremental, a writable thin snapshot of the base) under a receiving
      // name, made or grown once the stream says the size; renamed into place when complete.
      async receive(pool, ref, base) {
        const t = targetOf(pool)
        const name = lvm.receivingLvName(ref)
        const lvs = await listing(pool, t)
        if (lvs.some((lv) => lv.name === name)) await run(pool, t, 'lvremove', lvm.removeArgs(t.vg, name))
        if (base) {
          const origin = lvm.snapshotLvName({...ref, snap: base})
          if (!lvs.some((lv) => lv.name === origin)) throw new Error(`base snapshot '${base}' of ${ref.rsc}/${ref.vlmNr} is not in storage pool '${pool.name}' on this node`)
          await run(pool, t, 'lvcreate', lvm.fillArgs(t.vg, origin, name))
        }
        let made = base !== undefined
        return {
          path: `/dev/${t.vg}/${name}`,
          async resize(bytes) {
            const kib = Math.ceil(bytes / 1024)
            if (!made) {
              await run(pool, t, 'lvcreate', lvm.createArgs(t, name, kib))
              made = true
            } else if ((await query(pool, t, name)).sizeKib < kib) {
              await run(pool, t, 'lvextend', lvm.extendArgs(t.vg, name, kib))
            }
          },
          async commit() {
            const snap = lvm.snapshotLvName(ref)
            await run(pool, t, 'lvrename', lvm.renameArgs(t.vg, name, snap))
            await run(pool, t, 'lvchange', lvm.deactivateArgs(t.vg, snap))
            await run(pool, t, 'lvchange', lvm.skipActivationArgs(t.vg, snap))
          },
          // What a crash leaves instead is removed by the next receive of this snapshot.
          abort: async () => void (made && await run(pool, t, 'lvremove', lvm.removeArgs(t.vg, name))),
        }
      },
    } : undefined,
  }
}

export const lvmProvider = (deps: ProviderDeps, host: LvmHost = realHost): StorageProvider => lvmBackedProvider('LVM', deps, host)
