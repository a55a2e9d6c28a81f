// JSON that keeps 64-bit integers exact. LINSTOR's ret_codes use the top bits of an int64 and
// diskless pools report Long.MAX_VALUE capacities; a plain JSON.stringify of a JS number loses both.

// JSON.rawJSON (Node >= 21) emits a number's digits verbatim; TypeScript's lib does not know it yet.
const rawJSON = (JSON as unknown as {rawJSON(text: string): unknown}).rawJSON

const bigintAsRaw = (_key: string, v: unknown): unknown => (typeof v === 'bigint' ? rawJSON(v.toString()) : v)

/** Serialises like JSON.stringify, but writes bigint values as raw JSON integers. */
export function stringify(value: unknown): string {
  let text: string | undefined
  // Without a replacer first: several times faster on large values, which rarely hold a bigint.
  try {
    text = JSON.stringify(value)
  } catch (e) {
    if (!(e instanceof TypeError) || !e.message.includes('BigInt')) throw e
    text = JSON.stringify(value, bigintAsRaw)
  }
  return text === undefined ? 'null' : text
}

/** Parses JSON; integers outside the safe range become bigint so no digit is lost. */
export function parse(text: string): unknown {
  // Only a run of 16 digits can be an unsafe integer; without one the reviver (several times
  // slower on large lists) cannot change anything.
  if (!/\d{16}/.test(text)) return JSON.parse(text)
  return JSON.parse(text, (_key, value: unknown, context?: {source?: string}) => {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)) {
      return BigInt(context.source)
    }
    return value
  })
}

/**
 * Drops null/undefined fields, empty arrays and empty objects, recursively, as LINSTOR's
 * `@JsonInclude(NON_EMPTY)` does. Zero, false and empty strings stay.
 */
export function omitEmpty<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => omitEmpty(v)) as T
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue
    const c = omitEmpty(v)
    if (Array.isArray(c) && c.length === 0) continue
    if (c !== null && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0) continue
    out[k] = c
  }
  return out as T
}
