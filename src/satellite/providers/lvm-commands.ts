// LVM (lvm2 2.03): argument builders and report parsers shared by the LVM and LVM_THIN providers.
// Pure: the providers run what these build. Reports are read as JSON (--reportformat json), so no
// column is split on a separator, and sizes come in KiB (--units k: LVM's lower-case units are
// binary) without a suffix.
import {type PoolSpec, type SnapshotRef, parseVolumeName, volumeName} from './provider.ts'

/** Where a pool's volumes live: a volume group and, for LVM_THIN, a thin pool in it. */
export interface LvmTarget {vg: string, thinPool?: string}

/** One row of `lvs`, as far as Cairn reads it. */
export interface Lv {name: string, attr: string, sizeKib: number, poolLv: string, dataPercent?: number}

/** Every LVM command the providers run (on Debian all are links to `lvm`). */
export const LVM_TOOLS = ['lvm', 'lvs', 'vgs', 'lvcreate', 'lvextend', 'lvchange', 'lvremove', 'lvrename'] as const

export function lvmTarget(pool: PoolSpec, thin: boolean): LvmTarget {
  const kind = thin ? 'LVM_THIN' : 'LVM'
  let vg = pool.props['StorDriver/LvmVg'] ?? ''
  let thinPool = thin ? pool.props['StorDriver/ThinPool'] ?? '' : undefined
  // LINSTOR itself keeps "vg/pool" in ThinPool; accepted when it agrees with LvmVg.
  const slash = thinPool?.indexOf('/') ?? -1
  if (thinPool !== undefined && slash >= 0) {
    const prefix = thinPool.slice(0, slash)
    if (vg && prefix !== vg) throw new Error(`Storage pool '${pool.name}' (${kind}): StorDriver/ThinPool '${thinPool}' is not in volume group '${vg}'`)
    vg = prefix
    thinPool = thinPool.slice(slash + 1)
  }
  checkName(pool.name, kind, 'StorDriver/LvmVg', 'volume group', vg)
  if (thinPool !== undefined) checkName(pool.name, kind, 'StorDriver/ThinPool', 'thin pool LV', thinPool)
  return thinPool === undefined ? {vg} : {vg, thinPool}
}

// LVM's name characters; no leading '-', so a name can never be taken for an option.
const lvmName = /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/

function checkName(pool: string, kind: string, key: string, what: string, value: string): void {
  if (!value) throw new Error(`Storage pool '${pool}' (${kind}) has no ${key}: set it to the ${what} to use`)
  if (!lvmName.test(value)) throw new Error(`Storage pool '${pool}' (${kind}): ${key} '${value}' is not a valid LVM name`)
}

// --- naming ---

/**
 * LINSTOR names thin snapshots `<rsc>_<nnnnn>_<snap>`, which cannot be read back: resource and
 * snapshot names may both hold '_' and digits ("a_00001_b_00000" is volume 1 of "a" snapshotted as
 * "b_00000", or volume 0 of "a_00001_b"). Cairn finds its snapshots by name alone, so it separates
 * with '.', which LVM allows in LV names ('@' it refuses) and no LINSTOR name can contain.
 */
export const snapshotLvName = (ref: SnapshotRef): string => `${volumeName(ref.rsc, ref.vlmNr)}.${ref.snap}`

// Characters of LINSTOR resource and snapshot names: an LV with any other is not Cairn's.
const nameChars = /^[A-Za-z0-9_-]+$/

export function parseSnapshotLvName(name: string): SnapshotRef | undefined {
  const [vol = '', snap, ...rest] = name.split('.')
  if (snap === undefined || rest.length || !nameChars.test(snap)) return undefined
  const ref = parseLvVolumeName(vol)
  return ref && {...ref, snap}
}

/**
 * Where a shipped snapshot is written before it is complete: neither a volume nor a snapshot by
 * name ('-recv-' instead of '.'), so nothing lists it; renamed to the snapshot's name at the end.
 */
export const receivingLvName = (ref: SnapshotRef): string => `${volumeName(ref.rsc, ref.vlmNr)}-recv-${ref.snap}`

