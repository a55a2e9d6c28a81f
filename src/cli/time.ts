// Points in time as typed on the command line (`err list --since 3d`, `err delete --to 2024-05-01`):
// a span back from now, as the linstor client's `1d10h`, or a date with an optional time of day.
// Pure: "now" is passed in.

const UNIT_MS: Record<string, number> = {w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000}

/** The unit words a span accepts, by their one-letter unit; "m" is minutes (months have no fixed length). */
const UNIT_WORDS: Record<string, readonly string[]> = {
  w: ['w', 'wk', 'wks', 'week', 'weeks'], d: ['d', 'day', 'days'], h: ['h', 'hr', 'hrs', 'hour', 'hours'],
  m: ['m', 'min', 'mins', 'minute', 'minutes'], s: ['s', 'sec', 'secs', 'second', 'seconds'],
}

const unitOf = (word: string): string | undefined =>
  Object.keys(UNIT_WORDS).find((u) => UNIT_WORDS[u]?.includes(word.toLowerCase()))

/** "3d", "1d10h", "2 hours", "90m", "1w2d" → milliseconds; undefined when the text is not a span. */
export function parseSpan(text: string): number | undefined {
  // The parts must make up the whole text: "3d" and "1d 10h", not "3d!" or "yesterday".
  if (!/^\s*(\d+\s*[a-z]+\s*)+$/i.test(text)) return undefined
  let ms = 0
  for (const p of text.matchAll(/(\d+)\s*([a-z]+)/gi)) {
    const unit = unitOf(p[2] as string)
    if (!unit) return undefined
    ms += Number(p[1]) * (UNIT_MS[unit] as number)
  }
  return ms
}

/** Which end of a partly given date is meant: its first moment (`--since`) or its last (`--to`). */
export type DateEnd = 'start' | 'end'

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

/**
 * "2024-05-01", "2024-05-01 13:40", "2024-05-01T13:40:00", optionally with a zone ("Z", "+02:00")
 * → epoch milliseconds; undefined when the text is not such a date. Without a zone the time is
 * UTC, as Cairn's tables show times. Parts left out are filled in as the first moment of the day
 * or minute (`start`) or the last (`end`): `--to 2024-05-01` includes all of that day.
 */
export function parseDate(text: string, end: DateEnd): number | undefined {
  const m = DATE.exec(text.trim())
  if (!m) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const hour = m[4] === undefined ? undefined : Number(m[4])
  const minute = m[5] === undefined ? undefined : Number(m[5])
  const second = m[6] === undefined ? undefined : Number(m[6])
  const milli = m[7] === undefined ? undefined : Number(m[7].padEnd(3, '0'))
  const last = end === 'end'
  const ms = Date.UTC(year, month - 1, day, hour ?? (last ? 23 : 0), minute ?? (last ? 59 : 0), second ?? (last ? 59 : 0), milli ?? (last ? 999 : 0))
  const back = new Date(ms)
  // Date.UTC rolls 2024-02-30 over into March; such a date does not exist.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59) return undefined
  const zone = m[8]
  if (!zone || zone.toUpperCase() === 'Z') return ms
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone) as RegExpExecArray
  const offset = (Number(z[2]) * 60 + Number(z[3])) * 60_000
  return z[1] === '+' ? ms - offset : ms + offset
}

/**
 * A `--since`/`--to` value → epoch milliseconds: a span back from `now` ("5d", "3h", "1d10h") or a
 * date (see parseDate). Throws an Error naming the accepted forms otherwise.
 */
export function parseTimeArg(text: string, now: number, end: DateEnd, flag = end === 'start' ? '--since' : '--to'): number {
  const span = parseSpan(text)
  if (span !== undefined) return now - span
  const date = parseDate(text, end)
  if (date !== undefined) return date
  throw new Error(`${flag}: '${text}' is neither a time span (such as 3d, 12h, 1d10h, 30m) nor a date (such as 2024-05-01 or "2024-05-01 13:40:00", UTC)`)
}
