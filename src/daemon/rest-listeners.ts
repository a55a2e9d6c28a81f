// The REST API's listeners: HTTP on 3370 and HTTPS on 3371. While HTTPS is on, HTTP answers /v1
// requests with a redirect to it (what LINSTOR does, and what the linstor client's HTTPS probe
// looks for), but keeps serving /health and /metrics for load balancers and scrapers. The
// certificate files are watched, so a renewed certificate is used without a restart.
import {readFileSync, unwatchFile, watchFile} from 'node:fs'
import {access} from 'node:fs/promises'
import {createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer, type Server as HttpsServer} from 'node:https'
import {hostname} from 'node:os'
import {ConfigError, type Settings} from '../common/config.ts'
import type {Logger} from '../common/log.ts'
import {selfSignedPlan} from '../controller/auth/certificates.ts'
import {issueCertificates} from '../controller/auth/issue-certificates.ts'
import {createRun} from '../satellite/exec.ts'
import {close, listen} from './listen.ts'

/** Where an HTTP request is sent once HTTPS is on; undefined for what HTTP keeps serving. */
export function httpsRedirect(url: string, hostHeader: string | undefined, httpsPort: number): string | undefined {
  if (!url.startsWith('/v1/') && url !== '/v1') return undefined
  const host = (hostHeader ?? 'localhost').replace(/:\d+$/, '')
  return `https://${host}:${httpsPort}${url}`
}

export interface RestListeners {
  addresses: string[]
  /** Starts HTTPS with a self-signed certificate if it is not on; answers its base URL. */
  autoHttps(): Promise<string>
  stop(): Promise<void>
}

const exists = (f: string): Promise<boolean> => access(f).then(() => true, () => false)

export async function startRestListeners(app: RequestListener, s: Settings, log: Logger): Promise<RestListeners> {
  let https: HttpsServer | undefined
  const addresses: string[] = []
  const watched: string[] = []

  const tlsOptions = (): {cert: Buffer, key: Buffer, ca?: Buffer} => ({
    cert: readFileSync(s['https-cert']), key: readFileSync(s['https-key']),
    ...(s['https-client-ca'] ? {ca: readFileSync(s['https-client-ca'])} : {}),
  })

  const startHttps = async (): Promise<string> => {
    const server = createHttpsServer({...tlsOptions(), requestCert: s['https-client-ca'] !== '', rejectUnauthorized: false}, app)
    server.keepAliveTimeout = 65_000
    const address = await listen(server, s['https-address'], s['https-port'])
    https = server
    addresses.push(`https://${address}`)
    for (const f of [s['https-cert'], s['https-key'], s['https-client-ca']].filter(Boolean)) {
      watched.push(f)
      watchFile(f, {interval: 5000, persistent: false}, () => {
        try {
          server.setSecureContext(tlsOptions())
          log.info('HTTPS certificate reloaded', {file: f})
        } catch (e) {
          log.error('HTTPS certificate reload failed; the previous one stays in use', {file: f, error: e as Error})
        }
      })
    }
    log.info('REST API listening (HTTPS)', {address, client_certificates: s['https-client-ca'] !== ''})
    return `https://${hostname()}:${s['https-port']}`
  }

  const onHttp = (req: IncomingMessage, res: ServerResponse): void => {
    const to = https ? httpsRedirect(req.url ?? '/', req.headers.host, s['https-port']) : undefined
    if (!to) return app(req, res)
    res.writeHead(302, {location: to, 'content-length': '0'}).end()
  }
  let http: Server | undefined
  if (s['rest-http']) {
    http = createServer(onHttp)
    http.keepAliveTimeout = 65_000
    const address = await listen(http, s['rest-address'], s['rest-port'])
    addresses.push(`http://${address}`)
    log.info('REST API listening (HTTP)', {address})
  }
  try {
    if (await exists(s['https-cert']) && await exists(s['https-key'])) await startHttps()
  } catch (e) {
    if (http) await close(http)
    throw e
  }
  if (!http && !https) throw new ConfigError(`HTTP is off (rest-http false) and there is no HTTPS certificate at ${s['https-cert']}: the REST API would be unreachable`)

  return {
    addresses,
    async autoHttps() {
      if (https) return `https://${hostname()}:${s['https-port']}`
      if (!(await exists(s['https-cert']))) {
        await issueCertificates(selfSignedPlan(s['https-cert'], s['https-key'], [hostname(), 'localhost', '127.0.0.1', '::1']), createRun(log))
        log.info('self-signed HTTPS certificate created', {certificate: s['https-cert']})
      }
      return startHttps()
    },
    async stop() {
      for (const f of watched) unwatchFile(f)
      await Promise.all([http, https].filter((x): x is Server | HttpsServer => x !== undefined).map((x) => close(x)))
    },
  }
}