export const parseLvVolumeName = (name: string): {rsc: string, vlmNr: number} | undefined =>
  nameChars.test(name) ? parseVolumeName(name) : undefined

// --- argument builders (lvs, vgs, lvcreate, lvextend, lvchange, lvremove) ---

const report = ['--reportformat', 'json', '--units', 'k', '--nosuffix']
export const LV_FIELDS = 'lv_name,lv_attr,lv_size,pool_lv,data_percent'
export const VG_FIELDS = 'vg_name,vg_size,vg_free'

/** `lvs` of a whole VG ("vg") or of one LV ("vg/lv"). */
export const lvsArgs = (what: string): string[] => [...report, '-o', LV_FIELDS, what]
export const vgsArgs = (vg: string): string[] => [...report, '-o', VG_FIELDS, vg]

/** A new, empty volume: thick in the VG, or thin in the thin pool. `-y`: never stop at a prompt. */
export const createArgs = (t: LvmTarget, lv: string, sizeKib: number): string[] => [
  ...(t.thinPool ? ['--virtualsize', `${sizeKib}k`, '--thinpool', `${t.vg}/${t.thinPool}`] : ['--size', `${sizeKib}k`]),
  '-n', lv, '-y', '--wipesignatures', 'y', ...(t.thinPool ? [] : [t.vg]),
]

/**
 * A snapshot: a thin snapshot LV left inactive and skipped at activation, as LVM does by default
 * for thin snapshots (said explicitly so a local lvm.conf cannot change it). Inactive snapshots
 * cost no device-mapper device and show no duplicate filesystem UUIDs to udev.
 */
export const snapshotArgs = (vg: string, origin: string, lv: string): string[] =>
  ['--snapshot', '--setactivationskip', 'y', '-n', lv, `${vg}/${origin}`]

/**
 * A volume filled from `origin` (a snapshot, or a live volume for a clone): a thin snapshot of it,
 * made an ordinary volume (activated now and at boot). Nothing is wiped: it holds data.
 */
export const fillArgs = (vg: string, origin: string, lv: string): string[] =>
  ['--snapshot', '--setactivationskip', 'n', '--activate', 'y', '-n', lv, `${vg}/${origin}`]

/** lvextend, not lvresize: a wrong size can never shrink a volume (and lose data). */
export const extendArgs = (vg: string, lv: string, sizeKib: number): string[] => ['--size', `${sizeKib}k`, `${vg}/${lv}`]
/** `-K` also activates LVs flagged to be skipped (volumes LINSTOR restored from snapshots are). */
export const activateArgs = (vg: string, lv: string): string[] => ['-ay', '-K', `${vg}/${lv}`]
/** A snapshot read for shipping goes back to how snapshots stay: inactive. */
export const deactivateArgs = (vg: string, lv: string): string[] => ['-an', `${vg}/${lv}`]
/** A received snapshot becomes like one taken here: skipped at activation. */
export const skipActivationArgs = (vg: string, lv: string): string[] => ['--setactivationskip', 'y', `${vg}/${lv}`]
export const removeArgs = (vg: string, lv: string): string[] => ['-f', `${vg}/${lv}`]
export const renameArgs = (vg: string, from: string, to: string): string[] => [vg, from, to]
/** Where a volume waits during a rollback: not a volume name, so listings ignore it. */
export const rollbackOldName = (lv: string): string => `${lv}.rollback-old`

// --- parsers ---

function rows(json: string, key: 'lv' | 'vg', cmd: string): Record<string, unknown>[] {
  const parsed = JSON.parse(json) as {report?: Record<string, unknown>[]}
  if (!Array.isArray(parsed.report)) throw new Error(`${cmd} printed no report`)
  return parsed.report.flatMap((r) => (Array.isArray(r[key]) ? r[key] as Record<string, unknown>[] : []))
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '')

function number(v: unknown, field: string, cmd: string): number {
  const n = Number(text(v))
  if (text(v) === '' || !Number.isFinite(n)) throw new Error(`${cmd} printed ${field} '${String(v)}', not a number`)
  return n
}

