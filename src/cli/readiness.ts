// When a long operation is over: resources whose devices are ready, a snapshot taken on every
// node, a volume grown everywhere, a clone complete. Each check turns what the controller lists
// into one progress line and says whether to wait on. Ready is what linstor waits for after a
// spawn: every volume out of its transitional states (a DRBD replica still being synced from an
// UpToDate peer is ready; its data are served by the peer). Pure.
import type {ResourceDefinitionCloneStatus, ResourceWithVolumes, Snapshot, Volume} from '../api/wire.ts'
import {sizeKib} from './format.ts'

export interface Progress {
  state: 'waiting' | 'done' | 'failed'
  /** One line: what is still awaited, or the outcome. */
  text: string
}

type VolumeReadiness = {state: 'ready' | 'syncing' | 'waiting', word: string} | {state: 'failed', word: string}

const isDrbd = (v: Volume): boolean => v.layer_data_list?.[0]?.type === 'DRBD'
const problem = (v: Volume): string | undefined => v.reports?.[0]?.message

function volumeReadiness(r: ResourceWithVolumes, v: Volume, upToDateElsewhere: boolean): VolumeReadiness {
  const disk = v.state?.disk_state
  if (disk === 'Failed') return {state: 'failed', word: problem(v) ?? 'Failed'}
  if (!r.state || !disk) return {state: 'waiting', word: 'Unknown'}
  if (!isDrbd(v)) return {state: 'ready', word: disk}
  if (disk === 'UpToDate') return {state: 'ready', word: disk}
  if (disk === 'Diskless' && r.flags?.includes('DISKLESS')) return {state: 'ready', word: r.flags.includes('TIE_BREAKER') ? 'TieBreaker' : disk}
  if (disk === 'Inconsistent' && upToDateElsewhere) return {state: 'syncing', word: 'SyncTarget'}
  return {state: 'waiting', word: disk}
}

const resourcesOf = (rd: string, rscs: readonly ResourceWithVolumes[]): ResourceWithVolumes[] =>
  rscs.filter((r) => r.name?.toLowerCase() === rd.toLowerCase() && !r.flags?.includes('DELETE'))

/** Whether volume `nr` is UpToDate on some DRBD replica. */
const upToDateSomewhere = (all: readonly ResourceWithVolumes[]) => (nr: number | undefined): boolean =>
  all.some((r) => r.volumes?.some((v) => v.volume_number === nr && isDrbd(v) && v.state?.disk_state === 'UpToDate'))

/**
 * The resources of `rd` (those on `nodes`, or all of them) once the controller lists them.
 * Resources on nodes in `offline` are not waited for: their satellites act when they reconnect.
 */
export function resourcesReady(rd: string, rscs: readonly ResourceWithVolumes[], opts: {nodes?: readonly string[], offline?: ReadonlySet<string>} = {}):
  Progress {
  const all = resourcesOf(rd, rscs)
  const wanted = opts.nodes?.length ? opts.nodes : all.map((r) => r.node_name ?? '')
  // A definition without resources (a volume added before any is placed): nothing to wait for, nothing to say.
  if (!wanted.length) return {state: 'done', text: ''}
  const offline = wanted.filter((n) => opts.offline?.has(n))
  const upToDate = upToDateSomewhere(all)
  const ready: string[] = []
  const syncing: string[] = []
  const waiting: string[] = []
  for (const node of wanted.filter((n) => !opts.offline?.has(n))) {
    const r = all.find((x) => x.node_name?.toLowerCase() === node.toLowerCase())
    if (!r) {
      waiting.push(`${node}: not listed yet`)
      continue
    }
    const states = (r.volumes ?? []).map((v) => volumeReadiness(r, v, upToDate(v.volume_number)))
    const failed = states.find((s) => s.state === 'failed')
    if (failed) return {state: 'failed', text: `Resource '${rd}' failed on ${node}: ${failed.word}`}
    const notReady = states.filter((s) => s.state === 'waiting')
    if (!r.state || notReady.length) waiting.push(`${node}: ${[...new Set(notReady.map((s) => s.word))].join(', ') || 'Unknown'}`)
    else if (states.some((s) => s.state === 'syncing')) syncing.push(node)
    else ready.push(node)
  }
  const done = [...ready, ...syncing]
  if (waiting.length) return {state: 'waiting', text: `Waiting for resource '${rd}': ${done.length} of ${done.length + waiting.length} ready (${waiting.join('; ')})`}
  const notes = [...(syncing.length ? [`${syncing.join(', ')} syncing`] : []),
    ...(offline.length ? [`${offline.join(', ')} offline, not waited for`] : [])]
  const where = done.length ? ` on ${done.join(', ')}` : ''
  return {state: 'done', text: `Resource '${rd}' ready${where}${notes.length ? ` (${notes.join('; ')})` : ''}`}
}

