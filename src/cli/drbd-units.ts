// DRBD's sizes and rates as drbdsetup and the linstor client take them: a bare number counts in the
// option's own unit (KiB/s for the resync rates, 512-byte sectors for the fill targets, bytes or
// items for the rest), and a number with a unit (250M, 4096K, 1G, 100MB, 8s for sectors) is
// converted to it, rounded up as drbdsetup rounds. DRBD, and LINSTOR's property check, want the
// bare number. Pure.
import {parseSize} from '../common/units.ts'

const SECTOR_BYTES = 512

/** The unit suffixes `drbdAmount` takes, for help and error texts. */
export const DRBD_UNIT_SUFFIXES = 'K, M, G, T (KB, MB, GB: decimal), s (512-byte sectors)'

/** `text` counted in units of `scale` bytes, or undefined when it is no whole number with an optional unit. */
export function drbdAmount(text: string, scale: number): number | undefined {
  const t = text.trim()
  if (/^\d+$/.test(t)) return Number(t)
  // A unit is required past a bare integer: '1.5' alone has none to say what it counts.
  if (!/^\d+(\.\d+)?\s*[a-z]+$/i.test(t)) return undefined
  const sectors = /^(\d+)\s*s$/i.exec(t)
  let bytes: number
  try {
    bytes = sectors ? Number(sectors[1]) * SECTOR_BYTES : parseSize(t)
  } catch {
    return undefined
  }
  return Number.isSafeInteger(bytes) ? Math.ceil(bytes / scale) : undefined
}
