// ZFS and ZFS_THIN: every `zfs`/`zpool` argument list Cairn builds and every output it parses.
// Pure functions over strings and plain data; the providers in zfs.ts only run what these return.
// Output formats are those of OpenZFS 2.1 with -H (tab-separated, no header) and -p (exact bytes).
import {type SnapshotRef, parseVolumeName} from './provider.ts'

// ---- pool dataset and options ---------------------------------------------------------------

/** The zpool or dataset under which the pool's zvols live, from the kind's property. */
export function poolDataset(pool: {name: string, kind: string, props: Record<string, string>}, key: string): string {
  const ds = pool.props[key]?.trim().replace(/\/+$/, '')
  if (!ds) throw new Error(`Storage pool '${pool.name}' (${pool.kind}) has no ${key}: set it to the zpool or dataset that holds the volumes`)
  if (ds.startsWith('/') || ds.includes('@')) throw new Error(`Storage pool '${pool.name}' has ${key} '${ds}', which is not a ZFS dataset name`)
  return ds
}

/** The zpool a dataset belongs to: its first path component. */
export const rootPool = (dataset: string): string => dataset.split('/')[0] as string

/**
 * Splits an options property (`StorDriver/ZfscreateOptions`) into arguments as a shell would,
 * without running one: whitespace separates, quotes group, backslash escapes.
 */
export function splitOptions(value: string | undefined): string[] {
  const s = value ?? ''
  const out: string[] = []
  let cur: string | undefined
  let quote: string | undefined
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i)
    if (quote === "'") {
      if (c === "'") quote = undefined
      else cur = (cur ?? '') + c
    } else if (c === '\\' && i + 1 < s.length && (!quote || '"\\$`'.includes(s.charAt(i + 1)))) {
      cur = (cur ?? '') + s.charAt(++i)
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else cur = (cur ?? '') + c
    } else if (c === '"' || c === "'") {
      quote = c
      cur ??= ''
    } else if (/\s/.test(c)) {
      if (cur !== undefined) out.push(cur)
      cur = undefined
    } else cur = (cur ?? '') + c
  }
  if (quote) throw new Error(`unterminated ${quote} quote in '${s}'`)
  if (cur !== undefined) out.push(cur)
  return out
}

// ---- sizes ------------------------------------------------------------------------------------

/** ZFS's default volblocksize up to 2.1 (2.2 uses 16 KiB; `zfs create` rounds up further itself). */
export const DEFAULT_VOLBLOCKSIZE = 8192

/** A ZFS size ("16k", "16K", "16KiB", "8192"): suffixes are powers of 1024, as zfs reads them. */
export function parseZfsSize(s: string): number | undefined {
  const m = /^(\d+)(?:([KMGTPE])(?:i?B)?|B)?$/i.exec(s.trim())
  if (!m) return undefined
  return Number(m[1]) * (m[2] ? 1024 ** ('KMGTPE'.indexOf(m[2].toUpperCase()) + 1) : 1)
}

const blockSizeOption = (opt: string, next: string | undefined): string | undefined =>
  opt === '-b' ? next ?? ''
    : opt.startsWith('-b') ? opt.slice('-b'.length)
      : opt === '-o' && next?.startsWith('volblocksize=') ? next.slice('volblocksize='.length)
        : opt.startsWith('-ovolblocksize=') ? opt.slice('-ovolblocksize='.length)
          : undefined

/** The volblocksize (bytes) asked for by `-b`, `-o volblocksize=` or their glued forms in create options. */
export function volblocksizeOf(options: readonly string[]): number | undefined {
  for (let i = 0; i < options.length; i++) {
    const value = blockSizeOption(options[i] as string, options[i + 1])
    if (value === undefined) continue
    const bytes = parseZfsSize(value)
    if (!bytes) throw new Error(`cannot read the volume block size from '${options.join(' ')}'`)
    return bytes
  }
  return undefined
}

/** volsize must be a multiple of volblocksize: `kib` rounded up to one (sizes stay whole KiB). */
export const roundUpKib = (kib: number, blockBytes: number): number => Math.ceil((kib * 1024) / blockBytes) * blockBytes / 1024

// ---- names --------------------------------------------------------------------------------------

/**
 * LINSTOR renames what ZFS will not destroy yet (a zvol with snapshots, a snapshot with clones)
 * and destroys it once nothing depends on it; Cairn marks such datasets in the name, with a
 * suffix no LINSTOR name can contain ('.'), so one `zfs rename` both frees the name and marks it.
 */
const MARK = /\.deleted-\d+$/
export const markedName = (component: string, stamp: number): string => `${component}.deleted-${stamp}`

/**
 * The snapshot a copy of a live volume is cloned from. It is born marked: it lives exactly as long
 * as the clone that depends on it.
 */
