// Parses Prometheus text exposition with the Prometheus project's own Python client
// (Debian's python3-prometheus-client, installed by packaging/host-deps.sh): an independent
// reader of what /metrics writes. Each family comes back with its samples as name, labels, value.
import {execFile} from 'node:child_process'

export interface PromSample {name: string, labels: Record<string, string>, value: number}
export interface PromFamily {name: string, type: string, help: string, samples: PromSample[]}

const SCRIPT = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({"name": f.name, "type": f.type, "help": f.documentation,
                "samples": [{"name": s.name, "labels": s.labels, "value": s.value if math.isfinite(s.value) else str(s.value)} for s in f.samples]})
json.dump(out, sys.stdout)
`

export function parsePrometheus(text: string): Promise<Map<string, PromFamily>> {
  return new Promise((ok, fail) => {
    const child = execFile('/usr/bin/python3', ['-c', SCRIPT], (err, stdout, stderr) => {
      if (err) return fail(new Error(`the Prometheus parser refused the text: ${stderr || err.message}`))
      ok(new Map((JSON.parse(stdout) as PromFamily[]).map((f) => [f.name, f])))
    })
    child.stdin?.end(text)
  })
}
