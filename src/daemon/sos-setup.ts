// What the controller's sos-report needs from the daemon: the report directory under the data
// dir, the settings, the controller host's commands, and the secrets held outside the state.
import {join} from 'node:path'
import type {Settings} from '../common/config.ts'
import type {Logger} from '../common/log.ts'
import type {SosSetup} from '../controller/reports/sos-collect.ts'
import {createRun} from '../satellite/exec.ts'
import {realSosHost} from '../satellite/sos.ts'
import {readSecret} from './cluster-secret.ts'

/** `secret` is the cluster secret at start; the file is read again, since a rotation replaces it. */
export const sosSetup = (s: Settings, log: Logger, secret: string): SosSetup => ({
  dir: join(s['data-dir'], 'sos'), settings: s, host: realSosHost(createRun(log.child({module: 'exec'}))),
  secrets: async () => [secret, await readSecret(s['data-dir'], s['cluster-secret']), s['master-passphrase']],
})