export function parseLvs(json: string): Lv[] {
  return rows(json, 'lv', 'lvs').map((r) => ({
    name: text(r.lv_name), attr: text(r.lv_attr), sizeKib: Math.round(number(r.lv_size, 'lv_size', 'lvs')), poolLv: text(r.pool_lv),
    // Empty for thick LVs, and for thin ones while inactive (the kernel holds the figure).
    dataPercent: text(r.data_percent) === '' ? undefined : number(r.data_percent, 'data_percent', 'lvs'),
  }))
}

export function parseVgs(json: string): {name: string, sizeKib: number, freeKib: number}[] {
  return rows(json, 'vg', 'vgs').map((r) => ({
    name: text(r.vg_name), sizeKib: Math.round(number(r.vg_size, 'vg_size', 'vgs')), freeKib: Math.round(number(r.vg_free, 'vg_free', 'vgs')),
  }))
}

// lv_attr: [0] volume type ('t' thin pool, 'V' thin volume), [4] state ('a' active).
export const isActive = (lv: Lv): boolean => lv.attr[4] === 'a'
export const isThinPool = (lv: Lv): boolean => lv.attr[0] === 't'

/** Whether an LV of the VG is the pool's: thin volumes of its thin pool, or thick LVs. */
export const belongsTo = (lv: Lv, t: LvmTarget): boolean =>
  t.thinPool ? lv.poolLv === t.thinPool : lv.poolLv === '' && !isThinPool(lv)

/** Thin volumes use their data percentage (unknown while inactive: counted as full, as LINSTOR does). */
export const allocatedKib = (lv: Lv): number =>
  lv.poolLv ? Math.floor((lv.sizeKib * (lv.dataPercent ?? 100)) / 100) : lv.sizeKib

export function thinPoolCapacity(lv: Lv, t: LvmTarget): {freeKib: number, totalKib: number} {
  if (!isThinPool(lv)) throw new Error(`LV '${t.vg}/${lv.name}' is not a thin pool (lv_attr ${lv.attr})`)
  if (lv.dataPercent === undefined) throw new Error(`Thin pool '${t.vg}/${lv.name}' is not active, so its usage is unknown (lvchange -ay ${t.vg}/${lv.name})`)
  return {freeKib: Math.floor((lv.sizeKib * (100 - lv.dataPercent)) / 100), totalKib: lv.sizeKib}
}

/** LVM's "does not exist" failures, told as what the administrator has to fix; undefined for others. */
export function notFoundProblem(stderr: string, pool: string, t: LvmTarget): string | undefined {
  if (stderr.includes(`Volume group "${t.vg}" not found`)) {
    return `Volume group '${t.vg}' (StorDriver/LvmVg of storage pool '${pool}') not found on this node`
  }
  if (t.thinPool && stderr.includes(`Failed to find logical volume "${t.vg}/${t.thinPool}"`)) return thinPoolMissing(pool, t)
  return undefined
}

export const thinPoolMissing = (pool: string, t: LvmTarget): string =>
  `Thin pool '${t.vg}/${t.thinPool ?? ''}' (StorDriver/ThinPool of storage pool '${pool}') not found on this node`

// --- host checks ---

export const missingToolsProblem = (missingTools: readonly string[]): string | undefined =>
  missingTools.length ? `${missingTools.map((t) => `'${t}'`).join(', ')} not found (install lvm2)` : undefined

/**
 * LVM needs the kernel's device-mapper: its control node, and the driver registered in
 * /proc/misc (loaded by `modprobe dm_mod`). Both are checked: libdevmapper makes the node itself
 * when it is missing, so a dead one can exist without the driver. `procMisc` is undefined when it
 * cannot be read.
 */
export function deviceMapperProblem(controlExists: boolean, procMisc: string | undefined): string | undefined {
  const facts: string[] = []
  if (!controlExists) facts.push('/dev/mapper/control absent')
  if (procMisc !== undefined && !/^\s*\d+\s+device-mapper\s*$/m.test(procMisc)) facts.push("'device-mapper' not in /proc/misc, try modprobe dm_mod")
  return facts.length ? `device-mapper kernel support missing (${facts.join('; ')}): LVM cannot work on this host` : undefined
}
