// The controller's /metrics families (names as LINSTOR's docs/prometheus.md lists them), built
// from the same wire views the REST API returns. `resource`, `storage_pools` and `error_reports`
// switch the larger families off, as LINSTOR's query parameters do. Pure.
import type {Node, ResourceWithVolumes, StoragePool} from '../../api/wire.ts'
import {histogramSamples, type Family, type Histogram, type Labels, type Sample} from '../../common/prometheus.ts'

/** Values of linstor_node_state, in this order; the HELP text lists them. */
export const NODE_STATES = ['OFFLINE', 'CONNECTED', 'ONLINE', 'VERSION_MISMATCH', 'FULL_SYNC_FAILED', 'AUTHENTICATION_ERROR', 'UNKNOWN',
  'HOSTNAME_MISMATCH', 'OTHER_CONTROLLER', 'AUTHENTICATED', 'NO_STLT_CONN'] as const

const GOOD_DISK_STATES = new Set(['UpToDate', 'Created', 'Diskless'])

export interface MetricsInput {
  version: string
  gitHash: string
  nodes: Node[]
  pools: StoragePool[]
  resources: ResourceWithVolumes[]
  rdCount: number
  errorReports: number
  /** REST latency histograms by method and route pattern. */
  requests: {method: string, path: string, histogram: Histogram}[]
  scrapes: number
  lastScrapeSeconds: number
  residentBytes: number
  startTimeSeconds: number
}

export interface MetricsSwitches {resource: boolean, storagePools: boolean, errorReports: boolean}

/** Wire objects have optional fields; a label is always a string. */
const rscLabels = (r: ResourceWithVolumes): Labels => ({node: r.node_name ?? '', resource: r.name ?? ''})

/** KiB on the wire (int64 fields may be bigint) to bytes. */
const bytes = (kib: number | bigint | undefined): number => Number(kib ?? 0) * 1024

const gauge = (name: string, help: string, samples: Sample[]): Family => ({name, help, type: 'gauge', samples})

export function metricsFamilies(m: MetricsInput, on: MetricsSwitches): Family[] {
  const out: Family[] = [
    gauge('linstor_info', 'Version of the Cairn controller (LINSTOR REST API v1 compatible).', [{labels: {version: m.version, git_hash: m.gitHash}, value: 1}]),
    gauge('linstor_node_state', `Connection state of each node: ${NODE_STATES.map((s, i) => `${i}=${s}`).join(', ')}.`,
      m.nodes.map((n) => ({labels: {node: n.name, nodetype: n.type ?? ''}, value: Math.max(0, NODE_STATES.indexOf(n.connection_status as typeof NODE_STATES[number]))}))),
    gauge('linstor_resource_definition_count', 'Number of resource definitions.', [{value: m.rdCount}]),
  ]
  if (on.resource) {
    const rscs = m.resources
    out.push(
      gauge('linstor_resource_state', 'State of each resource: 1 every volume healthy, 0 some volume not, -1 unknown (no report from its node).',
        rscs.map((r) => ({labels: rscLabels(r),
          value: !r.state ? -1 : (r.volumes ?? []).every((v) => GOOD_DISK_STATES.has(v.state?.disk_state ?? '')) ? 1 : 0}))),
      gauge('linstor_resource_open', 'Whether the device of each resource is open (1), not open (0) or unknown (-1).',
        rscs.map((r) => ({labels: rscLabels(r), value: r.state ? (r.state.in_use ? 1 : 0) : -1}))),
      gauge('linstor_volume_state', 'Disk state of each volume, as the disk_state label (value 1).',
        rscs.flatMap((r) => (r.volumes ?? []).map((v) => ({labels: {...rscLabels(r), volume: String(v.volume_number),
          disk_state: v.state?.disk_state ?? 'Unknown'}, value: 1})))),
      gauge('linstor_volume_allocated_size_bytes', 'Storage allocated for each volume, in bytes.',
        rscs.flatMap((r) => (r.volumes ?? []).filter((v) => v.allocated_size_kib !== undefined)
          .map((v) => ({labels: {...rscLabels(r), volume: String(v.volume_number)}, value: bytes(v.allocated_size_kib)})))),
    )
  }
  if (on.storagePools) {
    const labels = (p: StoragePool): Labels => ({node: p.node_name ?? '', storage_pool: p.storage_pool_name, driver: p.provider_kind})
    const reported = m.pools.filter((p) => p.provider_kind !== 'DISKLESS')
    out.push(
      gauge('linstor_storage_pool_capacity_free_bytes', 'Free space of each storage pool, in bytes.',
        reported.filter((p) => p.free_capacity !== undefined).map((p) => ({labels: labels(p), value: bytes(p.free_capacity)}))),
      gauge('linstor_storage_pool_capacity_total_bytes', 'Total space of each storage pool, in bytes.',
        reported.filter((p) => p.total_capacity !== undefined).map((p) => ({labels: labels(p), value: bytes(p.total_capacity)}))),
      gauge('linstor_storage_pool_error_count', 'Errors the satellite reports for each storage pool.',
        m.pools.map((p) => ({labels: labels(p), value: p.reports?.length ?? 0}))),
    )
  }
  if (on.errorReports) out.push(gauge('linstor_error_reports_count', 'Error reports kept by the controller.', [{value: m.errorReports}]))
  out.push(
    {name: 'linstor_restapi_request_duration_seconds', help: 'REST API request latency by method and route.', type: 'histogram',
      samples: m.requests.flatMap((r) => histogramSamples(r.histogram, {method: r.method, path: r.path}))},
    {name: 'linstor_scrape_requests_count', help: 'Scrapes of /metrics since the controller started.', type: 'counter', samples: [{value: m.scrapes}]},
    gauge('linstor_scrape_duration_seconds', 'Time the previous scrape of /metrics took.', [{value: m.lastScrapeSeconds}]),
    gauge('process_resident_memory_bytes', 'Resident memory of the controller process.', [{value: m.residentBytes}]),
    gauge('process_start_time_seconds', 'Start time of the controller process since the Unix epoch.', [{value: m.startTimeSeconds}]),
  )
  return out
}
