// Which block devices of this host may become a device pool: lsblk's view, parsed and filtered.
// Pure functions over lsblk's JSON, plus one call that runs it.
//
// A device is offered (and accepted by create-device-pool) only when every rule holds:
//   - it is a whole disk (TYPE "disk"): not a partition, LV, crypt, md, multipath, loop or rom;
//   - it is none of the "disk"-typed virtual devices: zram (compressed RAM, usually swap),
//     DRBD (major 147: Cairn's own replicated devices) and device-mapper;
//   - nothing sits on it (no partitions, no holders such as LVs, md or dm devices) and it sits
//     on nothing (no parent);
//   - it is not mounted and not used as swap;
//   - it carries no signature: no filesystem, LVM PV, RAID, ZFS, LUKS... (FSTYPE) and no
//     partition table (PTTYPE), so creating a pool can never overwrite anything;
//   - it is writable;
//   - it is larger than 1 GiB (LINSTOR's minimum, strictly larger as in its LsBlkUtils).
// lsblk, not the systeminformation package: that one runs lsblk through a shell, drops its
// errors (an empty list would hide a failure) and asks for no parent, partition-table or
// major number columns, which the rules need.
import type {PhysicalDevice} from '../protocol/physical-storage.ts'
import type {Run} from './exec.ts'

/** One row of lsblk, as far as the rules read it. Paths (`--paths`): names are /dev/... */
export interface BlockDevice {
  path: string
  kname: string
  size: number
  rotational: boolean
  readOnly: boolean
  type: string
  model: string
  serial: string
  wwn: string
  fstype: string
  pttype: string
  mountpoint: string
  parent: string
  major: number
  /** Devices that sit on this one (partitions, LVs, md and dm devices). */
  children: string[]
}

/**
 * JSON (util-linux >= 2.27), sizes in bytes, full paths in NAME, KNAME and PKNAME. MOUNTPOINT,
 * not MOUNTPOINTS: older versions lack the latter, and one mount point is enough to refuse.
 */
export const LSBLK_ARGS = ['-J', '-b', '--paths', '-o', 'NAME,KNAME,SIZE,ROTA,RO,TYPE,SERIAL,WWN,MODEL,FSTYPE,PTTYPE,MOUNTPOINT,PKNAME,MAJ:MIN'] as const

export const MIN_DEVICE_BYTES = 1024 ** 3
const DRBD_MAJOR = 147

// util-linux up to 2.32 prints every value as a string ("1", "500107862016"); later ones use
// JSON numbers and booleans. Empty values are null in both.
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '')
const flag = (v: unknown): boolean => v === true || v === 1 || v === '1'
const bytes = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(text(v))
  return Number.isFinite(n) && n >= 0 ? n : 0
}

/**
 * The devices of `lsblk -J` output, each once. lsblk prints a tree (holders under what they sit
 * on) and repeats a device under each of its parents, as an md array under each member; its
 * children are merged.
 */
export function parseLsblk(json: string): BlockDevice[] {
  const parsed = JSON.parse(json) as {blockdevices?: unknown}
  if (!Array.isArray(parsed.blockdevices)) throw new Error('lsblk printed no "blockdevices" list')
  const byPath = new Map<string, BlockDevice>()
  const visit = (raw: unknown, parent: string): void => {
    if (raw === null || typeof raw !== 'object') return
    const r = raw as Record<string, unknown>
    const path = text(r.name)
    if (!path) return
    const kids = Array.isArray(r.children) ? r.children : []
    const childPaths = kids.map((c) => text((c as Record<string, unknown> | null)?.name)).filter(Boolean)
    const known = byPath.get(path)
    if (known) {
      known.children = [...new Set([...known.children, ...childPaths])]
    } else {
      byPath.set(path, {
        path, kname: text(r.kname) || path, size: bytes(r.size), rotational: flag(r.rota), readOnly: flag(r.ro), type: text(r.type),
        model: text(r.model), serial: text(r.serial), wwn: text(r.wwn), fstype: text(r.fstype), pttype: text(r.pttype),
        mountpoint: text(r.mountpoint), parent: text(r.pkname) || parent, major: Number(text(r['maj:min']).split(':')[0] || -1),
        children: childPaths,
      })
    }
    for (const c of kids) visit(c, path)
  }
  for (const d of parsed.blockdevices) visit(d, '')
  // Flat output (`lsblk -l`) has no nesting: children are known by their PKNAME only.
  for (const d of byPath.values()) {
    const p = d.parent ? byPath.get(d.parent) : undefined
    if (p && !p.children.includes(d.path)) p.children.push(d.path)
  }
  return [...byPath.values()]
}

const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1)

/** Why `d` may not become (part of) a device pool; undefined when it may. The first broken rule is told. */
export function whyNotUsable(d: BlockDevice): string | undefined {
  const k = baseName(d.kname)
  if (d.type !== 'disk') return `it is not a whole disk (type ${d.type || 'unknown'})`
  if (k.startsWith('zram')) return 'it is a zram (compressed RAM) device'
  if (d.major === DRBD_MAJOR || k.startsWith('drbd')) return 'it is a DRBD device'
  if (k.startsWith('dm-')) return 'it is a device-mapper device'
  if (d.parent) return `it sits on ${d.parent}`
  if (d.children.length) return `it is in use by ${d.children.join(', ')} (partitions or holders)`
  if (d.mountpoint === '[SWAP]') return 'it is in use as swap'
  if (d.mountpoint) return `it is mounted at ${d.mountpoint}`
  if (d.fstype) return `it holds a ${d.fstype} signature`
  if (d.pttype) return `it holds a ${d.pttype} partition table`
  if (d.readOnly) return 'it is read-only'
  if (d.size <= MIN_DEVICE_BYTES) return `it has ${d.size} bytes; more than 1 GiB (${MIN_DEVICE_BYTES}) is needed`
  return undefined
}

/** The unused disks, by path, as the satellite reports them. */
export function unusedDisks(devices: readonly BlockDevice[]): PhysicalDevice[] {
  return devices.filter((d) => whyNotUsable(d) === undefined)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((d) => ({
      device: d.path, size: d.size, rotational: d.rotational,
      ...(d.model ? {model: d.model} : {}), ...(d.serial ? {serial: d.serial} : {}), ...(d.wwn ? {wwn: d.wwn} : {}),
    }))
}

export async function listBlockDevices(run: Run): Promise<BlockDevice[]> {
  return parseLsblk((await run('lsblk', LSBLK_ARGS)).stdout)
}