export const copyBaseName = (dstVolume: string, stamp: number): string => markedName(`copy-for-${dstVolume}`, stamp)

/** What a dataset directly under the pool dataset is to Cairn; undefined when it is not Cairn's. */
export type Owned =
  | {type: 'volume', rsc: string, vlmNr: number, marked: boolean}
  | {type: 'snapshot', rsc: string, vlmNr: number, snap: string, marked: boolean}

export function classify(dataset: string, name: string): Owned | undefined {
  if (!name.startsWith(`${dataset}/`)) return undefined
  const rest = name.slice(dataset.length + 1)
  const [vol, snap, extra] = rest.split('@')
  if (!vol || vol.includes('/') || extra !== undefined) return undefined
  const volMarked = MARK.test(vol)
  const parsed = parseVolumeName(volMarked ? vol.replace(MARK, '') : vol)
  if (!parsed) return undefined
  if (snap === undefined) return {type: 'volume', ...parsed, marked: volMarked}
  return snap ? {type: 'snapshot', ...parsed, snap, marked: MARK.test(snap)} : undefined
}

export const devicePath = (fullName: string): string => `/dev/zvol/${fullName}`

// ---- zfs list -------------------------------------------------------------------------------------

/** The columns read from `zfs list`, in order. */
export const LIST_COLUMNS = ['name', 'type', 'volsize', 'referenced', 'volblocksize', 'origin', 'clones'] as const

export interface ZfsEntry {
  /** Full dataset name: tank/r1_00000 or tank/r1_00000@snap1. */
  name: string
  type: 'volume' | 'snapshot'
  volsizeBytes: number
  /** Space the data occupies: what a thin volume has allocated. */
  referencedBytes: number
  /** Volumes only. */
  volblocksizeBytes?: number
  /** The snapshot a clone was made from. */
  origin?: string
  /** Snapshots only: the clones that keep it from being destroyed. */
  clones: string[]
}

/** Every zvol and snapshot under `target` (with `recursive`), or `target` alone. */
export const listArgs = (target: string, recursive: boolean): string[] =>
  ['list', '-H', '-p', ...(recursive ? ['-r'] : []), '-t', 'volume,snapshot', '-o', LIST_COLUMNS.join(','), target]

const numberOrUndefined = (s: string | undefined): number | undefined => (s && /^\d+$/.test(s) ? Number(s) : undefined)
const nameOrUndefined = (s: string | undefined): string | undefined => (s && s !== '-' ? s : undefined)

/**
 * Parses `zfs list -H -p -o <LIST_COLUMNS>`. Lines that are not volumes or volume snapshots
 * (snapshots of filesystems have no volsize) are skipped. ZFS before 2.0.5 leaves the last
 * column empty instead of '-' for a snapshot without clones; both are read as no clones.
 */
export function parseList(stdout: string): ZfsEntry[] {
  const out: ZfsEntry[] = []
  for (const line of stdout.split('\n')) {
    const [name, type, volsize, referenced, volblocksize, origin, clones] = line.split('\t')
    const volsizeBytes = numberOrUndefined(volsize)
    const referencedBytes = numberOrUndefined(referenced)
    if (!name || (type !== 'volume' && type !== 'snapshot') || volsizeBytes === undefined || referencedBytes === undefined) continue
    out.push({name, type, volsizeBytes, referencedBytes, volblocksizeBytes: numberOrUndefined(volblocksize),
      origin: nameOrUndefined(origin), clones: nameOrUndefined(clones)?.split(',') ?? []})
  }
  return out
}

/** The dataset named in zfs's "cannot open 'x': dataset does not exist". */
export function missingDataset(stderr: string): string | undefined {
  return /cannot open '([^']+)': dataset does not exist/.exec(stderr)?.[1]
}

// ---- capacity ----------------------------------------------------------------------------------------

export const spaceArgs = (dataset: string): string[] => ['get', '-H', '-p', '-o', 'property,value', 'available,quota', dataset]
export const poolSizeArgs = (zpool: string): string[] => ['get', '-H', '-p', '-o', 'value', 'size', zpool]

/** `zfs get -H -p -o property,value available,quota`: quota 0 means none. */
export function parseSpace(stdout: string): {availableBytes: number, quotaBytes: number} {
  const values = new Map(stdout.split('\n').map((line) => {
    const [property = '', value] = line.split('\t')
    return [property, value] as const
  }))
  const availableBytes = numberOrUndefined(values.get('available'))
  const quotaBytes = numberOrUndefined(values.get('quota'))
  if (availableBytes === undefined || quotaBytes === undefined) throw new Error(`unexpected 'zfs get' output: ${JSON.stringify(stdout.slice(0, 200))}`)
  return {availableBytes, quotaBytes}
}

