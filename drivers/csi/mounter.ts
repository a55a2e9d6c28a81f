// The node's side effects: mount tables, mkfs, fsck, mount/umount, growing filesystems, statfs and
// device sizes. Commands run through the satellite's runner (execa, argument arrays, logged).
import {lstat, mkdir, open, rmdir, stat, statfs, unlink} from 'node:fs/promises'
import {mkfsCommand} from '../../src/satellite/filesystem.ts'
import {ExecError, type Run} from '../../src/satellite/exec.ts'
import {
  bindArgs, blankFromBlkid, blkidArgs, extFilesystemBytes, findmntArgs, forcedFsckArgs, forcedFsckPassed, fsckArgs, fsckPassed, growCommand, mountArgs,
  parseFindmnt, readOnlyRemountArgs,
  type FsStats, type MountEntry,
} from './mount-commands.ts'

export interface Mounter {
  /** Mounts whose mount point is exactly `path` (stacked ones included), none when it is not a mount point. */
  mountsAt(path: string): Promise<MountEntry[]>
  mount(device: string, target: string, fsType: string, options: readonly string[]): Promise<void>
  bind(source: string, target: string, readonly: boolean): Promise<void>
  unmount(target: string): Promise<void>
  isBlank(device: string): Promise<boolean>
  format(fsType: string, device: string, mkfsParams: string): Promise<void>
  fsck(device: string): Promise<void>
  /** A full check, as resize2fs requires before growing an unmounted filesystem. */
  fsckForced(device: string): Promise<void>
  /** Size of the ext filesystem on `device`, undefined when there is none. */
  extFilesystemBytes(device: string): Promise<number | undefined>
  grow(fsType: string, device: string, mountPath: string): Promise<void>
  run(cmd: string, args: readonly string[]): Promise<void>
  /** Size of a block device (or of the device a bind-mounted file stands for). */
  deviceBytes(path: string): Promise<number>
  statfs(path: string): Promise<FsStats>
  /** 'block', 'directory', 'file', or undefined when nothing is there. */
  kind(path: string): Promise<'block' | 'directory' | 'file' | undefined>
  ensureDirectory(path: string): Promise<void>
  ensureFile(path: string): Promise<void>
  remove(path: string): Promise<void>
}

export function createMounter(run: Run): Mounter {
  const exitOf = async (cmd: string, args: readonly string[]): Promise<{exitCode: number, stdout: string, stderr: string}> => {
    try {
      return await run(cmd, args)
    } catch (e) {
      if (e instanceof ExecError) return e.result
      throw e
    }
  }
  return {
    async mountsAt(path) {
      const r = await exitOf('findmnt', findmntArgs(path))
      if (r.exitCode === 1) return []
      if (r.exitCode !== 0) throw new Error(`findmnt ${path} failed (exit ${r.exitCode}): ${r.stderr.trim()}`)
      return parseFindmnt(r.stdout).filter((m) => m.target === path)
    },
    async mount(device, target, fsType, options) {
      await run('mount', mountArgs(device, target, fsType, options))
    },
    async bind(source, target, readonly) {
      await run('mount', bindArgs(source, target))
      if (readonly) await run('mount', readOnlyRemountArgs(target))
    },
    async unmount(target) {
      await run('umount', [target])
    },
    async isBlank(device) {
      const r = await exitOf('blkid', blkidArgs(device))
      return blankFromBlkid(r.exitCode, r.stdout)
    },
    async format(fsType, device, mkfsParams) {
      const [cmd, args] = mkfsCommand({type: fsType, mkfsParams}, device)
      await run(cmd, args)
    },
    async fsck(device) {
      const r = await exitOf('fsck', fsckArgs(device))
      if (!fsckPassed(r.exitCode)) throw new Error(`fsck ${device} found errors it could not correct (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`)
    },
    async fsckForced(device) {
      const r = await exitOf('e2fsck', forcedFsckArgs(device))
      if (!forcedFsckPassed(r.exitCode)) throw new Error(`e2fsck -f ${device} found errors it could not correct (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`)
    },
    async extFilesystemBytes(device) {
      const r = await exitOf('dumpe2fs', ['-h', device])
      return r.exitCode === 0 ? extFilesystemBytes(r.stdout) : undefined
    },
    async grow(fsType, device, mountPath) {
      const command = growCommand(fsType, device, mountPath)
      if (command) await run(command[0], command[1])
    },
    async run(cmd, args) {
      await run(cmd, args)
    },
    async deviceBytes(path) {
      const r = await run('blockdev', ['--getsize64', path])
      return Number(r.stdout.trim())
    },
    async statfs(path) {
      const s = await statfs(path)
      return {bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree}
    },
    async kind(path) {
      const s = await stat(path).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return undefined
        throw e
      })
      if (!s) return undefined
      return s.isBlockDevice() ? 'block' : s.isDirectory() ? 'directory' : 'file'
    },
    async ensureDirectory(path) {
      await mkdir(path, {recursive: true, mode: 0o750})
    },
    async ensureFile(path) {
      const exists = await lstat(path).then(() => true, () => false)
      if (!exists) await (await open(path, 'a', 0o640)).close()
    },
    async remove(path) {
      // Only an empty directory or a plain file: a target that still holds data is never deleted.
      const s = await lstat(path).catch(() => undefined)
      if (s?.isDirectory()) await rmdir(path)
      else if (s) await unlink(path)
    },
  }
}
