// One controller and N satellites as separate processes on 127.0.0.2, .3, …, each with its own
// data directory and a FILE_THIN pool `thin` in it, registered and ONLINE when this resolves.
import {randomBytes} from 'node:crypto'
import {join} from 'node:path'
import {api, cleanup, freePort, startDaemon, tempDir, waitFor, waitHealthy, type Daemon} from './cluster.ts'

export interface LoopbackSatellite {name: string, address: string, port: number, dir: string, args: string[], daemon: Daemon}

export interface LoopbackCluster {
  base: string
  ctrlDir: string
  ctrlArgs: string[]
  ctrl: Daemon
  env: Record<string, string>
  sats: LoopbackSatellite[]
  poolDir(s: LoopbackSatellite): string
  startSatellite(s: LoopbackSatellite): Daemon
  /** Kills every process and removes the directories (and their loop devices). */
  stop(): Promise<void>
}

export interface LoopbackOptions {
  satellites?: number
  /** Node names; default node1, node2, … */
  prefix?: string
  /** Extra satellite arguments, given its index and data directory. */
  satelliteArgs?: (i: number, dir: string) => string[]
  /** Directory prefix for tempDir. */
  tmpPrefix?: string
}

export async function startLoopbackCluster(opts: LoopbackOptions = {}): Promise<LoopbackCluster> {
  const env = {CAIRN_CLUSTER_SECRET: randomBytes(24).toString('base64url')}
  const ctrlDir = await tempDir(opts.tmpPrefix)
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const ctrlArgs = ['controller', '--data-dir', ctrlDir, '--rest-address', '127.0.0.1', '--rest-port', String(port)]
  const sats: LoopbackSatellite[] = []
  const cluster: LoopbackCluster = {
    base, ctrlDir, ctrlArgs, env, sats,
    ctrl: startDaemon(ctrlArgs, env),
    poolDir: (s) => join(s.dir, 'thin'),
    startSatellite: (s) => startDaemon(s.args, env),
    async stop() {
      for (const s of sats) await s.daemon.stop('SIGKILL')
      await cluster.ctrl.stop('SIGKILL')
      for (const d of [ctrlDir, ...sats.map((s) => s.dir)]) await cleanup(d)
    },
  }
  try {
    for (let i = 0; i < (opts.satellites ?? 3); i++) {
      const address = `127.0.0.${i + 2}`
      const dir = await tempDir(opts.tmpPrefix)
      const satPort = await freePort(address)
      const args = ['satellite', '--data-dir', dir, '--satellite-address', address, '--satellite-port', String(satPort), ...(opts.satelliteArgs?.(i, dir) ?? [])]
      const s = {name: `${opts.prefix ?? 'node'}${i + 1}`, address, port: satPort, dir, args} as LoopbackSatellite
      s.daemon = cluster.startSatellite(s)
      sats.push(s)
    }
    await waitHealthy(base)
    for (const s of sats) {
      const node = await api(base, 'POST', '/v1/nodes', {name: s.name, type: 'SATELLITE', net_interfaces: [{name: 'default', address: s.address, satellite_port: s.port}]})
      if (node.status !== 201) throw new Error(`node create ${s.name}: ${node.text}`)
      const pool = await api(base, 'POST', `/v1/nodes/${s.name}/storage-pools`,
        {storage_pool_name: 'thin', provider_kind: 'FILE_THIN', props: {'StorDriver/FileDir': cluster.poolDir(s)}})
      if (pool.status !== 201) throw new Error(`pool create ${s.name}: ${pool.text}`)
    }
    await waitFor('satellites online', async () =>
      (((await api(base, 'GET', '/v1/nodes')).body as {connection_status: string}[]).every((n) => n.connection_status === 'ONLINE') ? true : undefined), 30_000)
  } catch (e) {
    await cluster.stop()
    throw e
  }
  return cluster
}
