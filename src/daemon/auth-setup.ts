// Builds the REST API's authentication setup from the settings: the Basic user file (read at
// start, so a broken file stops the controller with its line number, and re-read when it
// changes) and whether client certificates are asked for. Verified Basic pairs are remembered
// for a few minutes: scrypt is slow on purpose, and clients send the header on every request.
import {createHash} from 'node:crypto'
import {readFileSync, unwatchFile, watchFile} from 'node:fs'
import {ConfigError, type Settings} from '../common/config.ts'
import type {Logger} from '../common/log.ts'
import type {Principal} from '../controller/auth/authentication.ts'
import {parseUsersFile, verifyPassword, type UserEntry} from '../controller/auth/users-file.ts'
import type {AuthSetup} from '../controller/rest/auth-gate.ts'

const REMEMBER_MS = 5 * 60_000

export function authSetup(s: Settings, log: Logger): AuthSetup & {stop(): void} {
  const file = s['users-file']
  const load = (): UserEntry[] => {
    try {
      return parseUsersFile(readFileSync(file, 'utf8'))
    } catch (e) {
      throw new ConfigError(`users file ${file}: ${(e as Error).message}`)
    }
  }
  let users = file ? load() : []
  const verified = new Map<string, {principal: Principal, at: number}>()
  if (file) {
    watchFile(file, {interval: 5000, persistent: false}, () => {
      try {
        users = load()
        verified.clear()
        log.info('users file reloaded', {file, users: users.length})
      } catch (e) {
        log.error('users file not reloaded; the previous users stay', {error: e as Error})
      }
    })
  }
  return {
    methods: {basic: file !== '', clientCertificates: s['https-client-ca'] !== ''},
    checkBasic(user, password) {
      const key = createHash('sha256').update(`${user}\0${password}`).digest('hex')
      const hit = verified.get(key)
      if (hit && Date.now() - hit.at < REMEMBER_MS) return hit.principal
      const entry = users.find((u) => u.name === user)
      if (!entry || !verifyPassword(password, entry.hash)) return undefined
      const principal: Principal = {kind: 'user', name: `user ${user}`, readOnly: entry.readOnly}
      verified.set(key, {principal, at: Date.now()})
      return principal
    },
    stop: () => {
      if (file) unwatchFile(file)
    },
  }
}
