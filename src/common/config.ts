// Settings: flags, then environment variables, then /etc/cairn/cairn.toml, then defaults — the
// first that sets a value wins. Pure: the caller passes in the flags, the environment and the
// parsed file, and gets back every value with where it came from.
import type {TomlTable, TomlValue} from './toml.ts'

type Kind = 'string' | 'port' | 'enum' | 'int' | 'list' | 'bool'

interface SettingDef {
  /** Flag name without dashes; also the key of the result. */
  flag: string
  env: string
  /** Dotted path in cairn.toml. */
  toml: string
  kind: Kind
  choices?: readonly string[]
  describe: string
  /**
   * A secret: no command-line flag (every user of the host can read argv), and the config file
   * wins over the environment (LINSTOR reads [encrypt] passphrase before MASTER_PASSPHRASE).
   */
  secret?: boolean
  /** Default, computed from the settings resolved before this one. */
  dflt: (s: Partial<Settings>, host: HostFacts) => string | number | boolean
}

export interface HostFacts {hostname: string}

export interface Settings {
  'data-dir': string
  'node-name': string
  'rest-address': string
  'rest-port': number
  'rest-http': boolean
  'https-address': string
  'https-port': number
  'https-cert': string
  'https-key': string
  'https-client-ca': string
  'users-file': string
  'satellite-address': string
  'satellite-port': number
  'satellite-tls-port': number
  'default-pool-dir': string
  'cluster-secret': string
  /** Comma-separated directories. */
  'allow-ext-files': string
  'ext-files-root': string
  'keep-res': string
  'log-level': string
  'log-format': string
  /** The master passphrase for automatic unlock at start; '' when none is configured. */
  'master-passphrase': string
}

export type Source = 'flag' | 'env' | 'file' | 'default'

const defs: readonly SettingDef[] = [
  {flag: 'data-dir', env: 'CAIRN_DATA_DIR', toml: 'data_dir', kind: 'string', describe: 'state directory (database, journal, secrets)',
    dflt: () => '/var/lib/cairn'},
  {flag: 'node-name', env: 'CAIRN_NODE_NAME', toml: 'node_name', kind: 'string', describe: 'name of this host as a LINSTOR node',
    dflt: (_s, h) => h.hostname},
  {flag: 'rest-address', env: 'CAIRN_REST_ADDRESS', toml: 'controller.rest_address', kind: 'string',
    describe: 'address the REST API listens on', dflt: () => '::'},
  {flag: 'rest-port', env: 'CAIRN_REST_PORT', toml: 'controller.rest_port', kind: 'port', describe: 'REST API port (HTTP)',
    dflt: () => 3370},
  {flag: 'rest-http', env: 'CAIRN_REST_HTTP', toml: 'http.enabled', kind: 'bool',
    describe: 'serve the REST API over plain HTTP; while HTTPS is on, HTTP redirects /v1 requests to it as LINSTOR does', dflt: () => true},
  {flag: 'https-address', env: 'CAIRN_HTTPS_ADDRESS', toml: 'https.listen_addr', kind: 'string',
    describe: 'address the HTTPS REST API listens on (default: the REST address)', dflt: (s) => s['rest-address'] ?? '::'},
  {flag: 'https-port', env: 'CAIRN_HTTPS_PORT', toml: 'https.port', kind: 'port', describe: 'REST API port (HTTPS)', dflt: () => 3371},
  {flag: 'https-cert', env: 'CAIRN_HTTPS_CERT', toml: 'https.certificate', kind: 'string',
    describe: 'PEM certificate (chain) of the HTTPS REST API; HTTPS is on when it and its key exist (cairn controller certs create writes them)',
    dflt: (s) => `${s['data-dir']}/tls/server.pem`},
  {flag: 'https-key', env: 'CAIRN_HTTPS_KEY', toml: 'https.private_key', kind: 'string', describe: 'PEM private key of the HTTPS certificate',
    dflt: (s) => `${s['data-dir']}/tls/server-key.pem`},
  {flag: 'https-client-ca', env: 'CAIRN_HTTPS_CLIENT_CA', toml: 'https.client_ca', kind: 'string',
    describe: 'PEM CA whose client certificates authenticate REST callers; setting it makes authentication required', dflt: () => ''},
  {flag: 'users-file', env: 'CAIRN_USERS_FILE', toml: 'auth.users_file', kind: 'string',
    describe: 'user file for HTTP Basic authentication (cairn controller user add); setting it makes authentication required', dflt: () => ''},
  {flag: 'satellite-address', env: 'CAIRN_SATELLITE_ADDRESS', toml: 'satellite.address', kind: 'string',
    describe: 'address the satellite listens on', dflt: () => '::'},
  {flag: 'satellite-port', env: 'CAIRN_SATELLITE_PORT', toml: 'satellite.port', kind: 'port', describe: 'satellite port',
    dflt: () => 3366},
  {flag: 'satellite-tls-port', env: 'CAIRN_SATELLITE_TLS_PORT', toml: 'satellite.tls_port', kind: 'port',
    describe: 'satellite TLS port (TLS-PSK keyed by the cluster secret; 0 = off, 3367 is LINSTOR\'s)', dflt: () => 0},
  {flag: 'default-pool-dir', env: 'CAIRN_DEFAULT_POOL_DIR', toml: 'combined.default_pool_dir', kind: 'string',
    describe: 'directory backing the default FILE_THIN pool of combined mode', dflt: (s) => `${s['data-dir']}/pools/default`},
  {flag: 'cluster-secret', env: 'CAIRN_CLUSTER_SECRET', toml: 'satellite.cluster_secret', kind: 'string',
    describe: 'shared secret that authenticates the controller to satellites (default: <data-dir>/cluster-secret)', dflt: () => ''},
  {flag: 'allow-ext-files', env: 'CAIRN_ALLOW_EXT_FILES', toml: 'files.allowExtFiles', kind: 'list',
    describe: 'directories (comma-separated) under which the satellite writes external files, e.g. /etc/drbd-reactor.d; none by default',
    dflt: () => ''},
  {flag: 'ext-files-root', env: 'CAIRN_EXT_FILES_ROOT', toml: 'files.root', kind: 'string',
    describe: 'directory that external file paths are relative to (/ on a host; another directory for a container or a test)', dflt: () => '/'},
  {flag: 'keep-res', env: 'CAIRN_KEEP_RES', toml: 'satellite.keep_res', kind: 'string',
    describe: 'regular expression of DRBD resources the satellite keeps even when its controller does not know them (LINSTOR\'s LS_KEEP_RES); the HA controller database by default',
    dflt: () => '^linstor_db$'},
  {flag: 'log-level', env: 'CAIRN_LOG_LEVEL', toml: 'logging.level', kind: 'enum', choices: ['error', 'warn', 'info', 'debug'],
    describe: 'log level', dflt: () => 'info'},
  {flag: 'log-format', env: 'CAIRN_LOG_FORMAT', toml: 'logging.format', kind: 'enum', choices: ['text', 'json'],
    describe: 'log format', dflt: () => 'text'},
  {flag: 'master-passphrase', env: 'MASTER_PASSPHRASE', toml: 'encrypt.passphrase', kind: 'string', secret: true,
    describe: 'master passphrase the controller creates or enters at start', dflt: () => ''},
]

