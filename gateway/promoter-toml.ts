// TOML as linstor-gateway writes it (go-toml v1 with ArraysWithOneElementPerLine), so files made by
// Cairn and by upstream look alike: plain keys before tables, each group sorted; two spaces of
// indentation per table level; a blank line before each table header; arrays with more than one
// element one per line with a trailing comma.

import type {PromoterConfig} from './reactor-options.ts'

export type TomlPrimitive = string | number | boolean
export type TomlValue = TomlPrimitive | TomlValue[] | TomlTable
/** A table; keys whose value is undefined are left out, like Go's omitempty. */
export interface TomlTable {[key: string]: TomlValue | undefined}

const INDENT = '  '

const isTable = (v: unknown): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v)
const isTableArray = (v: unknown): v is TomlTable[] => Array.isArray(v) && v.length > 0 && v.every(isTable)

/** A TOML basic string. */
export function tomlString(s: string): string {
  let out = '"'
  for (const ch of s) {
    const code = ch.codePointAt(0) as number
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\b') out += '\\b'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\f') out += '\\f'
    else if (ch === '\r') out += '\\r'
    // TOML forbids raw control characters in basic strings.
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
    else out += ch
  }
  return `${out}"`
}

/** A key, quoted unless it is a bare key. */
export const tomlKey = (k: string): string => (/^[A-Za-z0-9_-]+$/.test(k) ? k : tomlString(k))

function valueText(v: TomlValue, indent: string): string {
  if (typeof v === 'string') return tomlString(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} to TOML`)
    return String(v)
  }
  if (Array.isArray(v)) {
    const items = v.map((item) => valueText(item, indent))
    if (items.length <= 1) return `[${items.join(', ')}]`
    return `[\n${items.map((item) => `${indent}${INDENT}${item},\n`).join('')}${indent}]`
  }
  // An inline table: only reached for tables nested in plain arrays.
  const pairs = Object.keys(v).sort().flatMap((k) => {
    const inner = v[k]
    return inner === undefined ? [] : [`${tomlKey(k)} = ${valueText(inner, indent)}`]
  })
  return `{ ${pairs.join(', ')} }`
}

function writeTable(table: TomlTable, indent: string, path: string, out: string[]): void {
  const keys = Object.keys(table).filter((k) => table[k] !== undefined)
  const complex = (k: string): boolean => isTable(table[k]) || isTableArray(table[k])
  const simple = keys.filter((k) => !complex(k)).sort()
  const tables = keys.filter(complex).sort()
  for (const k of simple) out.push(`${indent}${tomlKey(k)} = ${valueText(table[k] as TomlValue, indent)}\n`)
  for (const k of tables) {
    const name = path === '' ? tomlKey(k) : `${path}.${tomlKey(k)}`
    const v = table[k]
    if (isTable(v)) {
      out.push(`\n${indent}[${name}]\n`)
      writeTable(v, indent + INDENT, name, out)
    } else {
      for (const sub of v as TomlTable[]) {
        out.push(`\n${indent}[[${name}]]\n`)
        writeTable(sub, indent + INDENT, name, out)
      }
    }
  }
}

/** Writes a document in go-toml v1's layout. */
export function writeToml(doc: TomlTable): string {
  const out: string[] = []
  writeTable(doc, '', '', out)
  return out.join('')
}

/** The TOML of a snippet holding one [[promoter]] entry. */
export function promoterToml(promoter: PromoterConfig): string {
  return writeToml({promoter: [promoter as unknown as TomlTable]})
}
