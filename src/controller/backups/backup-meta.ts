// A backup on a remote, as objects: one per volume (`<rsc>_<nnnnn>_<snap>`, a block stream) and
// a metadata object (`<rsc>_<snap>.meta`) written last, so a backup is listed as complete only
// when everything it names is there. The backup id is `<rsc>_<snap>`, with snapshots named
// `back_YYYYMMDD_HHMMSS` unless the caller names them, as in LINSTOR. Pure.
import type {Backup, BackupList} from '../../api/wire.ts'

export const META_FORMAT = 'cairn-backup-v1'

export interface BackupMetaVlm {
  vlmNr: number
  sizeKib: number
  key: string
  pool: string
  provider: string
  imageSha256: string
  /** Bytes of the stream object (what a restore downloads). */
  streamBytes: number
  finishedTs: number
}

export interface BackupMeta {
  format: typeof META_FORMAT
  id: string
  rsc: string
  snap: string
  node: string
  clusterId: string
  startTs: number
  finishTs: number
  /** The id of the backup this one is incremental on; absent for a full backup. */
  basedOn?: string
  layerStack: string[]
  /** Resource definition properties worth carrying to a restored definition. */
  props: Record<string, string>
  vlms: BackupMetaVlm[]
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/** `back_YYYYMMDD_HHMMSS` in UTC. */
export function backupSnapName(now: number): string {
  const d = new Date(now)
  return `back_${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}_${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
}

export const backupId = (rsc: string, snap: string): string => `${rsc}_${snap}`
export const metaKey = (id: string): string => `${id}.meta`
export const volumeKey = (rsc: string, vlmNr: number, snap: string): string => `${rsc}_${String(vlmNr).padStart(5, '0')}_${snap}`

/** A metadata object's content, or undefined when it is not one of ours. */
export function parseMeta(text: string): BackupMeta | undefined {
  try {
    const m = JSON.parse(text) as Partial<BackupMeta>
    if (m.format !== META_FORMAT || typeof m.id !== 'string' || typeof m.rsc !== 'string' || typeof m.snap !== 'string' || !Array.isArray(m.vlms)) return undefined
    return m as BackupMeta
  } catch {
    return undefined
  }
}

/** The chain a restore of `id` downloads: the full backup first, `id` last. Throws when a link is missing. */
export function chainOf(metas: ReadonlyMap<string, BackupMeta>, id: string): BackupMeta[] {
  const chain: BackupMeta[] = []
  for (let cur: string | undefined = id; cur !== undefined;) {
    const m = metas.get(cur)
    if (!m) throw new Error(chain.length ? `backup '${chain[0]?.id}' is based on '${cur}', which is not on the remote any more` : `backup '${id}' is not on the remote`)
    if (chain.some((c) => c.id === m.id)) throw new Error(`backup '${id}' has a cycle in its chain`)
    chain.unshift(m)
    cur = m.basedOn
  }
  return chain
}

/** The backups that depend on `id` (incrementals on it, and on those), newest last. */
export function dependentsOf(metas: Iterable<BackupMeta>, id: string): BackupMeta[] {
  const all = [...metas]
  const out: BackupMeta[] = []
  const queue = [id]
  while (queue.length) {
    const cur = queue.shift() as string
    for (const m of all.filter((x) => x.basedOn === cur && !out.includes(x))) {
      out.push(m)
      queue.push(m.id)
    }
  }
  return out.sort((a, b) => a.startTs - b.startTs)
}

const iso = (ts: number): string => new Date(ts).toISOString()

/** A running backup of this cluster, not on the remote yet. */
export interface RunningBackup {id: string, rsc: string, snap: string, node: string, startTs: number, basedOn?: string, vlmNrs: number[]}

/** BackupList from the bucket's keys, the metadata objects read, and the backups still shipping. */
export function backupListView(keys: readonly string[], metas: ReadonlyMap<string, BackupMeta>, running: readonly RunningBackup[],
  filter: {rsc?: string, snap?: string}): BackupList {
  const pick = (rsc: string, snap: string): boolean => (!filter.rsc || rsc.toUpperCase() === filter.rsc.toUpperCase()) &&
    (!filter.snap || snap.toUpperCase() === filter.snap.toUpperCase())
  const linstor: Record<string, Backup> = {}
  const known = new Set<string>()
  for (const m of metas.values()) {
    known.add(metaKey(m.id))
    for (const v of m.vlms) known.add(v.key)
    if (!pick(m.rsc, m.snap)) continue
    const restorable = (() => {
      try {
        return chainOf(metas, m.id).every((c) => c.vlms.every((v) => keys.includes(v.key)))
      } catch {
        return false
      }
    })()
    linstor[m.id] = {
      id: m.id, start_time: iso(m.startTs), start_timestamp: m.startTs, finished_time: iso(m.finishTs), finished_timestamp: m.finishTs,
      origin_rsc: m.rsc, origin_snap: m.snap, origin_node: m.node, success: true, restorable,
      vlms: m.vlms.map((v) => ({vlm_nr: v.vlmNr, finished_time: iso(v.finishedTs), finished_timestamp: v.finishedTs, s3: {key: v.key}})),
      s3: {meta_name: metaKey(m.id)}, ...(m.basedOn ? {based_on_id: m.basedOn} : {}),
    }
  }
  for (const r of running) {
    for (const n of r.vlmNrs) known.add(volumeKey(r.rsc, n, r.snap))
    if (!pick(r.rsc, r.snap) || linstor[r.id]) continue
    linstor[r.id] = {id: r.id, start_time: iso(r.startTs), start_timestamp: r.startTs, origin_rsc: r.rsc, origin_snap: r.snap, origin_node: r.node,
      shipping: true, success: false, restorable: false, vlms: r.vlmNrs.map((n) => ({vlm_nr: n, s3: {key: volumeKey(r.rsc, n, r.snap)}})),
      ...(r.basedOn ? {based_on_id: r.basedOn} : {})}
  }
  const other = keys.filter((k) => !known.has(k))
  return {linstor, ...(other.length && !filter.rsc && !filter.snap ? {other: {files: other}} : {})}
}
