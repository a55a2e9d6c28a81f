// Starts the satellite listener; it refuses to run without a cluster secret, since it would
// otherwise accept commands from anyone.
import {PING_PATH, PROTOCOL_VERSION, SYNC_PATH, type DesiredState} from '../protocol/messages.ts'
import {accepted, SECRET_PATH, type SecretReply, type SecretRequest, type SecretRing} from '../protocol/secret-rotation.ts'
import {openLinkSecrets, unseal} from '../protocol/link-seal.ts'
import {createSatelliteServer, type SatelliteRoutes} from '../satellite/server.ts'
import {createSatellite} from '../satellite/satellite.ts'
import {parseAllowList} from '../satellite/ext-files.ts'
import {physicalStorageRoutes} from '../satellite/device-pool.ts'
import {realSosHost, sosRoutes} from '../satellite/sos.ts'
import {createRun} from '../satellite/exec.ts'
import type {Settings} from '../common/config.ts'
import type {Logger} from '../common/log.ts'
import {commitStagedSecret, readSecret, readStagedSecret, stageSecret} from './cluster-secret.ts'
import {createServer as createTlsServer} from 'node:tls'
import {tlsServerOptions} from '../protocol/link-tls.ts'
import {close, listen} from './listen.ts'

function keepPattern(raw: string): RegExp | undefined {
  if (!raw) return undefined
  try {
    return new RegExp(raw)
  } catch (e) {
    throw new Error(`--keep-res: '${raw}' is not a regular expression: ${(e as Error).message}`)
  }
}

/** The satellite's half of a cluster secret rotation (see protocol/secret-rotation.ts). */
async function rotate(ring: SecretRing, req: SecretRequest, s: Settings, log: Logger): Promise<SecretReply> {
  if (s['cluster-secret']) {
    return {protocol: PROTOCOL_VERSION, error: 'this satellite takes its cluster secret from its configuration (CAIRN_CLUSTER_SECRET or cairn.toml); change it there'}
  }
  if (req.op === 'stage') {
    const next = unseal(req.sealed, ring.current, 'cluster secret rotation')
    await stageSecret(s['data-dir'], next)
    ring.staged = next
    log.info('new cluster secret staged; both are accepted until the controller commits it')
  } else if (ring.staged) {
    await commitStagedSecret(s['data-dir'])
    ring.current = ring.staged
    ring.staged = undefined
    log.info('cluster secret rotated; the old one is no longer accepted')
  }
  return {protocol: PROTOCOL_VERSION}
}

/** Calls `done` after each request but pings (the controller's, every few seconds, which do next to nothing). */
function afterWork(routes: SatelliteRoutes, done: () => void): SatelliteRoutes {
  return Object.fromEntries(Object.entries(routes).map(([path, route]) => [path, path === PING_PATH ? route : async (body: unknown) => {
    try {
      return await route(body)
    } finally {
      done()
    }
  }]))
}

/** `onWork` hears of each request that did some work (run-daemon.ts trims memory once they stop). */
export async function startSatellite(s: Settings, log: Logger, onWork: () => void = () => undefined): Promise<{address: string, stop(): Promise<void>}> {
  const secret = await readSecret(s['data-dir'], s['cluster-secret'])
  if (!secret) {
    throw new Error(`no cluster secret: set CAIRN_CLUSTER_SECRET, 'cluster_secret' in [satellite] of cairn.toml, or put the ` +
      `controller's secret (cairn controller join-secret) into ${s['data-dir']}/cluster-secret`)
  }
  const satellite = await createSatellite({run: createRun(log.child({module: 'exec'})), log,
    extFiles: {allowed: parseAllowList(s['allow-ext-files']), root: s['ext-files-root']}, keepResources: keepPattern(s['keep-res'])})
  const ring: SecretRing = {current: secret, staged: s['cluster-secret'] ? undefined : await readStagedSecret(s['data-dir'])}
  const routes: SatelliteRoutes = {
    [SECRET_PATH]: (body) => rotate(ring, body as SecretRequest, s, log),
    [PING_PATH]: () => satellite.ping(),
    [SYNC_PATH]: (body) => satellite.sync(openLinkSecrets(body as DesiredState, accepted(ring))),
    ...physicalStorageRoutes(createRun(log.child({module: 'exec'}))),
    ...sosRoutes({host: realSosHost(createRun(log.child({module: 'exec'}))), settings: s, secrets: () => [ring.current, ring.staged]}),
  }
  const server = createSatelliteServer(afterWork(routes, onWork), () => accepted(ring), log.child({module: 'satellite'}))
  const address = await listen(server, s['satellite-address'], s['satellite-port'])
  log.info('satellite listening', {address})
  // The TLS listener hands its decrypted connections to the same HTTP server.
  const tlsServer = s['satellite-tls-port'] ? createTlsServer(tlsServerOptions(() => accepted(ring)), (socket) => server.emit('connection', socket)) : undefined
  if (tlsServer) {
    tlsServer.on('tlsClientError', (e) => log.warn('refused a TLS connection', {reason: e.message}))
    log.info('satellite listening (TLS-PSK)', {address: await listen(tlsServer, s['satellite-address'], s['satellite-tls-port'])})
  }
  return {address, stop: async () => {
    satellite.close()
    if (tlsServer) await close(tlsServer)
    await close(server)
  }}
}
