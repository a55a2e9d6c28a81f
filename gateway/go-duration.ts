// Go's time.Duration text ("30s", "1m30s", "500ms", "2h"), which linstor-gateway's users pass as
// --resource-timeout and ?resource_timeout=. Pure.

const UNIT_MS: Record<string, number> = {ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000}

/** Milliseconds; throws with Go's wording for anything else. A bare "0" is allowed, as in Go. */
export function parseGoDurationMs(text: string): number {
  const s = text.trim()
  if (s === '0') return 0
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy
  let total = 0
  let matched = 0
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number)
    matched = re.lastIndex
  }
  if (!s || matched !== s.length) throw new Error(`time: invalid duration "${text}"`)
  return Math.round(total)
}