/** Settings that have a command-line flag: all but the secrets. */
export const settingNames = defs.filter((d) => !d.secret).map((d) => d.flag) as readonly (keyof Settings)[]
export const describeSetting = (flag: keyof Settings): string => defs.find((d) => d.flag === flag)?.describe ?? ''

export interface Resolved {settings: Settings, sources: Record<keyof Settings, Source>}

export class ConfigError extends Error {}

export function resolveSettings(
  flags: Partial<Record<keyof Settings, string | number | boolean | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
  file: TomlTable,
  host: HostFacts,
): Resolved {
  const settings: Partial<Settings> = {}
  const sources: Partial<Record<keyof Settings, Source>> = {}
  for (const def of defs) {
    const key = def.flag as keyof Settings
    const fromFile = lookup(file, def.toml)
    const fromEnv = env[def.env] === '' ? undefined : env[def.env]
    const candidates: [Source, unknown][] = def.secret ? [['file', fromFile], ['env', fromEnv]]
      : [['flag', flags[key]], ['env', fromEnv], ['file', fromFile]]
    const hit = candidates.find(([, v]) => v !== undefined)
    const [source, raw] = hit ?? ['default', def.dflt(settings, host)]
    ;(settings as Record<string, unknown>)[key] = coerce(def, raw, source)
    sources[key] = source
  }
  return {settings: settings as Settings, sources: sources as Record<keyof Settings, Source>}
}

function lookup(table: TomlTable, path: string): TomlValue | undefined {
  let v: TomlValue | undefined = table
  for (const p of path.split('.')) {
    if (v === undefined || typeof v !== 'object' || Array.isArray(v)) return undefined
    v = v[p]
  }
  return v
}

function coerce(def: SettingDef, raw: unknown, source: Source): string | number | boolean {
  const where = source === 'flag' ? `--${def.flag}` : source === 'env' ? def.env : source === 'file' ? `'${def.toml}' in the config file` : def.flag
  if (def.kind === 'port' || def.kind === 'int') {
    const n = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : NaN
    const max = def.kind === 'port' ? 65535 : Number.MAX_SAFE_INTEGER
    if (!Number.isInteger(n) || n < 0 || n > max) throw new ConfigError(`${where}: '${String(raw)}' is not a valid ${def.kind}`)
    return n
  }
  if (def.kind === 'bool') {
    const b = typeof raw === 'boolean' ? raw : /^(true|yes|on|1)$/i.test(String(raw)) ? true : /^(false|no|off|0)$/i.test(String(raw)) ? false : undefined
    if (b === undefined) throw new ConfigError(`${where}: '${String(raw)}' is not true or false`)
    return b
  }
  if (def.kind === 'list') {
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined
    if (!list || list.some((x) => typeof x !== 'string')) throw new ConfigError(`${where}: expected a list of strings, got ${JSON.stringify(raw)}`)
    return (list as string[]).map((x) => x.trim()).filter(Boolean).join(',')
  }
  if (typeof raw !== 'string') throw new ConfigError(`${where}: expected a string, got ${JSON.stringify(raw)}`)
  if (def.kind === 'enum' && !def.choices?.includes(raw.toLowerCase())) {
    throw new ConfigError(`${where}: '${raw}' is not one of ${def.choices?.join(', ')}`)
  }
  return def.kind === 'enum' ? raw.toLowerCase() : raw
}
