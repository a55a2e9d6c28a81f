// Prometheus text exposition format 0.0.4: families with HELP and TYPE, label values escaped,
// histograms as cumulative buckets with _sum and _count. Pure.

export type Labels = Record<string, string>
export interface Sample {labels?: Labels, value: number, suffix?: string}
export interface Family {name: string, help: string, type: 'gauge' | 'counter' | 'histogram' | 'untyped', samples: Sample[]}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  return String(v)
}

function labelText(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {})
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : ''
}

export function exposition(families: readonly Family[]): string {
  const out: string[] = []
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`)
    for (const s of f.samples) out.push(`${f.name}${s.suffix ?? ''}${labelText(s.labels)} ${formatValue(s.value)}`)
  }
  return out.join('\n') + '\n'
}

/** Upper bounds in seconds, from 1 ms to 10 s: REST calls range from a cached list to a spawn. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export interface Histogram {buckets: number[], counts: number[], sum: number, count: number}

export const newHistogram = (buckets = LATENCY_BUCKETS): Histogram => ({buckets, counts: buckets.map(() => 0), sum: 0, count: 0})

export function observe(h: Histogram, value: number): void {
  h.sum += value
  h.count++
  const i = h.buckets.findIndex((b) => value <= b)
  if (i >= 0) h.counts[i] = (h.counts[i] ?? 0) + 1
}

/** The samples of one histogram series: cumulative buckets, +Inf, _sum and _count. */
export function histogramSamples(h: Histogram, labels: Labels): Sample[] {
  let running = 0
  const out: Sample[] = h.buckets.map((b, i) => {
    running += h.counts[i] ?? 0
    return {suffix: '_bucket', labels: {...labels, le: String(b)}, value: running}
  })
  out.push({suffix: '_bucket', labels: {...labels, le: '+Inf'}, value: h.count},
    {suffix: '_sum', labels, value: h.sum}, {suffix: '_count', labels, value: h.count})
  return out
}
