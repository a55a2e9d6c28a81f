// What drbd-reactor itself says about a promoter (`drbd-reactorctl status --json`): where the
// resource is primary and whether the services target and its units run. Shown next to LINSTOR's
// view by `gateway list/show` on nodes that have drbd-reactor. Pure.
//
// The shape follows drbd-reactorctl's documented JSON ({promoter: [{drbd_resource, path, enabled,
// primary_on, target: {name, status}, dependencies: [{name, status}]}], ...}); older versions
// print one such object per snippet file, so a list of them is accepted too.

export interface ReactorPromoterStatus {
  resource: string
  /** Snippet file the promoter comes from. */
  path: string
  enabled: boolean
  /** Node name where DRBD is primary, "" when nowhere. */
  primaryOn: string
  /** systemd state of drbd-services@<res>.target, e.g. "active", "inactive", "failed". */
  target: string
  /** Start units that are not active, with their state. */
  notActive: {name: string, status: string}[]
}

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {})
const str = (v: unknown): string => (typeof v === 'string' ? v : '')

export function parseReactorStatus(json: string): Map<string, ReactorPromoterStatus> {
  const doc: unknown = JSON.parse(json)
  const docs = Array.isArray(doc) ? doc : [doc]
  const out = new Map<string, ReactorPromoterStatus>()
  for (const d of docs) {
    const promoters = rec(d).promoter
    for (const p of Array.isArray(promoters) ? promoters : []) {
      const o = rec(p)
      const resource = str(o.drbd_resource)
      if (!resource) continue
      const deps = Array.isArray(o.dependencies) ? o.dependencies.map(rec) : []
      out.set(resource, {
        resource, path: str(o.path), enabled: o.enabled !== false,
        primaryOn: str(o.primary_on), target: str(rec(o.target).status) || str(o.status) || 'unknown',
        notActive: deps.filter((x) => str(x.status) !== 'active').map((x) => ({name: str(x.name), status: str(x.status) || 'unknown'})),
      })
    }
  }
  return out
}

/** One line for a table cell: "active on alpha", "inactive (3 units not active)", "disabled". */
export function reactorSummary(s: ReactorPromoterStatus | undefined): string {
  if (!s) return ''
  if (!s.enabled) return 'disabled'
  const where = s.primaryOn ? ` on ${s.primaryOn}` : ''
  const units = s.notActive.length ? ` (${s.notActive.length} unit${s.notActive.length > 1 ? 's' : ''} not active: ${s.notActive.map((u) => `${u.name} ${u.status}`).join(', ')})` : ''
  return `${s.target}${where}${units}`
}
