// How the linstor client writes values into tables and reads sizes from the command line.
// Pure functions.
import {parseSize} from '../common/units.ts'
import type {Header, Row} from './table.ts'

const kibUnits = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/**
 * A size in KiB as linstor's tables show it: the largest binary unit the value reaches, a whole
 * number when it divides evenly ("1 GiB"), else two decimals ("1.50 GiB"). Empty when unknown.
 */
export function sizeKib(kib: number | bigint | undefined): string {
  if (kib === undefined) return ''
  const n = typeof kib === 'bigint' ? Number(kib) : kib
  let index = 0
  let magnitude = 1
  while (index < kibUnits.length - 1 && n >= magnitude * 1024) {
    magnitude *= 1024
    index++
  }
  const unit = kibUnits[index] as string
  return n % magnitude === 0 ? `${n / magnitude} ${unit}` : `${(n / magnitude).toFixed(2)} ${unit}`
}

/** A size as typed for a volume (`10G`, `512MiB`, `100GB`; a bare number means GiB) → KiB, rounded up. */
export function parseVolumeSizeKib(text: string): number {
  const bytes = parseSize(/^\s*\d+(\.\d+)?\s*$/.test(text) ? `${text}GiB` : text)
  if (bytes <= 0) throw new Error(`'${text}' is not a size greater than zero`)
  return Math.ceil(bytes / 1024)
}

/** A list as Python prints it, which is how linstor shows select filter lists: ['a', 'b']. */
export const pyList = (items: readonly unknown[]): string => `[${items.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ')}]`

/** A Python dict literal: {'Aux/site': 2}. */
export const pyDict = (map: Record<string, unknown>): string =>
  `{${Object.entries(map).map(([k, v]) => `'${k}': ${typeof v === 'string' ? `'${v}'` : String(v)}`).join(', ')}}`

/** Epoch milliseconds → "YYYY-MM-DD hh:mm:ss" (UTC), linstor's CreatedOn column. */
export function timestamp(ms: number | bigint | undefined): string {
  if (ms === undefined) return ''
  return new Date(Number(ms)).toISOString().replace('T', ' ').slice(0, 19)
}

/**
 * `--show-props Key[=Title]`: one extra column per property, titled by the part after `=`.
 * `props[i]` are the properties of `rows[i]`.
 */
export function withPropColumns(headers: Header[], rows: Row[], props: (Record<string, string> | undefined)[], show: readonly string[] = []):
  {headers: Header[], rows: Row[]} {
  const wanted = show.flatMap((s) => s.split(/\s+/)).filter(Boolean).map((s) => {
    const eq = s.indexOf('=')
    return eq < 0 ? {key: s, title: s} : {key: s.slice(0, eq), title: s.slice(eq + 1)}
  })
  if (!wanted.length) return {headers, rows}
  return {
    headers: [...headers, ...wanted.map((w) => w.title)],
    rows: rows.map((r, i) => [...r, ...wanted.map((w) => props[i]?.[w.key] ?? '')]),
  }
}
