// The commands a node runs to stage and publish volumes, as argument arrays, and the parsing of
// what they print. Pure: mounter.ts runs them. Options follow linstor-csi's mounts (`_netdev`,
// xfs `nouuid` so that a restored copy mounts next to its origin, `norecovery` when read-only).

export interface MountEntry {
  target: string
  /** The device, without findmnt's `[/subdir]` suffix of bind mounts. */
  source: string
  fstype: string
  options: string[]
}

/** Output of `findmnt --json --output TARGET,SOURCE,FSTYPE,OPTIONS ...`. */
export function parseFindmnt(stdout: string): MountEntry[] {
  if (stdout.trim() === '') return []
  const parsed = JSON.parse(stdout) as {filesystems?: {target?: string, source?: string, fstype?: string, options?: string, children?: unknown[]}[]}
  const out: MountEntry[] = []
  const walk = (list: typeof parsed.filesystems): void => {
    for (const fs of list ?? []) {
      out.push({target: fs.target ?? '', source: (fs.source ?? '').replace(/\[.*\]$/, ''), fstype: fs.fstype ?? '', options: (fs.options ?? '').split(',').filter(Boolean)})
      walk(fs.children as typeof parsed.filesystems)
    }
  }
  walk(parsed.filesystems)
  return out
}

export const findmntArgs = (path: string): string[] => ['--json', '--output', 'TARGET,SOURCE,FSTYPE,OPTIONS', '--mountpoint', path]

/** Options for mounting a volume's filesystem at its staging path. */
export function stageMountOptions(o: {fsType: string, contextOptions: readonly string[], mountFlags: readonly string[], readonly: boolean}): string[] {
  const options = ['_netdev', ...o.contextOptions, ...o.mountFlags]
  if (o.fsType === 'xfs') options.push('nouuid')
  // Without norecovery a read-only mount may still replay the journal, i.e. write.
  options.push(...(o.readonly ? ['ro', 'norecovery'] : ['rw']))
  return [...new Set(options.filter((x) => x !== ''))]
}

export const mountArgs = (device: string, target: string, fsType: string, options: readonly string[]): string[] =>
  ['-t', fsType, '-o', options.join(','), device, target]

/** A bind mount; read-only binds need a second, remounting step on older kernels, so it is separate. */
export const bindArgs = (source: string, target: string): string[] => ['--bind', source, target]
export const readOnlyRemountArgs = (target: string): string[] => ['-o', 'remount,bind,ro', target]

/** `blkid -p -o export <device>`: exit 2 means nothing (no filesystem, no partition table) was found. */
export function blankFromBlkid(exitCode: number, stdout: string): boolean {
  if (exitCode === 2) return true
  if (exitCode !== 0) throw new Error(`blkid failed with exit code ${exitCode}`)
  return !/^(TYPE|PTTYPE)=/m.test(stdout)
}

export const blkidArgs = (device: string): string[] => ['-p', '-o', 'export', device]

/** `fsck -l -p -M`: 0 clean, 1 errors corrected, 8 "operational error" when mounted in another namespace. */
export const fsckPassed = (exitCode: number): boolean => exitCode === 0 || exitCode === 1 || exitCode === 8
export const fsckArgs = (device: string): string[] => ['-l', '-p', '-M', device]

/** The command growing a mounted filesystem to its device's size (ext4 by device, xfs by mount point). */
export function growCommand(fsType: string, device: string, mountPath: string): [string, string[]] | undefined {
  if (isExtFs(fsType)) return ['resize2fs', [device]]
  if (fsType === 'xfs') return ['xfs_growfs', [mountPath]]
  return undefined
}

export const isExtFs = (fsType: string): boolean => fsType === 'ext4' || fsType === 'ext3' || fsType === 'ext2'

/** The size of an ext filesystem from `dumpe2fs -h`: block count × block size. */
export function extFilesystemBytes(dumpe2fs: string): number | undefined {
  const count = /^Block count:\s+(\d+)/m.exec(dumpe2fs)?.[1]
  const size = /^Block size:\s+(\d+)/m.exec(dumpe2fs)?.[1]
  return count === undefined || size === undefined ? undefined : Number(count) * Number(size)
}

/**
 * The filesystem is smaller than its device by at least one 4 KiB block: the device was grown
 * (ControllerExpandVolume while detached, a restore into a larger volume).
 */
export const filesystemSmallerThanDevice = (fsBytes: number, deviceBytes: number): boolean => deviceBytes - fsBytes >= 4096

/** `e2fsck -f -p`: resize2fs wants a freshly checked filesystem; 0 clean, 1 corrected, 2 corrected (reboot advised). */
export const forcedFsckArgs = (device: string): string[] => ['-f', '-p', device]
export const forcedFsckPassed = (exitCode: number): boolean => exitCode >= 0 && exitCode <= 2

export interface FsStats {bsize: number, blocks: number, bfree: number, bavail: number, files: number, ffree: number}

/** NodeGetVolumeStats usage of a mounted filesystem: bytes, then inodes (statfs). */
export function filesystemUsage(s: FsStats): {bytes: {total: number, used: number, available: number}, inodes: {total: number, used: number, available: number}} {
  return {
    bytes: {total: s.blocks * s.bsize, used: (s.blocks - s.bfree) * s.bsize, available: s.bavail * s.bsize},
    inodes: {total: s.files, used: s.files - s.ffree, available: s.ffree},
  }
}
