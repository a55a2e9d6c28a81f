// Runs the daemon parts of one process (controller, satellite or both) until SIGTERM/SIGINT,
// then stops them in order: satellite link first, REST and satellite listeners, store last.
import {hostname} from 'node:os'
import {resolveSettings, type Settings} from '../common/config.ts'
import {createLogger, type Level} from '../common/log.ts'
import {notifyReady} from '../common/systemd.ts'
import {bootstrapCombined} from './combined-bootstrap.ts'
import {readConfigFile} from './config-file.ts'
import {startController} from './controller-service.ts'
import {startSatellite} from './satellite-service.ts'

export type Mode = 'combined' | 'controller' | 'satellite'

export async function runDaemon(mode: Mode, flags: Partial<Settings>, configPath: string | undefined): Promise<void> {
  const file = await readConfigFile(configPath ?? process.env.CAIRN_CONFIG)
  const {settings} = resolveSettings(flags, process.env, file, {hostname: hostname()})
  const log = createLogger({level: settings['log-level'] as Level, format: settings['log-format'] as 'text' | 'json'}, {mode})
  const stops: (() => Promise<void>)[] = []
  try {
    if (mode !== 'satellite') {
      // In combined mode the API answers at once, but /health waits for the local satellite.
      const ctrl = await startController(settings, log, new Set(mode === 'combined' ? ['satellite'] : []))
      stops.unshift(ctrl.stop)
      if (mode === 'combined') {
        const sat = await startSatellite(settings, log)
        stops.unshift(sat.stop)
        await bootstrapCombined(ctrl, settings, log)
        ctrl.pending.delete('satellite')
      }
    } else {
      const sat = await startSatellite(settings, log)
      stops.unshift(sat.stop)
    }
  } catch (e) {
    for (const stop of stops) await stop().catch(() => undefined)
    throw e
  }
  await notifyReady(`cairn ${mode} running`)
  log.info('ready', {pid: process.pid})
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string): void => {
      log.info('shutting down', {signal})
      void (async () => {
        for (const stop of stops) await stop().catch((e: Error) => log.error('stop failed', {error: e}))
        resolve()
      })()
    }
    process.once('SIGTERM', () => shutdown('SIGTERM'))
    process.once('SIGINT', () => shutdown('SIGINT'))
  })
}
