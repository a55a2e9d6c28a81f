// Sizes as administrators type them: "10G", "512MiB", "1.5T", "4096K", "100GB". LINSTOR's client
// treats K/M/G/T without a B as binary; an explicit "KB/MB/GB/TB" is decimal.

const binary: Record<string, number> = {'': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50}
const decimal: Record<string, number> = {K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15}

/** Parses a size to bytes; a bare number means `defaultUnit` (KiB for LINSTOR's REST sizes). */
export function parseSize(text: string, defaultUnit: 'B' | 'KiB' | 'MiB' = 'B'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b?)\s*$/i.exec(text)
  if (!m) throw new Error(`'${text}' is not a size (examples: 10G, 512MiB, 1.5T, 100GB)`)
  const value = Number(m[1])
  const prefix = (m[2] ?? '').toUpperCase()
  const suffix = (m[3] ?? '').toLowerCase()
  if (!prefix && suffix.startsWith('i')) throw new Error(`'${text}' is not a size (examples: 10G, 512MiB, 1.5T, 100GB)`)
  let factor: number
  if (!prefix) factor = suffix === 'b' ? 1 : {B: 1, KiB: 1024, MiB: 2 ** 20}[defaultUnit]
  else factor = (suffix === 'b' ? decimal[prefix] : binary[prefix]) as number
  const bytes = Math.round(value * factor)
  if (!Number.isSafeInteger(bytes)) throw new Error(`'${text}' is too large`)
  return bytes
}

/** Renders bytes the way linstor's tables do: the largest binary unit, two decimals. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']
  let v = bytes
  let i = 0
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${v} ${units[0]}` : `${v.toFixed(2)} ${units[i]}`
}
