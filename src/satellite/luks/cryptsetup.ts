// cryptsetup command lines for the LUKS layer, and what its output means. Pure. Keys always go
// on stdin (`--key-file -`, the command's `input`), never into an argument list that `ps`, the
// debug log or an error message would show.

export interface Command {cmd: string, args: string[], input?: string}

/** `<rsc>_<volume number as 5 digits>`, as LINSTOR names the volumes below. */
export const luksDeviceName = (rsc: string, vlmNr: number): string => `${rsc}_${String(vlmNr).padStart(5, '0')}`
export const luksDevicePath = (rsc: string, vlmNr: number): string => `/dev/mapper/${luksDeviceName(rsc, vlmNr)}`

/** Exit 0: a LUKS header is there; exit 1: it is not (other codes are errors, not "no"). */
export const isLuksCommand = (dev: string): Command => ({cmd: 'cryptsetup', args: ['isLuks', dev]})

export const formatCommand = (dev: string, key: string): Command =>
  ({cmd: 'cryptsetup', args: ['luksFormat', '--batch-mode', '--type', 'luks2', '--key-file', '-', dev], input: key})

export const openCommand = (dev: string, name: string, key: string): Command =>
  ({cmd: 'cryptsetup', args: ['open', '--key-file', '-', dev, name], input: key})

export const closeCommand = (name: string): Command => ({cmd: 'cryptsetup', args: ['close', name]})

/** LUKS2 keeps the volume key in the kernel keyring: a resize may need the passphrase again. */
export const resizeCommand = (name: string, key: string | undefined): Command =>
  ({cmd: 'cryptsetup', args: key === undefined ? ['resize', name] : ['resize', '--key-file', '-', name], ...(key === undefined ? {} : {input: key})})

/** Exit 0 and "is active" for an open mapping; exit 4 and "is inactive" otherwise. */
export const statusCommand = (name: string): Command => ({cmd: 'cryptsetup', args: ['status', name]})

export interface CryptStatus {active: boolean, device?: string, offsetSectors?: number, sizeSectors?: number}

/**
 * `cryptsetup status <name>`:
 *   /dev/mapper/r_00000 is active.
 *     type:    LUKS2
 *     device:  /dev/loop3
 *     offset:  32768 sectors
 *     size:    172032 sectors
 */
export function parseStatus(text: string): CryptStatus {
  const active = /\bis active\b/.test(text) || /\bis active and is in use\b/.test(text)
  const field = (name: string): string | undefined => new RegExp(`^\\s*${name}:\\s*(.+?)\\s*$`, 'm').exec(text)?.[1]
  const sectors = (name: string): number | undefined => {
    const m = /^(\d+)\s+sectors/.exec(field(name) ?? '')
    return m ? Number(m[1]) : undefined
  }
  const device = field('device')
  const out: CryptStatus = {active}
  if (device !== undefined) out.device = device
  const offset = sectors('offset')
  if (offset !== undefined) out.offsetSectors = offset
  const size = sectors('size')
  if (size !== undefined) out.sizeSectors = size
  return out
}

/** The open mapping ends before the backing device does: the volume below grew, so resize. */
export function needsResize(status: CryptStatus, backingKib: number | undefined): boolean {
  if (!status.active || backingKib === undefined || status.offsetSectors === undefined || status.sizeSectors === undefined) return false
  return (status.offsetSectors + status.sizeSectors) / 2 < backingKib
}

/** The usable size of an open mapping, in KiB. */
export const usableKibOf = (status: CryptStatus): number | undefined => (status.sizeSectors === undefined ? undefined : Math.floor(status.sizeSectors / 2))

export interface LuksHostFacts {
  cryptsetup: boolean
  /** /dev/mapper/control exists: the kernel's device-mapper is usable. */
  deviceMapper: boolean
  /** dm-crypt is loaded or loadable (/sys/module/dm_crypt or `modinfo dm_crypt`). */
  dmCrypt: boolean
}

/** Why this host cannot run the LUKS layer; empty when it can. */
export function luksProblems(f: LuksHostFacts): string[] {
  const out: string[] = []
  if (!f.cryptsetup) out.push("'cryptsetup' not found (install cryptsetup)")
  if (!f.deviceMapper) out.push('the kernel device-mapper is not available (no /dev/mapper/control; try modprobe dm_mod)')
  if (!f.dmCrypt) out.push('the dm-crypt kernel module is not available (try modprobe dm_crypt)')
  return out
}
