// Starts the satellite listener; it refuses to run without a cluster secret, since it would
// otherwise accept commands from anyone.
import {PING_PATH, SYNC_PATH, type DesiredState} from '../protocol/messages.ts'
import {createSatelliteServer, type SatelliteRoutes} from '../satellite/server.ts'
import {createSatellite} from '../satellite/satellite.ts'
import {createRun} from '../satellite/exec.ts'
import type {Settings} from '../common/config.ts'
import type {Logger} from '../common/log.ts'
import {readSecret} from './cluster-secret.ts'
import {close, listen} from './listen.ts'

export async function startSatellite(s: Settings, log: Logger): Promise<{address: string, stop(): Promise<void>}> {
  const secret = await readSecret(s['data-dir'], s['cluster-secret'])
  if (!secret) {
    throw new Error(`no cluster secret: set CAIRN_CLUSTER_SECRET, 'cluster_secret' in [satellite] of cairn.toml, or put the ` +
      `controller's secret (cairn controller join-secret) into ${s['data-dir']}/cluster-secret`)
  }
  const satellite = await createSatellite({run: createRun(log.child({module: 'exec'})), log})
  const routes: SatelliteRoutes = {
    [PING_PATH]: () => satellite.ping(),
    [SYNC_PATH]: (body) => satellite.sync(body as DesiredState),
  }
  const server = createSatelliteServer(routes, secret, log.child({module: 'satellite'}))
  const address = await listen(server, s['satellite-address'], s['satellite-port'])
  log.info('satellite listening', {address})
  return {address, stop: () => close(server)}
}
