// Secrets out of diagnostics (`sos-report`): structured values lose every field whose name looks
// secret, text loses `key=value` secrets, DRBD shared secrets and private keys, and every known
// secret value wherever it appears. Reports leave the cluster, so each layer assumes the one
// before it missed something. Pure.
import {settingNames, type Settings} from './config.ts'
import {isSecretName} from './log.ts'

export const REDACTED = '<redacted>'

/**
 * Field names that hold secret material without saying so: token hashes, wrapped keys and their
 * KDF inputs, sealed remote credentials, LUKS keys.
 */
const SECRET_FIELDS = new Set(['hash', 'salt', 'verifier', 'wrappedkey', 'luksKey', 'accesskey', 'access_key'].map((k) => k.toLowerCase()))

const secretField = (k: string): boolean => isSecretName(k) || SECRET_FIELDS.has(k.toLowerCase())

/** A copy with every secret-looking field's value (booleans and null aside: flags such as isUserToken) replaced. */
export function redactDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactDeep)
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) =>
    [k, secretField(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : redactDeep(v)]))
}

/** Every string held in a secret-looking field, however deep: what redactText must then find anywhere. */
export function secretValues(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) secretValues(v, out)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (secretField(k) && typeof v === 'string') out.push(v)
      else if (secretField(k) && v && typeof v === 'object') out.push(...leaves(v))
      else secretValues(v, out)
    }
  }
  return out
}

const leaves = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(leaves) : []

/** The settings as resolved, secrets replaced; an empty secret stays empty (it tells that none is set). */
export function redactedSettings(s: Settings): Record<string, unknown> {
  const flagged = new Set<string>(settingNames)
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, (!flagged.has(k) || isSecretName(k)) && v !== '' ? REDACTED : v]))
}

/** Known secrets shorter than this are not searched for: replacing every "abc" would garble the report. */
export const MIN_KNOWN_SECRET = 6

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const PEM_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g
/** DRBD's `shared-secret "x";` in .res files and `drbdadm dump`. */
const DRBD_SECRET = /(shared-secret\s+)("[^"\n]*"|[^\s;]+)/g
/**
 * `name=value`, `name: value`, `"name": "value"` where the name looks secret (incoming_password=
 * of the gateway's OCF agents, cluster_secret = "..." in cairn.toml, Authorization: headers).
 * Booleans, null, empty values and nested structures are left alone.
 */
const KEY_VALUE = /\b([\w.-]*(?:secret|passphrase|password|passwd|token|authorization)[\w.-]*)(["']?[ \t]*[=:][ \t]*)((?:Bearer|Basic)[ \t]+[^\s,;"']+|"[^"\n]*"|'[^'\n]*'|[^\s,;{}[\]"']+)/gi

function quoted(value: string): string {
  const q = value[0]
  return q === '"' || q === "'" ? `${q}${REDACTED}${q}` : REDACTED
}

export function redactText(text: string, known: readonly string[] = []): string {
  let out = text
  // Longest first: a secret that contains another is replaced whole.
  for (const s of [...new Set(known)].filter((k) => k.length >= MIN_KNOWN_SECRET).sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(escape(s), 'g'), REDACTED)
  }
  return out
    .replace(PEM_KEY, `-----BEGIN $1PRIVATE KEY-----\n${REDACTED}\n-----END $1PRIVATE KEY-----`)
    .replace(DRBD_SECRET, (_m, head: string, v: string) => head + quoted(v))
    .replace(KEY_VALUE, (m, key: string, sep: string, v: string) =>
      /^(true|false|null|""|'')$/i.test(v) || v.includes(REDACTED) ? m : key + sep + quoted(v))
}
