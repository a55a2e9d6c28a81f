// LINSTOR's name rules. Names are case-insensitive and case-preserving: the key is the
// upper-cased name, the display value is what the user typed.

export type NameKind = 'node' | 'resource' | 'resource group' | 'storage pool' | 'snapshot' | 'net interface' | 'key-value store'

interface NameRule {min: number, max: number, first: string, inner: string}

// From LINSTOR's generic name check: letters anywhere, digits after the first character,
// plus the listed extra characters; at least one ASCII letter.
const rules: Record<Exclude<NameKind, 'node'>, NameRule> = {
  'resource': {min: 2, max: 48, first: '_', inner: '_-'},
  'resource group': {min: 2, max: 48, first: '_', inner: '_-'},
  'storage pool': {min: 3, max: 48, first: '_', inner: '_-'},
  'snapshot': {min: 2, max: 48, first: '_', inner: '_-'},
  'net interface': {min: 2, max: 20, first: '_', inner: '_-'},
  'key-value store': {min: 2, max: 48, first: '_', inner: '_-/.'},
}

const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
const isDigit = (c: string): boolean => c >= '0' && c <= '9'

/** Returns why `name` is not a valid name of this kind, or undefined when it is valid. */
export function nameProblem(kind: NameKind, name: unknown): string | undefined {
  if (typeof name !== 'string') return `The ${kind} name must be a string`
  if (kind === 'node') return hostnameProblem(name)
  const rule = rules[kind]
  // Length is counted in bytes, as LINSTOR does; non-ASCII is refused below anyway.
  const len = Buffer.byteLength(name)
  if (len < rule.min) return `Name length ${len} is less than minimum length ${rule.min}`
  if (len > rule.max) return `Name length ${len} is greater than maximum length ${rule.max}`
  if (![...name].some(isAlpha)) return 'Name must contain at least one character that matches [a-zA-Z]'
  const first = name[0] as string
  if (!isAlpha(first) && !rule.first.includes(first)) return `Cannot begin with character '${first}'`
  for (const c of name.slice(1)) {
    if (!isAlpha(c) && !isDigit(c) && !rule.inner.includes(c)) return `Cannot contain character '${c}'`
  }
  return undefined
}

/** RFC 952/1123 host name rules, as LINSTOR applies them to node names. */
function hostnameProblem(name: string): string | undefined {
  if (name.startsWith('.')) return "Hostname cannot begin with '.'"
  if (name.startsWith('-')) return "Hostname cannot begin with '-'"
  if (name.endsWith('-')) return "Hostname cannot end with '-'"
  const len = Buffer.byteLength(name)
  if (len < 2) return `Hostname length of ${len} violates RFC1123 minimum length of 2`
  if (len > 255) return `Hostname length of ${len} violates RFC1123 maximum length of 255`
  for (const label of name.split('.')) {
    if (label.length > 63) return `Domain name component length of ${label.length} violates RFC1123 maximum length of 63`
    for (const c of label) {
      if (!isAlpha(c) && !isDigit(c) && c !== '-') return `Domain name cannot contain character '${c}'`
    }
  }
  return undefined
}

/** The case-insensitive key under which an object is stored and looked up. */
export const nameKey = (name: string): string => name.toUpperCase()

/**
 * Orders names case-insensitively by code point. Deliberately not localeCompare: that pulls in
 * ICU (megabytes of resident memory) and would make list order depend on the locale.
 */
export function compareNames(a: string, b: string): number {
  const x = a.toUpperCase()
  const y = b.toUpperCase()
  return x < y ? -1 : x > y ? 1 : 0
}
