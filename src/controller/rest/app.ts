// The REST API v1 as an un-started express app: main listens, tests use it directly.
import express, {type NextFunction, type Request, type Response} from 'express'
import {rc, Rc} from '../../common/api-call-rc.ts'
import {parse} from '../../common/json.ts'
import {buildInfo, REST_API_VERSION} from '../../version.ts'
import {authGate} from './auth-gate.ts'
import {authTokenRoutes} from './auth-tokens.ts'
import {clusterSecretRoutes} from './cluster-secret.ts'
import {connectionRoutes} from './connections.ts'
import {controllerPropsRoutes} from './controller-props.ts'
import type {RestDeps} from './deps.ts'
import {encryptionRoutes} from './encryption.ts'
import {errorReportRoutes} from './error-reports.ts'
import {eventRoutes} from './events.ts'
import {keyValueStoreRoutes} from './key-value-store.ts'
import {metricsRoutes} from './metrics.ts'
import {externalFileRoutes} from './external-files.ts'
import {nodeRoutes} from './nodes.ts'
import {physicalStorageRoutes} from './physical-storage.ts'
import {remoteRoutes} from './remotes.ts'
import {backupRoutes} from './backups.ts'
import {scheduleRoutes} from './schedules.ts'
import {explained, sendJson, sendRcs, unknownError} from './reply.ts'
import {ApiFailure} from '../model/api-failure.ts'
import {resourceDefinitionRoutes} from './resource-definitions.ts'
import {resourceGroupRoutes} from './resource-groups.ts'
import {resourcePropsRoutes} from './resource-props.ts'
import {snapshotRoutes} from './snapshots.ts'
import {sosReportRoutes} from './sos-report.ts'
import {toggleDiskRoutes} from './toggle-disk.ts'

export function buildApp(deps: RestDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)
  app.set('query parser', 'extended')
  // Before the body is even read: a refused caller costs nothing and learns nothing.
  app.use(authGate(deps))
  // Bodies are parsed by hand so that int64 values survive and a syntax error gets LINSTOR's reply.
  app.use(express.text({type: () => true, limit: '16mb'}))
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (typeof req.body !== 'string' || req.body.trim() === '') {
      req.body = undefined
      return next()
    }
    try {
      req.body = parse(req.body)
      if (req.body === null) throw new Error('the body is null; send a JSON object or list')
      next()
    } catch (e) {
      sendRcs(res, [rc(Rc.API_CALL_PARSE_ERROR, {message: 'Unable to parse input json.', details: (e as Error).message})], 400)
    }
  })

  metricsRoutes(app, deps)

  // As LINSTOR: 200 with an empty body once every service runs, else 500 naming the missing ones.
  app.get('/health', (_req, res) => {
    if (deps.pending.size) res.status(500).type('text/plain').send(`Services not running: ${[...deps.pending].join(',')}`)
    else res.status(200).end()
  })
  app.get('/v1/controller/version', (_req, res) => {
    sendJson(res, 200, {version: buildInfo.version, git_hash: buildInfo.git_hash, build_time: buildInfo.build_time, rest_api_version: REST_API_VERSION})
  })

  const router = express.Router()
  nodeRoutes(router, deps)
  resourceGroupRoutes(router, deps)
  resourceDefinitionRoutes(router, deps)
  resourcePropsRoutes(router, deps)
  toggleDiskRoutes(router, deps)
  controllerPropsRoutes(router, deps)
  encryptionRoutes(router, deps)
  authTokenRoutes(router, deps)
  clusterSecretRoutes(router, deps)
  keyValueStoreRoutes(router, deps)
  remoteRoutes(router, deps)
  backupRoutes(router, deps)
  scheduleRoutes(router, deps)
  connectionRoutes(router, deps)
  snapshotRoutes(router, deps)
  errorReportRoutes(router, deps)
  physicalStorageRoutes(router, deps)
  externalFileRoutes(router, deps)
  eventRoutes(router, deps)
  sosReportRoutes(router, deps)
  app.use(router)

  app.use((req: Request, res: Response) => {
    sendJson(res, 404, [rc(Rc.FAIL_INVLD_REQUEST, {message: `No such endpoint: ${req.method} ${req.path}`,
      cause: 'This Cairn version does not serve that path with that method.', correction: 'Check the path against the LINSTOR REST API v1.'})])
  })
  app.use((err: Error & {status?: number, type?: string}, req: Request, res: Response, _next: NextFunction) => {
    // Errors express raises for the request itself (body too large, bad encoding or charset,
    // undecodable path) are the client's: 400 with LINSTOR's parse error, not an internal error.
    // A refusal raised outside mutation() (a GET with a bad name) is answered like one inside it.
    if (err instanceof ApiFailure) return sendRcs(res, [rc(err.code, explained(err.code, err.text))], 200)
    if (err.status !== undefined && err.status >= 400 && err.status < 500) {
      sendRcs(res, [rc(Rc.API_CALL_PARSE_ERROR, {message: err.type === 'entity.too.large' ? 'Request body too large.' : 'Unable to parse the request.',
        details: err.message, correction: 'Send plain (or gzip-compressed) UTF-8 JSON to a correctly encoded URL.'})], 400)
      return
    }
    deps.log.error('request failed', {method: req.method, path: req.path, error: err})
    const id = deps.reports.add({module: 'rest', message: err.message, exception: err.name,
      details: `${req.method} ${req.path}\n\n${err.stack ?? ''}`, peer: req.socket.remoteAddress})
    sendRcs(res, [{...unknownError(`Internal error: ${err.message}`), error_report_ids: [id]}], 500)
  })
  return app
}

interface Layer {route?: {path: string, methods: Record<string, boolean>}, handle?: {stack?: Layer[]}}

/** Every route of the app as [METHOD, path], nested routers included: tests walk it (authentication covers all of them). */
export function routeTable(app: express.Express): [string, string][] {
  const walk = (stack: Layer[]): [string, string][] => stack.flatMap((l): [string, string][] =>
    l.route ? Object.keys(l.route.methods).filter((m) => m !== '_all').map((m) => [m.toUpperCase(), (l.route as {path: string}).path])
      : l.handle?.stack ? walk(l.handle.stack) : [])
  return walk((app as unknown as {router: {stack: Layer[]}}).router.stack)
}
