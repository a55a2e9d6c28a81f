// How a client reaches the controller: which URLs, which TLS material, which credentials. The
// sources are the linstor client's and golinstor's, so existing setups keep working: flags, then
// the environment (LS_CONTROLLERS, LS_USERNAME/LS_PASSWORD, LS_BEARER_TOKEN[_FILE],
// LS_ROOT_CA[_FILE], LS_USER_CERTIFICATE[_FILE], LS_USER_KEY[_FILE]), then the [global] section
// of /etc/cairn/client.conf and /etc/linstor/linstor-client.conf, then the token in
// /var/lib/linstor.d/auth.json. Pure: the caller reads the files and passes their text in.
import type {ConnectionOptions} from 'node:tls'

export interface ConnectionInputs {
  flags: {controllers?: string, certfile?: string, keyfile?: string, cafile?: string, user?: string, password?: string, 'allow-insecure-auth'?: boolean}
  env: Readonly<Record<string, string | undefined>>
  /** Client config files, most specific first, as text. */
  confFiles: readonly string[]
  /** Reads a file named by a setting (certificates, token files); throws when it cannot. */
  readFile(path: string): string
  /** The text of /var/lib/linstor.d/auth.json, when it exists. */
  authJson?: string
}

export interface Connection {
  urls: string[]
  tls?: ConnectionOptions
  authorization?: string
}

/** `[global]` key=value pairs of an INI file (the linstor client's configparser format). */
export function globalSection(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  let section = ''
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const head = /^\[(.+)\]$/.exec(line)
    if (head) section = (head[1] as string).trim().toLowerCase()
    else if (section === 'global') {
      const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line)
      if (m) out[(m[1] as string).toLowerCase()] ??= m[2] as string
    }
  }
  return out
}

/**
 * One controller spec → a base URL. `host`, `host:port` and `[v6]:port` are HTTP on 3370;
 * `linstor+ssl://host` and `https://host` are HTTPS on 3371; `linstor://` is HTTP.
 */
export function controllerUrl(spec: string): string {
  const s = spec.trim() || 'localhost'
  const m = /^(https?|linstor(?:\+ssl)?):\/\/(.*)$/.exec(s)
  const tls = m ? m[1] === 'https' || m[1] === 'linstor+ssl' : false
  const rest = (m ? m[2] as string : s).replace(/\/+$/, '')
  const hostPort = /^(\[[^\]]+\]|[^:/]+)(?::(\d+))?(\/.*)?$/.exec(rest)
  if (!hostPort) {
    const bare = rest.includes(':') && !rest.startsWith('[') ? `[${rest}]` : rest
    return `${tls ? 'https' : 'http'}://${bare}:${tls ? 3371 : 3370}`
  }
  return `${tls ? 'https' : 'http'}://${hostPort[1]}:${hostPort[2] ?? (tls ? 3371 : 3370)}${hostPort[3] ?? ''}`
}

/** Every controller of a comma-separated list, in order: the client tries them until one answers. */
export const controllerUrls = (specs: string): string[] => specs.split(',').map((x) => x.trim()).filter(Boolean).map(controllerUrl)

export class ConnectionSetupError extends Error {}

export function resolveConnection(i: ConnectionInputs): Connection {
  const conf = Object.assign({}, ...[...i.confFiles].reverse().map(globalSection)) as Record<string, string | undefined>
  const env = (k: string): string | undefined => i.env[k] || undefined
  // A PEM given inline (LS_ROOT_CA) or as a file (LS_ROOT_CA_FILE, --cafile, cafile=).
  const pem = (flag: string | undefined, envName: string, confKey: string): string | undefined => {
    const file = flag ?? env(`${envName}_FILE`) ?? conf[confKey]
    return env(envName) ?? (file ? i.readFile(file) : undefined)
  }
  const urls = controllerUrls(i.flags.controllers ?? env('LS_CONTROLLERS') ?? conf.controllers ?? 'localhost')
  const ca = pem(i.flags.cafile, 'LS_ROOT_CA', 'cafile')
  const cert = pem(i.flags.certfile, 'LS_USER_CERTIFICATE', 'certfile')
  const key = pem(i.flags.keyfile, 'LS_USER_KEY', 'keyfile') ?? (cert?.includes('PRIVATE KEY') ? cert : undefined)
  const tls = ca || cert ? {...(ca ? {ca} : {}), ...(cert ? {cert, key} : {})} : undefined

  const user = i.flags.user ?? env('LS_USERNAME') ?? conf.user
  let authorization: string | undefined
  if (user) {
    const password = i.flags.password ?? env('LS_PASSWORD') ?? conf.password
    if (password === undefined) throw new ConnectionSetupError(`no password for user '${user}': give --password or LS_PASSWORD`)
    if (urls.some((u) => u.startsWith('http:')) && !i.flags['allow-insecure-auth']) {
      throw new ConnectionSetupError('refusing to send a password over plain HTTP; use an https:// or linstor+ssl:// controller, or --allow-insecure-auth')
    }
    authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
  } else {
    const tokenFile = env('LS_BEARER_TOKEN_FILE')
    const token = env('LS_BEARER_TOKEN') ?? (tokenFile ? tokenOf(i.readFile(tokenFile)) : i.authJson ? tokenOf(i.authJson, true) : undefined)
    if (token) authorization = `Bearer ${token}`
  }
  return {urls, ...(tls ? {tls} : {}), ...(authorization ? {authorization} : {})}
}

/** A token file holds the bare token, or LINSTOR's auth.json `{"token": "…"}` (the only form `jsonOnly` accepts). */
export function tokenOf(text: string, jsonOnly = false): string | undefined {
  const t = text.trim()
  if (!t.startsWith('{')) return jsonOnly ? undefined : t || undefined
  try {
    const token = (JSON.parse(t) as {token?: unknown}).token
    return typeof token === 'string' && token ? token : undefined
  } catch {
    return undefined
  }
}
