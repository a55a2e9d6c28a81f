// FileSystem/Type on a DRBD stack. The file system goes on the DRBD device, not on the backing
// volumes (DRBD keeps its metadata at their end, and a file system made below DRBD would never
// reach the peers), and only once: when a new resource starts its first sync. That moment is
// known without any bookkeeping, as initialSyncCommands (drbdadm.ts) acts exactly then, on one
// node (the diskful one with the lowest node-id) and only while every volume is Inconsistent on
// every diskful node. To write, that node must be Primary:
//   full sync:     primary --force, mkfs..., secondary   (mkfs writes replicate while it syncs)
//   skipped sync:  new-current-uuid --clear-bitmap per volume, primary, mkfs..., secondary
// The controller leaves `filesystem` out for resources filled from a snapshot or a clone.
import type {DesiredDrbdResource} from '../../protocol/drbd.ts'
import {hasCommand, type Run} from '../exec.ts'
import {FILESYSTEMS, mkfsCommand} from '../filesystem.ts'
import {forcePrimaryArgs, initialSyncCommands, secondaryArgs, type DrbdCommand} from './drbdadm.ts'
import type {ResourceState} from './events2.ts'
import {drbdDevicePath, type DrbdMode} from './res-file.ts'

export interface Command {cmd: string, args: string[]}

/**
 * The first sync of a new resource as three parts: `sync` runs first; when it succeeded, `mkfs`
 * runs, and `demote` runs whatever mkfs did (the node must not stay Primary). Without a
 * FileSystem/Type this is initialSyncCommands unchanged.
 */
export interface InitialSyncPlan {
  sync: DrbdCommand[]
  mkfs: {vlmNr: number, command: Command}[]
  demote: DrbdCommand[]
}

const primaryArgs = (rsc: string): string[] => ['primary', rsc]

/** Pure: what the first sync of `res` runs now (all empty when nothing is due). Throws for an unknown FileSystem/Type. */
export function initialSyncPlan(res: DesiredDrbdResource, current: ResourceState | undefined, mode: DrbdMode): InitialSyncPlan {
  const sync = initialSyncCommands(res, current, mode)
  const formatted = [...res.volumes].sort((a, b) => a.vlmNr - b.vlmNr).filter((v) => v.filesystem)
  // Formatting needs the whole resource to be new: a volume added later (due on its own) is not.
  const isNew = res.skipInitialSync ? sync.length === res.volumes.length : sync.length > 0
  if (!isNew || formatted.length === 0) return {sync, mkfs: [], demote: []}
  const mkfs = formatted.map((v) => {
    const [cmd, args] = mkfsCommand(v.filesystem as {type: string, mkfsParams?: string}, drbdDevicePath(v.minor))
    return {vlmNr: v.vlmNr, command: {cmd, args}}
  })
  const demote: DrbdCommand[] = [{cmd: 'drbdadm', args: secondaryArgs(res.rsc)}]
  if (res.skipInitialSync) return {sync: [...sync, {cmd: 'drbdadm', args: primaryArgs(res.rsc)}], mkfs, demote}
  return {sync: [{cmd: 'drbdadm', args: forcePrimaryArgs(res.rsc)}], mkfs, demote}
}

/** mkfs writes and discards the whole device: allow it longer than the default two minutes. */
const MKFS_TIMEOUT_MS = 15 * 60_000

/**
 * Runs `initialSyncPlan`; returns what it ran. A missing mkfs tool or an unknown type is refused
 * before anything runs, so the sync (and the format) is tried again with the next sync instead of
 * leaving a synced resource without its file system. A failing mkfs is thrown after the demote.
 */
export async function runInitialSyncWithFilesystems(run: Run, res: DesiredDrbdResource, current: ResourceState | undefined,
  mode: DrbdMode): Promise<Command[]> {
  const plan = initialSyncPlan(res, current, mode)
  for (const {vlmNr, command} of plan.mkfs) {
    if (!(await hasCommand(command.cmd))) {
      const type = res.volumes.find((v) => v.vlmNr === vlmNr)?.filesystem?.type ?? ''
      throw new Error(`FileSystem/Type ${type} of volume ${vlmNr}: '${command.cmd}' not found (install ${FILESYSTEMS[type]?.pkg ?? 'it'})`)
    }
  }
  const ran: Command[] = []
  const runOne = async (c: Command, timeoutMs?: number): Promise<void> => {
    ran.push(c)
    await run(c.cmd, c.args, {input: '', ...(timeoutMs ? {timeoutMs} : {})})
  }
  for (const c of plan.sync) await runOne(c)
  let failed: Error | undefined
  for (const {vlmNr, command} of plan.mkfs) {
    try {
      await runOne(command, MKFS_TIMEOUT_MS)
    } catch (e) {
      failed = new Error(`making the file system of volume ${vlmNr} failed (make it by hand while Primary): ${(e as Error).message}`)
      break
    }
  }
  for (const c of plan.demote) await runOne(c)
  if (failed) throw failed
  return ran
}
