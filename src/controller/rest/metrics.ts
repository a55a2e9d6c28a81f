// GET /metrics (Prometheus) and the REST latency histograms it reports. Outside /v1, like /health.
import type {Application, NextFunction, Request, Response} from 'express'
import {CONTENT_TYPE, exposition, newHistogram, observe, type Histogram} from '../../common/prometheus.ts'
import {buildInfo} from '../../version.ts'
import {metricsFamilies} from '../views/metrics-view.ts'
import {nodeView, storagePoolView} from '../views/node-view.ts'
import {resourceWithVolumesView} from '../views/resource-view.ts'
import type {RestDeps} from './deps.ts'

/** `?resource=false` and friends; anything but false/0/no keeps the family. */
const enabled = (raw: unknown): boolean => !['false', '0', 'no'].includes(String(raw ?? 'true').toLowerCase())

export function metricsRoutes(app: Application, deps: RestDeps): void {
  const requests = new Map<string, {method: string, path: string, histogram: Histogram}>()
  let scrapes = 0
  let lastScrapeSeconds = 0

  // Keyed by the route pattern, not the URL, so that names in paths do not make new series.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint()
    res.once('finish', () => {
      const path = (req.route as {path?: string} | undefined)?.path ?? 'unmatched'
      const key = `${req.method} ${path}`
      let entry = requests.get(key)
      if (!entry) requests.set(key, (entry = {method: req.method, path, histogram: newHistogram()}))
      observe(entry.histogram, Number(process.hrtime.bigint() - start) / 1e9)
    })
    next()
  })

  app.get('/metrics', (req, res) => {
    const start = process.hrtime.bigint()
    const {store, link, reports} = deps
    const s = store.state
    const on = {resource: enabled(req.query.resource), storagePools: enabled(req.query.storage_pools), errorReports: enabled(req.query.error_reports)}
    const text = exposition(metricsFamilies({
      version: buildInfo.version, gitHash: buildInfo.git_hash,
      nodes: Object.values(s.nodes).map((n) => nodeView(n, link.runtime(n.name))),
      pools: Object.values(s.storPools).map((p) => storagePoolView(p, link.runtime(p.node))),
      resources: on.resource ? Object.values(s.rscs).map((r) => resourceWithVolumesView(s, r, link.runtime(r.node))) : [],
      rdCount: Object.keys(s.rscDfns).length,
      errorReports: reports.count(),
      requests: [...requests.values()],
      scrapes: ++scrapes,
      lastScrapeSeconds,
      residentBytes: process.memoryUsage.rss(),
      startTimeSeconds: Math.round(Date.now() / 1000 - process.uptime()),
    }, on))
    lastScrapeSeconds = Number(process.hrtime.bigint() - start) / 1e9
    res.status(200).type(CONTENT_TYPE).send(text)
  })
}
