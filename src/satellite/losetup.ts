// losetup: argument builders and a parser for `losetup --list --json`.

export const attachArgs = (file: string): string[] => ['--find', '--show', '--direct-io=on', file]
export const detachArgs = (device: string): string[] => ['--detach', device]
export const listArgs = (): string[] => ['--list', '--json', '--output', 'NAME,BACK-FILE']
export const resizeArgs = (device: string): string[] => ['--set-capacity', device]

/**
 * Maps each backing file to its loop device. A loop device whose file was deleted is listed with
 * " (deleted)"; it is left out, so a new file at the same path never reuses the stale device.
 */
export function parseLoopList(json: string): Map<string, string> {
  const out = new Map<string, string>()
  if (!json.trim()) return out
  const parsed = JSON.parse(json) as {loopdevices?: {name?: string, 'back-file'?: string | null}[]}
  for (const d of parsed.loopdevices ?? []) {
    const file = d['back-file']
    if (d.name && file && !file.endsWith(' (deleted)')) out.set(file, d.name)
  }
  return out
}
