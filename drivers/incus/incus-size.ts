// Incus size strings ("10GiB", "10GB", "512MiB", "4096") and the size the LINSTOR driver really
// asks for. Incus's parser is stricter than Cairn's own parseSize: a whole number, then an exact,
// case-sensitive suffix; GB is decimal and GiB binary; no suffix (or "B") means bytes.

const MULTIPLIERS: Record<string, bigint> = {
  '': 1n, 'B': 1n, ' bytes': 1n,
  'kB': 10n ** 3n, 'MB': 10n ** 6n, 'GB': 10n ** 9n, 'TB': 10n ** 12n, 'PB': 10n ** 15n, 'EB': 10n ** 18n,
  'KiB': 2n ** 10n, 'MiB': 2n ** 20n, 'GiB': 2n ** 30n, 'TiB': 2n ** 40n, 'PiB': 2n ** 50n, 'EiB': 2n ** 60n,
}

/** Bytes of an Incus size string; throws with the reason when Incus would refuse it. */
export function parseIncusSize(text: string): number {
  if (text === '') return 0
  const m = /^(\d+)(.*)$/s.exec(text)
  const multiplier = m ? MULTIPLIERS[m[2] as string] : undefined
  if (!m || multiplier === undefined) {
    throw new Error(`'${text}' is not an Incus size (a whole number with B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)`)
  }
  const bytes = BigInt(m[1] as string) * multiplier
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`'${text}' is too large`)
  return Number(bytes)
}

/** DRBD needs room for its metadata and activity log: Incus never asks for less. */
export const DRBD_MIN_VOLUME_BYTES = 4 * 1024 * 1024

/** Incus rounds block volumes up to this boundary. */
export const MIN_BLOCK_BOUNDARY = 8192

/** The KiB Incus sends in `volume_sizes`: at least 4 MiB, rounded up to 8 KiB. */
export function incusVolumeKib(bytes: number): number {
  const atLeast = Math.max(bytes, DRBD_MIN_VOLUME_BYTES)
  return Math.ceil(atLeast / MIN_BLOCK_BOUNDARY) * MIN_BLOCK_BOUNDARY / 1024
}
