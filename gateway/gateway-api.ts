// linstor-gateway's REST API v2 (port 8337), so that its existing users and scripts keep working:
// the same paths, bodies, status codes and `{code, message}` errors. CHAP credentials are never
// returned.
import express, {type NextFunction, type Request, type Response, type Router} from 'express'
import {STATUS_CODES} from 'node:http'
import {buildInfo} from '../src/version.ts'
import {GatewayError, type GatewayService} from './gateway-service.ts'
import {parseGoDuration} from '../src/common/go-duration.ts'
import {iscsiKind, nfsKind, nvmeKind, type AnyConfig, type TargetKind} from './target-kinds.ts'
import type {VolumeConfig} from './volume-config.ts'

function sendError(res: Response, status: number, message: string): void {
  res.status(status).json({code: STATUS_CODES[status] ?? 'Error', message})
}

/** Secrets stay on the controller: listings and replies show the target without them. */
function shown<C extends AnyConfig>(config: C): C {
  return 'username' in config || 'password' in config ? {...config, username: '', password: ''} : config
}

const timeoutOf = (req: Request): number | undefined => {
  const raw = req.query.resource_timeout
  if (raw === undefined) return undefined
  try {
    return Math.round(parseGoDuration(String(raw)) * 1000)
  } catch (e) {
    throw new GatewayError(400, (e as Error).message)
  }
}

/** The kind's path segment and how its path names its targets. */
interface Mount<C extends AnyConfig> {segment: string, kind: TargetKind<C>, volumesWritable: boolean}

function kindRoutes<C extends AnyConfig>(r: Router, svc: GatewayService, m: Mount<C>): void {
  const base = `/api/v2/${m.segment}`
  const {kind} = m
  // The service checks the id: a malformed IQN/NQN in the path is answered with 400.
  const idOf = (req: Request): string => String(req.params.id)
  const volumeNumber = (req: Request): number => {
    const n = Number(req.params.nr)
    if (!Number.isSafeInteger(n) || n < 0) throw new GatewayError(400, `invalid volume number ${JSON.stringify(req.params.nr)}`)
    return n
  }

  r.get(base, async (_req, res) => {
    res.json((await svc.list(kind)).map(shown))
  })
  r.post(base, async (req, res) => {
    const created = await svc.create(kind, req.body as Partial<C>).catch((e: unknown) => {
      if (e instanceof GatewayError && e.status === 400 && !e.message.startsWith('failed to create')) {
        throw new GatewayError(400, `failed to create ${kind.kind === 'nvmeof' ? 'nvme-of' : kind.kind} resource: ${e.message}`)
      }
      throw e
    })
    res.status(201).location(`./${m.segment}/${kind.idOf(created)}`).json(shown(created))
  })
  r.get(`${base}/:id`, async (req, res) => {
    res.json(shown(await svc.get(kind, idOf(req))))
  })
  r.delete(`${base}/:id`, async (req, res) => {
    await svc.delete(kind, idOf(req), timeoutOf(req))
    res.json({})
  })
  for (const action of ['start', 'stop'] as const) {
    r.post(`${base}/:id/${action}`, async (req, res) => {
      res.location('./').json(shown(await svc[action](kind, idOf(req), timeoutOf(req))))
    })
  }
  r.get(`${base}/:id/:nr`, async (req, res) => {
    const config = await svc.get(kind, idOf(req))
    const nr = volumeNumber(req)
    const volume = config.volumes.find((v) => v.number === nr)
    if (!volume) throw new GatewayError(404, `no volume found with number ${nr}`)
    res.json({volume, status: {number: nr, state: config.status?.volumes.find((v) => v.number === nr)?.state ?? 'Unknown'}})
  })
  if (m.volumesWritable) {
    r.put(`${base}/:id/:nr`, async (req, res) => {
      const nr = volumeNumber(req)
      const body = (req.body ?? {}) as Partial<VolumeConfig>
      if (body.number !== undefined && body.number !== nr) throw new GatewayError(400, `volume number in body (${body.number}) does not match the path (${nr})`)
      if (nr < 1) throw new GatewayError(400, 'volume numbers must start at 1')
      const volume: VolumeConfig = {number: nr, size_kib: Number(body.size_kib), file_system_root_owner: body.file_system_root_owner ?? {User: '', Group: ''},
        ...(body.file_system ? {file_system: body.file_system} : {})}
      const config = await svc.addVolume(kind, idOf(req), volume)
      res.json(config.volumes.find((v) => v.number === nr))
    })
  }
  r.delete(`${base}/:id/:nr`, async (req, res) => {
    await svc.deleteVolume(kind, idOf(req), volumeNumber(req))
    res.json({})
  })
}

export function gatewayApi(svc: GatewayService): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.use((_req, res, next) => {
    res.setHeader('Server', `linstor-gateway/${buildInfo.version} (Cairn)`)
    next()
  })
  app.use(express.json({limit: '1mb'}))
  const r = express.Router()
  r.get('/api/v2/status', (_req, res) => void res.json({status: 'ok'}))
  kindRoutes(r, svc, {segment: 'iscsi', kind: iscsiKind, volumesWritable: true})
  kindRoutes(r, svc, {segment: 'nfs', kind: nfsKind, volumesWritable: false})
  kindRoutes(r, svc, {segment: 'nvme-of', kind: nvmeKind, volumesWritable: true})
  app.use(r)
  app.use((req: Request, res: Response) => sendError(res, 404, `no such endpoint: ${req.method} ${req.path}`))
  app.use((err: Error & {status?: number, type?: string}, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof GatewayError) return sendError(res, err.status, err.message)
    if (err.type === 'entity.parse.failed') return sendError(res, 400, `failed to parse request body: ${err.message}`)
    sendError(res, err.status && err.status >= 400 && err.status < 500 ? err.status : 500, err.message)
  })
  return app
}
