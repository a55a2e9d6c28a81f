// The local user file for HTTP Basic authentication: one user per line,
// `name:scrypt$<N>$<r>$<p>$<salt>$<hash>[:read-only]`, comments with `#`. scrypt because a stolen
// file must not give the passwords away cheaply; its cost parameters are in each line so they can
// be raised later without invalidating old entries.
import {randomBytes, scryptSync, timingSafeEqual} from 'node:crypto'

export interface UserEntry {name: string, hash: string, readOnly: boolean}

const COST = {N: 16384, r: 8, p: 1}
/** Login names as Linux and LDAP allow them; never a colon, which separates the fields. */
export const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.@-]{0,63}$/
const KEY_LEN = 32

export function hashPassword(password: string, salt = randomBytes(16)): string {
  const key = scryptSync(password, salt, KEY_LEN, COST)
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

export function verifyPassword(password: string, hash: string): boolean {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(hash)
  if (!m) return false
  const want = Buffer.from(m[5] as string, 'base64')
  const got = scryptSync(password, Buffer.from(m[4] as string, 'base64'), want.length,
    {N: Number(m[1]), r: Number(m[2]), p: Number(m[3]), maxmem: 256 * Number(m[1]) * Number(m[2])})
  return got.length === want.length && timingSafeEqual(got, want)
}

/** Parses the file; a malformed line is an error naming its number, so a typo cannot lock a user out silently. */
export function parseUsersFile(text: string): UserEntry[] {
  const users: UserEntry[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const [name = '', hash = '', flag, ...rest] = line.split(':')
    if (!USER_NAME.test(name) || !hash.startsWith('scrypt$') || rest.length || (flag !== undefined && flag !== 'read-only')) {
      throw new Error(`line ${i + 1}: expected 'name:scrypt$…[:read-only]' (make entries with 'cairn controller user add')`)
    }
    users.push({name, hash, readOnly: flag === 'read-only'})
  })
  return users
}

export const formatUserLine = (u: UserEntry): string => `${u.name}:${u.hash}${u.readOnly ? ':read-only' : ''}`

/** The file's text with `user` added or replacing the entry of the same name; other lines kept as they are. */
export function upsertUser(text: string, user: UserEntry): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n')
  const at = lines.findIndex((l) => l.trim().split(':')[0] === user.name)
  if (at >= 0) lines[at] = formatUserLine(user)
  else lines.push(formatUserLine(user))
  return lines.join('\n') + '\n'
}
