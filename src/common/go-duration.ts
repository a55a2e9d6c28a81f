// Go's time.ParseDuration, which Incus (drbd.auto_diskful) and linstor-gateway (--resource-timeout,
// ?resource_timeout=) users write: "90s", "5m", "1h30m", "1.5h", "300ms". Units ns, us (µs, μs),
// ms, s, m, h; no days; a bare "0" is allowed. Pure.

const UNIT_NS: Record<string, number> = {
  'ns': 1, 'us': 1e3, 'µs': 1e3, 'μs': 1e3, 'ms': 1e6, 's': 1e9, 'm': 60e9, 'h': 3600e9,
}

/** Seconds of a Go duration string; throws with Go's wording when Go would refuse it. */
export function parseGoDuration(text: string): number {
  const bad = (): Error => new Error(`time: invalid duration "${text}"`)
  let rest = text
  let sign = 1
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1
    rest = rest.slice(1)
  }
  if (rest === '0') return 0
  if (rest === '') throw bad()
  let ns = 0
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest)
    const whole = m?.[1] ?? ''
    const frac = m?.[2]
    if (whole === '' && (frac === undefined || frac === '')) throw bad()
    rest = rest.slice(m?.[0].length ?? 0)
    const unit = /^[^\d.]+/.exec(rest)?.[0]
    if (unit === undefined) throw new Error(`time: missing unit in duration "${text}"`)
    const scale = UNIT_NS[unit]
    if (scale === undefined) throw new Error(`time: unknown unit "${unit}" in duration "${text}"`)
    rest = rest.slice(unit.length)
    ns += Number(`${whole || '0'}.${frac || '0'}`) * scale
  }
  return (sign * Math.trunc(ns)) / 1e9
}