export function parsePoolSize(stdout: string): number {
  const size = numberOrUndefined(stdout.trim())
  if (size === undefined) throw new Error(`unexpected 'zpool get' output: ${JSON.stringify(stdout.slice(0, 200))}`)
  return size
}

/**
 * What LINSTOR reports for both kinds: free is the dataset's `available` (thick zvols have taken
 * their refreservation from it already; thin ones take space as data is written); total is the
 * dataset's quota, or without one the whole zpool's raw size.
 */
export const capacityKib = (space: {availableBytes: number, quotaBytes: number}, poolSizeBytes: number | undefined):
  {freeKib: number, totalKib: number} =>
  ({freeKib: Math.floor(space.availableBytes / 1024), totalKib: Math.floor((space.quotaBytes || (poolSizeBytes ?? 0)) / 1024)})

// ---- changes -------------------------------------------------------------------------------------------

/** `-s` (sparse, no refreservation) makes a thin zvol; options come last, as LINSTOR appends them. */
export const createArgs = (o: {thin: boolean, sizeKib: number, options: readonly string[], target: string}): string[] =>
  ['create', ...(o.thin ? ['-s'] : []), '-V', `${o.sizeKib}k`, ...o.options, o.target]

/** Thick zvols keep their refreservation in step: libzfs grows it with volsize. */
export const resizeArgs = (target: string, sizeKib: number): string[] => ['set', `volsize=${sizeKib}k`, target]

export const snapshotArgs = (target: string, options: readonly string[]): string[] => ['snapshot', ...options, target]

/**
 * A clone shares the snapshot's blocks and has no refreservation; a thick pool's clone gets
 * `refreservation=auto` (a full zvol's reservation), so it is as thick as a created one.
 */
export const cloneArgs = (snapshot: string, target: string, thin: boolean): string[] =>
  ['clone', ...(thin ? [] : ['-o', 'refreservation=auto']), snapshot, target]

export const destroyArgs = (target: string): string[] => ['destroy', target]
export const rollbackArgs = (snapshot: string): string[] => ['rollback', snapshot]
export const renameArgs = (from: string, to: string): string[] => ['rename', from, to]

/**
 * The zfs commands that delete `target`, one of Cairn's zvols or snapshots in `entries`.
 * Marked datasets with nothing depending on them are destroyed (the target counts as marked,
 * and so do leftovers anywhere in the pool, dependents first); a target that still has
 * dependents is renamed with the mark instead, and goes when they have gone.
 */
export function deletionSteps(dataset: string, entries: readonly ZfsEntry[], target: string, stamp: number): string[][] {
  const steps: string[][] = []
  const gone = new Set<string>()
  const doomed = (e: ZfsEntry): boolean => e.name === target || classify(dataset, e.name)?.marked === true
  const dependents = (e: ZfsEntry): string[] => e.type === 'volume'
    ? entries.filter((x) => x.type === 'snapshot' && x.name.startsWith(`${e.name}@`)).map((x) => x.name)
    : [...e.clones, ...entries.filter((x) => x.origin === e.name).map((x) => x.name)]
  for (let progress = true; progress;) {
    progress = false
    for (const e of entries) {
      if (gone.has(e.name) || !doomed(e) || !classify(dataset, e.name) || dependents(e).some((d) => !gone.has(d))) continue
      steps.push(destroyArgs(e.name))
      gone.add(e.name)
      progress = true
    }
  }
  if (entries.some((e) => e.name === target) && !gone.has(target)) {
    const at = target.indexOf('@')
    steps.push(renameArgs(target, at < 0 ? markedName(target, stamp) : `${target.slice(0, at)}@${markedName(target.slice(at + 1), stamp)}`))
  }
  return steps
}

/** Cairn's snapshots in a listing, under live or marked (deleted but kept) volumes alike. */
export function snapshotsIn(dataset: string, entries: readonly ZfsEntry[]): (SnapshotRef & {name: string})[] {
  return entries.flatMap((e) => {
    const c = classify(dataset, e.name)
    return c?.type === 'snapshot' && !c.marked ? [{rsc: c.rsc, vlmNr: c.vlmNr, snap: c.snap, name: e.name}] : []
  })
}

// ---- host --------------------------------------------------------------------------------------------------

/** Why ZFS's kernel side is unusable, from /dev/zfs and /proc/modules; undefined when it is usable. */
export function kernelProblem(devZfsPresent: boolean, procModules: string | undefined): string | undefined {
  if (devZfsPresent) return undefined
  const loaded = (procModules ?? '').split('\n').some((l) => l.startsWith('zfs '))
  return loaded ? 'the zfs kernel module is loaded but /dev/zfs is missing (check udev)'
    : 'ZFS kernel module not loaded (/dev/zfs absent; install zfs-dkms and run modprobe zfs)'
}
