// Volume sizes as linstor-gateway's CLI reads them (rck/unit's default units): an integer and a
// case-sensitive unit. "K"/"M"/"G"... are binary, "kB"/"KB"/"MB"... decimal, no unit means bytes.
// Cairn also accepts the IEC names (KiB, MiB, ...), which upstream rejects although users type them.

const binary = (power: number): bigint => 1024n ** BigInt(power)
const decimal = (power: number): bigint => 1000n ** BigInt(power)

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['B', 1n],
  ['K', binary(1)], ['M', binary(2)], ['G', binary(3)], ['T', binary(4)], ['P', binary(5)], ['E', binary(6)],
  ['KiB', binary(1)], ['MiB', binary(2)], ['GiB', binary(3)], ['TiB', binary(4)], ['PiB', binary(5)], ['EiB', binary(6)],
  ['kB', decimal(1)], ['KB', decimal(1)], ['MB', decimal(2)], ['GB', decimal(3)], ['TB', decimal(4)],
  ['PB', decimal(5)], ['EB', decimal(6)],
])

/** Parses a size such as "1G", "500MB" or "2GiB" into KiB, truncated like upstream's `size / 1024`. */
export function parseGatewaySizeKib(text: string): number {
  if (text === '') throw new Error('invalid size ""')
  // The number ends at the first letter, as in rck/unit.
  const letter = /\p{L}/u.exec(text)
  const numberText = letter ? text.slice(0, letter.index) : text
  const unit = letter ? text.slice(letter.index) : ''
  if (!/^[+-]?\d+$/.test(numberText)) {
    throw new Error(`could not convert ${JSON.stringify(text)} to size: ${JSON.stringify(numberText)} is not a whole number`)
  }
  const factor = unit === '' ? 1n : UNITS.get(unit)
  if (factor === undefined) throw new Error(`unit ${JSON.stringify(unit)} is not valid`)
  const bytes = BigInt(numberText) * factor
  // Upstream would wrap a negative size into a huge unsigned one; refuse it instead.
  if (bytes < 0n) throw new Error(`could not convert ${JSON.stringify(text)} to size: a size cannot be negative`)
  const kib = bytes / 1024n
  if (kib > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`could not convert ${JSON.stringify(text)} to size: too large`)
  }
  return Number(kib)
}
