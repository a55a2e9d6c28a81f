// FileSystem/Type: a new volume is formatted once, right after it is made, so that CSI and the
// Docker plugin find a filesystem on it. Never on a volume that already existed or was filled
// from a snapshot or clone: that would destroy data.
import {hasCommand, type Run} from './exec.ts'

export const FILESYSTEMS: Record<string, {tool: string, pkg: string, quiet: string[]}> = {
  ext4: {tool: 'mkfs.ext4', pkg: 'e2fsprogs', quiet: ['-q']},
  xfs: {tool: 'mkfs.xfs', pkg: 'xfsprogs', quiet: ['-q']},
}

/** The mkfs command for `device`; MkfsParams is split on whitespace (no shell, so no quoting). */
export function mkfsCommand(fs: {type: string, mkfsParams?: string}, device: string): [string, string[]] {
  const known = FILESYSTEMS[fs.type]
  if (!known) throw new Error(`FileSystem/Type '${fs.type}' is not supported: use one of ${Object.keys(FILESYSTEMS).join(', ')}`)
  const params = (fs.mkfsParams ?? '').split(/\s+/).filter(Boolean)
  return [known.tool, [...known.quiet, ...params, device]]
}

export async function formatVolume(run: Run, fs: {type: string, mkfsParams?: string}, device: string): Promise<void> {
  const [tool, args] = mkfsCommand(fs, device)
  if (!(await hasCommand(tool))) throw new Error(`'${tool}' not found (install ${FILESYSTEMS[fs.type]?.pkg})`)
  await run(tool, args)
}
