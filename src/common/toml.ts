// A small TOML reader for cairn.toml: tables, dotted table names, strings (basic and literal),
// integers, floats, booleans and one-line arrays. Anything else is an error with its line number,
// so a typo in a config file is never silently ignored.

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable
export interface TomlTable {[key: string]: TomlValue}

export class TomlError extends Error {
  readonly line: number
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`)
    this.line = line
  }
}

export function parseToml(text: string): TomlTable {
  const root: TomlTable = {}
  let table = root
  text.split(/\r?\n/).forEach((raw, i) => {
    const lineNo = i + 1
    const line = stripComment(raw).trim()
    if (!line) return
    const header = /^\[([^[\]]+)\]$/.exec(line)
    if (header) {
      table = descend(root, splitKey(header[1] as string, lineNo), lineNo)
      return
    }
    const eq = line.indexOf('=')
    if (eq <= 0) throw new TomlError(lineNo, `expected 'key = value' or '[table]', got '${line}'`)
    const path = splitKey(line.slice(0, eq), lineNo)
    const last = path.pop() as string
    const target = descend(table, path, lineNo)
    if (last in target) throw new TomlError(lineNo, `duplicate key '${last}'`)
    target[last] = parseValue(line.slice(eq + 1).trim(), lineNo)
  })
  return root
}

function stripComment(line: string): string {
  let quote = ''
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '#') return line.slice(0, i)
  }
  return line
}

function splitKey(key: string, lineNo: number): string[] {
  const parts = key.split('.').map((p) => p.trim().replace(/^"(.*)"$/, '$1'))
  for (const p of parts) if (!/^[A-Za-z0-9_-]+$/.test(p)) throw new TomlError(lineNo, `invalid key '${key.trim()}'`)
  return parts
}

function descend(from: TomlTable, path: string[], lineNo: number): TomlTable {
  let t = from
  for (const p of path) {
    const next = t[p] ?? (t[p] = {})
    if (typeof next !== 'object' || Array.isArray(next)) throw new TomlError(lineNo, `'${p}' is not a table`)
    t = next
  }
  return t
}

function parseValue(text: string, lineNo: number): TomlValue {
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw new TomlError(lineNo, 'arrays must be written on one line')
    const inner = text.slice(1, -1).trim()
    return inner ? splitTopLevel(inner).filter((s) => s.trim()).map((s) => parseValue(s.trim(), lineNo)) : []
  }
  if (text.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\.)*"$/.test(text)) throw new TomlError(lineNo, `unterminated string ${text}`)
    try {
      // TOML's basic-string escapes are JSON's; a literal tab is allowed in TOML, not in JSON.
      return JSON.parse(text.replaceAll('\t', '\\t')) as string
    } catch {
      throw new TomlError(lineNo, `invalid escape in string ${text} (write a backslash as \\\\)`)
    }
  }
  if (text.startsWith("'")) {
    if (!/^'[^']*'$/.test(text)) throw new TomlError(lineNo, `unterminated string ${text}`)
    return text.slice(1, -1)
  }
  if (text === 'true' || text === 'false') return text === 'true'
  if (/^[+-]?\d[\d_]*$/.test(text)) return Number(text.replaceAll('_', ''))
  if (/^[+-]?\d[\d_]*(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return Number(text.replaceAll('_', ''))
  throw new TomlError(lineNo, `cannot read value '${text}' (quote strings: "like this")`)
}

function splitTopLevel(text: string): string[] {
  const out: string[] = []
  let depth = 0
  let quote = ''
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '[') depth++
    else if (c === ']') depth--
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i))
      start = i + 1
    }
  }
  out.push(text.slice(start))
  return out
}
