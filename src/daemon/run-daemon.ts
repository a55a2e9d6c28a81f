// Runs the daemon parts of one process (controller, satellite or both) until SIGTERM/SIGINT,
// then stops them in order: satellite link first, REST and satellite listeners, store last.
import {hostname} from 'node:os'
import {setFlagsFromString} from 'node:v8'
import {resolveSettings, type Settings} from '../common/config.ts'
import {createLogger, type Level} from '../common/log.ts'
import {notifyReady} from '../common/systemd.ts'
import {readConfigFile} from './config-file.ts'
import {compactingGc, idleTrimmer} from './idle-trim.ts'

export type Mode = 'combined' | 'controller' | 'satellite'

/**
 * V8 flags of a satellite-only process (issue 4: idle RSS). A satellite's JavaScript work comes
 * in small bursts (a sync, a few commands) and should hold little memory between them: V8 would
 * grow the young generation to 64 MB under a burst and keep it; pinned at its initial 2 MB a burst
 * costs a few more short scavenges. --optimize-for-size grows the old generation less and lets
 * the memory reducer collect after a burst. The satellite's JavaScript never runs long enough to
 * pay for compiling it (it waits for commands and child processes), so it stays in the
 * interpreter: without Sparkplug, Maglev and TurboFan no compiler threads fill malloc arenas, no
 * machine code fills pages, and the compilers' megabytes of the binary are never paged in (the
 * spawn figures of test/bench/satellites.ts stay the same). V8 reads these flags when it decides,
 * so setting them after start-up works (test/unit/satellite-v8-flags.test.ts checks that);
 * start-up flags such as --jitless would need NODE_OPTIONS or the SEA's execArgv, shared with the
 * controller. Set only once the bundle is compiled: V8 would reject the binary's code cache for
 * other flags.
 */
export const SATELLITE_V8_FLAGS = '--semi-space-growth-factor=1 --optimize-for-size --no-sparkplug --no-maglev --no-turbofan'

/** How long a satellite-only process waits after its last request before it trims its heap (idle-trim.ts). */
export const SATELLITE_IDLE_MS = 1000

export async function runDaemon(mode: Mode, flags: Partial<Record<keyof Settings, string | number>>, configPath: string | undefined): Promise<void> {
  const file = await readConfigFile(configPath ?? process.env.CAIRN_CONFIG)
  const {settings} = resolveSettings(flags, process.env, file, {hostname: hostname()})
  const log = createLogger({level: settings['log-level'] as Level, format: settings['log-format'] as 'text' | 'json'}, {mode})
  const stops: (() => Promise<void>)[] = []
  // Listening for signals before anything starts: a stop that arrives while the parts start up
  // (the REST API already answers /health) waits for them and then stops them in order.
  const signalled = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
  try {
    // Each part loads only what it runs: a satellite never loads the REST API or the store.
    if (mode !== 'satellite') {
      const {startController} = await import('./controller-service.ts')
      // In combined mode the API answers at once, but /health waits for the local satellite.
      const ctrl = await startController(settings, log, new Set(mode === 'combined' ? ['satellite'] : []))
      stops.unshift(ctrl.stop)
      if (mode === 'combined') {
        const {bootstrapCombined} = await import('./combined-bootstrap.ts')
        stops.unshift((await (await import('./satellite-service.ts')).startSatellite(settings, log)).stop)
        await bootstrapCombined(ctrl, settings, log)
        ctrl.pending.delete('satellite')
      }
    } else {
      setFlagsFromString(SATELLITE_V8_FLAGS)
      const trim = idleTrimmer(compactingGc(), SATELLITE_IDLE_MS)
      stops.unshift((await (await import('./satellite-service.ts')).startSatellite(settings, log, trim.busy)).stop)
    }
  } catch (e) {
    for (const stop of stops) await stop().catch(() => undefined)
    throw e
  }
  await notifyReady(`cairn ${mode} running`)
  log.info('ready', {pid: process.pid})
  const signal = await signalled
  log.info('shutting down', {signal})
  for (const stop of stops) await stop().catch((e: Error) => log.error('stop failed', {error: e}))
}