/** Every replica of `rd` in sync, no DRBD volume still syncing or short of UpToDate (`rd wait-sync`, after a clone). */
export function resourcesSynced(rd: string, rscs: readonly ResourceWithVolumes[]): Progress {
  const all = resourcesOf(rd, rscs)
  const upToDate = upToDateSomewhere(all)
  const behind: string[] = []
  for (const r of all) {
    const states = (r.volumes ?? []).map((v) => volumeReadiness(r, v, upToDate(v.volume_number)))
    const failed = states.find((s) => s.state === 'failed')
    if (failed) return {state: 'failed', text: `Resource '${rd}' failed on ${r.node_name}: ${failed.word}`}
    const pending = states.filter((s) => s.state !== 'ready')
    if (!r.state || pending.length) behind.push(`${r.node_name}: ${[...new Set(pending.map((s) => s.word))].join(', ') || 'Unknown'}`)
  }
  if (behind.length) return {state: 'waiting', text: `Waiting for resource '${rd}' to sync: ${all.length - behind.length} of ${all.length} in sync (${behind.join('; ')})`}
  return {state: 'done', text: all.length ? `Resource '${rd}' in sync on ${all.map((r) => r.node_name).join(', ')}` : `Resource '${rd}' has no replicas`}
}

/** Volume `vlmNr` of every diskful resource of `rd` offers at least `kib` (what its storage reports). */
export function volumesResized(rd: string, vlmNr: number, kib: number, rscs: readonly ResourceWithVolumes[], offline?: ReadonlySet<string>): Progress {
  const target = `volume ${vlmNr} of '${rd}' to ${sizeKib(kib)}`
  const small: string[] = []
  for (const r of rscs) {
    if (r.name?.toLowerCase() !== rd.toLowerCase() || r.flags?.includes('DISKLESS') || offline?.has(r.node_name ?? '')) continue
    const v = r.volumes?.find((x) => x.volume_number === vlmNr)
    if (v?.state?.disk_state === 'Failed') return {state: 'failed', text: `Resizing ${target} failed on ${r.node_name}: ${problem(v) ?? 'Failed'}`}
    const storage = v?.layer_data_list?.find((l) => l.type === 'STORAGE')?.data as {usable_size_kib?: number | bigint} | undefined
    if (Number(storage?.usable_size_kib ?? 0) < kib) small.push(r.node_name ?? '')
  }
  return small.length ? {state: 'waiting', text: `Resizing ${target}: waiting for ${small.join(', ')}`} : {state: 'done', text: `Resized ${target}`}
}

/** A snapshot is taken once the controller has flagged it SUCCESSFUL. */
export function snapshotTaken(rd: string, name: string, s: Snapshot | undefined): Progress {
  const what = `Snapshot '${name}' of '${rd}'`
  const flags = s?.flags ?? []
  if (!s || flags.includes('DELETE')) return {state: 'failed', text: `${what} is gone`}
  if (flags.includes('FAILED_DEPLOYMENT') || flags.includes('FAILED_DISCONNECT')) return {state: 'failed', text: `${what} failed`}
  if (flags.includes('SUCCESSFUL')) return {state: 'done', text: `${what} taken on ${(s.nodes ?? []).join(', ')}`}
  return {state: 'waiting', text: `Waiting for ${what.toLowerCase()} on ${(s.nodes ?? []).join(', ') || 'its nodes'}`}
}

/** Several operations at once (snapshots of several resources): failed if one failed, done when all are. */
export function allOf(list: readonly Progress[]): Progress {
  const first = (state: Progress['state']): Progress | undefined => list.find((p) => p.state === state)
  return first('failed') ?? first('waiting') ?? {state: 'done', text: list.map((p) => p.text).join('\n')}
}

export function cloneDone(clone: string, s: ResourceDefinitionCloneStatus): Progress {
  if (s.status === 'COMPLETE') return {state: 'done', text: `Completed cloning ${clone}.`}
  if (s.status === 'FAILED') return {state: 'failed', text: `Failed cloning ${clone}, please check resource status or satellite errors.`}
  return {state: 'waiting', text: `Waiting for cloning ${clone} to complete...`}
}
