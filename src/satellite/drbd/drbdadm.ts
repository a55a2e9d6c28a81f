// The satellite's DRBD commands: argument builders (pure, tested against recorded drbdadm dry
// runs), plans that decide which commands a resource needs, and the few async steps that run them.
//
// Files: each resource is `<resDir>/<rsc>.res` (default /var/lib/cairn/drbd.d), and
// /etc/drbd.d/cairn.res includes `<resDir>/*.res`. The stock /etc/drbd.conf includes
// drbd.d/*.res, so plain `drbdadm <cmd> <rsc>` finds every resource (and global_common.conf),
// as it does for LINSTOR's /var/lib/linstor.d; no `-c` is passed. A file is written as
// `<rsc>.res_tmp` (outside the `*.res` glob), checked by drbdadm, then renamed into place: one
// broken file in the include directory would make drbdadm refuse every resource.
import {mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import type {DesiredDrbdResource} from '../../protocol/drbd.ts'
import {ExecError, type Run} from '../exec.ts'
import type {ResourceState} from './events2.ts'
import type {DrbdMode, LocalDrbdFacts} from './res-file.ts'

export interface DrbdLayout {
  /** Directory of the generated `<rsc>.res` files. */
  resDir: string
  /** File in /etc/drbd.d that includes them. */
  includeFile: string
}

export const DEFAULT_DRBD_LAYOUT: DrbdLayout = {resDir: '/var/lib/cairn/drbd.d', includeFile: '/etc/drbd.d/cairn.res'}

export const resFilePath = (layout: DrbdLayout, rsc: string): string => join(layout.resDir, `${rsc}.res`)
const tmpFilePath = (layout: DrbdLayout, rsc: string): string => join(layout.resDir, `${rsc}.res_tmp`)

/** The include line names the same paths `resFilePath` builds, so --config-to-exclude matches them. */
export const includeFileContent = (resDir: string): string =>
  `# Written by Cairn: the DRBD resources it manages.\ninclude "${join(resDir, '*.res')}";\n`

export interface DrbdCommand {cmd: 'drbdadm' | 'drbdsetup' | 'drbdmeta', args: string[]}

// ---- argument builders ------------------------------------------------------------------------------

const vol = (rsc: string, vlmNr: number): string => `${rsc}/${vlmNr}`

/**
 * New internal metadata for one volume. DRBD 9 sizes the bitmap for `peerSlots` peers (LINSTOR's
 * peer slots, so peers can be added later); drbdadm-84 has no --max-peers. `--force` answers
 * drbdmeta's questions (existing data found, ...) with yes.
 */
export const createMdArgs = (rsc: string, vlmNr: number, peerSlots: number, mode: DrbdMode): string[] =>
  ['create-md', '--force', ...(mode === 'drbd9' ? [`--max-peers=${peerSlots}`] : []), vol(rsc, vlmNr)]

/** Brings the kernel in line with the `.res` file: creates, attaches, connects, changes options. */
export const adjustArgs = (rsc: string): string[] => ['adjust', rsc]

/**
 * Takes the resource down, for `drbdsetup` (as LINSTOR does): unlike `drbdadm down` it needs no
 * configuration, so it works after the `.res` file is gone or when it never became valid.
 */
export const downArgs = (rsc: string): string[] => ['down', rsc]

/**
 * Grows the DRBD device after its backing volume grew. `--assume-clean` (a drbdsetup option,
 * hence after `--`, the form both drbdadm and drbdadm-84 take) skips syncing the new area:
 * right for thin volumes, whose new area reads as zeros everywhere.
 */
export const resizeArgs = (rsc: string, vlmNr: number, opts: {assumeClean?: boolean} = {}): string[] =>
  [...(opts.assumeClean ? ['--', '--assume-clean'] : []), 'resize', vol(rsc, vlmNr)]

/**
 * Skips the initial sync of a new volume: a new current UUID with a cleared bitmap marks this
 * node and its connected, just-created peers UpToDate.
 */
export const newCurrentUuidArgs = (rsc: string, vlmNr: number): string[] => ['new-current-uuid', '--clear-bitmap', vol(rsc, vlmNr)]

/** Makes this node the source of a full initial sync; `secondaryArgs` right after gives the role back. */
export const forcePrimaryArgs = (rsc: string): string[] => ['primary', '--force', rsc]
export const secondaryArgs = (rsc: string): string[] => ['secondary', rsc]

/**
 * For `drbdmeta`: reads the generation identifiers of a backing device, as LINSTOR does to tell
 * whether metadata exists (exit 0) or not (1 or 255). `--force` reads even while DRBD holds the
 * device (drbdmeta would otherwise ask); stdin must be empty.
 */
export const getGiArgs = (minor: number, device: string, nodeId: number, mode: DrbdMode): string[] =>
  mode === 'drbd9'
    ? [String(minor), 'v09', device, 'internal', 'get-gi', '--node-id', String(nodeId), '--force']
    : [String(minor), 'v08', device, 'internal', 'get-gi', '--force']

/**
 * For `drbdadm`: checks a new `.res` file before it goes live. DRBD 9's drbdadm parses the whole
 * configuration with the new file instead of the old one, so clashes with other resources (minor,
 * address) are caught too. drbdadm-84 has no --config-to-exclude: it checks the file on its own.
 */
export const checkResFileArgs = (mode: DrbdMode, candidate: string, replaces: string): string[] =>
  mode === 'drbd9' ? ['--config-to-test', candidate, '--config-to-exclude', replaces, 'sh-nop'] : ['-c', candidate, 'sh-nop']

export type MetadataVerdict = 'present' | 'absent' | 'unknown'

/** What a `drbdmeta ... get-gi` exit code says about the metadata (LINSTOR reads 1 and 255 as none). */
export const metadataVerdict = (exitCode: number): MetadataVerdict =>
  exitCode === 0 ? 'present' : exitCode === 1 || exitCode === 255 ? 'absent' : 'unknown'

// ---- plans ----------------------------------------------------------------------------------------

/** True when events2 shows the volume attached to a disk: its metadata is in use and must be left alone. */
const attached = (current: ResourceState | undefined, vlmNr: number): boolean => {
  const disk = current?.devices[String(vlmNr)]?.disk
  return disk !== undefined && disk !== 'Diskless'
}

/**
 * The metadata probes a resource needs before `adjust`: one per local diskful volume that DRBD
 * has not attached (`current` from events2; without it every volume is probed, which is safe).
 */
export function metadataProbes(res: DesiredDrbdResource, local: LocalDrbdFacts, mode: DrbdMode,
  current?: ResourceState): {vlmNr: number, command: DrbdCommand}[] {
  if (res.diskless) return []
  return [...res.volumes].sort((a, b) => a.vlmNr - b.vlmNr).flatMap((v) => {
    const device = local.backingDisks[v.vlmNr]
    if (device === undefined || attached(current, v.vlmNr)) return []
    return [{vlmNr: v.vlmNr, command: {cmd: 'drbdmeta' as const, args: getGiArgs(v.minor, device, res.nodeId, mode)}}]
  })
}

/** Bringing a resource up or in line: create-md for each volume without metadata, then adjust. */
export function upCommands(res: DesiredDrbdResource, mode: DrbdMode, withoutMetadata: readonly number[]): DrbdCommand[] {
  const create = [...new Set(withoutMetadata)].sort((a, b) => a - b)
    .map((vlmNr): DrbdCommand => ({cmd: 'drbdadm', args: createMdArgs(res.rsc, vlmNr, res.peerSlots, mode)}))
  return [...create, {cmd: 'drbdadm', args: adjustArgs(res.rsc)}]
}

export const downCommands = (rsc: string): DrbdCommand[] => [{cmd: 'drbdsetup', args: downArgs(rsc)}]

export const resizeCommands = (rsc: string, vlmNr: number, assumeClean: boolean): DrbdCommand[] =>
  [{cmd: 'drbdadm', args: resizeArgs(rsc, vlmNr, {assumeClean})}]

/**
 * The first sync of new volumes, decided from events2 alone so that no coordination is needed:
 * acts only on the diskful node with the lowest node-id, only for volumes that are Inconsistent
 * here and on every diskful peer, with every diskful peer connected (replication Established).
 * Then either the sync is skipped (`skipInitialSync`: new-current-uuid --clear-bitmap per volume)
 * or this node becomes the sync source (primary --force, secondary). Empty when nothing is due;
 * call it again on the next events2 change. initial-filesystem.ts runs it, with the file systems
 * of FileSystem/Type made in between.
 */
export function initialSyncCommands(res: DesiredDrbdResource, current: ResourceState | undefined, mode: DrbdMode): DrbdCommand[] {
  if (!current || res.diskless) return []
  const diskfulPeers = res.peers.filter((p) => !p.diskless)
  if (diskfulPeers.some((p) => p.nodeId < res.nodeId)) return []
  // drbdsetup-84 names its only connection "peer".
  const connName = (node: string): string => (mode === 'drbd84' ? 'peer' : node)
  const due = [...res.volumes].sort((a, b) => a.vlmNr - b.vlmNr).filter((v) => {
    if (current.devices[String(v.vlmNr)]?.disk !== 'Inconsistent') return false
    return diskfulPeers.every((p) => {
      const conn = current.connections[connName(p.node)]
      const pd = conn?.peerDevices[String(v.vlmNr)]
      return conn?.connection === 'Connected' && pd?.replication === 'Established' && pd.peerDisk === 'Inconsistent'
    })
  })
  if (due.length === 0) return []
  if (res.skipInitialSync) return due.map((v) => ({cmd: 'drbdadm', args: newCurrentUuidArgs(res.rsc, v.vlmNr)}))
  // primary --force makes every volume of the resource UpToDate: only when all are due.
  if (due.length !== res.volumes.length) return []
  return [{cmd: 'drbdadm', args: forcePrimaryArgs(res.rsc)}, {cmd: 'drbdadm', args: secondaryArgs(res.rsc)}]
}

/**
 * Whether this node is the one to start the initial sync of `res` (as initialSyncCommands
 * decides) but a diskful peer has not connected yet: right after `adjust`, peers take a moment.
 */
export function awaitsPeersForInitialSync(res: DesiredDrbdResource, current: ResourceState | undefined, mode: DrbdMode): boolean {
  if (!current || res.diskless) return false
  const diskfulPeers = res.peers.filter((p) => !p.diskless)
  if (diskfulPeers.length === 0 || diskfulPeers.some((p) => p.nodeId < res.nodeId)) return false
  if (!res.volumes.every((v) => current.devices[String(v.vlmNr)]?.disk === 'Inconsistent')) return false
  return diskfulPeers.some((p) => current.connections[mode === 'drbd84' ? 'peer' : p.node]?.connection !== 'Connected')
}

// ---- running them ------------------------------------------------------------------------------------

/** create-md writes the whole bitmap: allow it longer than the default two minutes. */
const CREATE_MD_TIMEOUT_MS = 15 * 60_000

const runAll = async (run: Run, commands: readonly DrbdCommand[]): Promise<void> => {
  for (const c of commands) {
    await run(c.cmd, c.args, {input: '', ...(c.args[0] === 'create-md' ? {timeoutMs: CREATE_MD_TIMEOUT_MS} : {})})
  }
}

/** Exit code of a command that may fail on purpose. */
async function exitCodeOf(run: Run, c: DrbdCommand): Promise<number> {
  try {
    return (await run(c.cmd, c.args, {input: ''})).exitCode
  } catch (e) {
    if (e instanceof ExecError) return e.result.exitCode
    throw e
  }
}

/**
 * Brings a resource up or in line with its installed `.res` file: probes metadata of unattached
 * volumes, creates it where there is none, then adjusts. Returns the volumes that got new
 * metadata. Refuses (throws) when drbdmeta cannot tell, rather than risk overwriting data.
 */
export async function adjustResource(run: Run, res: DesiredDrbdResource, local: LocalDrbdFacts, mode: DrbdMode,
  current?: ResourceState): Promise<{createdMetadata: number[]}> {
  const absent: number[] = []
  for (const probe of metadataProbes(res, local, mode, current)) {
    const code = await exitCodeOf(run, probe.command)
    const verdict = metadataVerdict(code)
    if (verdict === 'unknown') {
      throw new Error(`cannot tell whether ${res.rsc}/${probe.vlmNr} has DRBD metadata: drbdmeta ${probe.command.args.join(' ')} exited ${code}`)
    }
    if (verdict === 'absent') absent.push(probe.vlmNr)
  }
  await runAll(run, upCommands(res, mode, absent))
  return {createdMetadata: absent}
}

/** Takes a resource down; call it only when events2 shows the resource (drbdsetup fails on unknown ones). */
export async function downResource(run: Run, rsc: string): Promise<void> {
  await runAll(run, downCommands(rsc))
}

// ---- files ------------------------------------------------------------------------------------------

const readOrUndefined = (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(() => undefined)

/** Writes the include file in /etc/drbd.d unless it already says the same. True when written. */
export async function ensureIncludeFile(layout: DrbdLayout): Promise<boolean> {
  const want = includeFileContent(layout.resDir)
  if ((await readOrUndefined(layout.includeFile)) === want) return false
  await mkdir(dirname(layout.includeFile), {recursive: true})
  await mkdir(layout.resDir, {recursive: true})
  await writeFile(`${layout.includeFile}.tmp`, want, {mode: 0o644})
  await rename(`${layout.includeFile}.tmp`, layout.includeFile)
  return true
}

/**
 * Puts `content` in place as the resource's `.res` file: nothing when it is already there,
 * otherwise write a temporary file, have drbdadm check it, and rename it over the old one. A file
 * drbdadm rejects is removed and the error (with drbdadm's message) thrown; the old file stays.
 */
export async function installResFile(run: Run, layout: DrbdLayout, rsc: string, content: string, mode: DrbdMode): Promise<'unchanged' | 'written'> {
  const path = resFilePath(layout, rsc)
  if ((await readOrUndefined(path)) === content) return 'unchanged'
  const tmp = tmpFilePath(layout, rsc)
  await mkdir(layout.resDir, {recursive: true})
  // The file carries the shared secret: readable by root only.
  await writeFile(tmp, content, {mode: 0o600})
  try {
    await run('drbdadm', checkResFileArgs(mode, tmp, path))
  } catch (e) {
    await rm(tmp, {force: true})
    throw e
  }
  await rename(tmp, path)
  return 'written'
}

/** Removes the resource's `.res` file (after `downResource`). */
export async function removeResFile(layout: DrbdLayout, rsc: string): Promise<void> {
  await rm(resFilePath(layout, rsc), {force: true})
  await rm(tmpFilePath(layout, rsc), {force: true})
}
