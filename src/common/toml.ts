// A TOML reader for cairn.toml and drbd-reactor snippets: TOML 1.0 except dates and times, which
// neither contains. Errors carry their line number, so a typo in a config file is never silently
// ignored.

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable
export interface TomlTable {[key: string]: TomlValue}

export class TomlError extends Error {
  readonly line: number
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`)
    this.line = line
  }
}

const BARE_KEY = /[A-Za-z0-9_-]/
const isTable = (v: unknown): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v)

// Own data properties only: a key named __proto__ must not touch the prototype.
function define(t: TomlTable, k: string, v: TomlValue): void {
  Object.defineProperty(t, k, {value: v, enumerable: true, writable: true, configurable: true})
}

class Reader {
  private pos = 0
  private readonly root: TomlTable = {}
  // Tables opened by a [header] (may not be opened twice), tables and arrays closed for additions
  // (inline tables, plain arrays), arrays made by [[headers]], and tables made by dotted keys
  // (which no [header] may reopen).
  private readonly headed = new WeakSet<object>()
  private readonly sealed = new WeakSet<object>()
  private readonly tableArrays = new WeakSet<object>()
  private readonly dotted = new WeakSet<object>()
  private readonly text: string

  constructor(text: string) {
    this.text = text.replaceAll('\r\n', '\n')
  }

  private get line(): number {
    let n = 1
    for (let i = 0; i < this.pos && i < this.text.length; i++) if (this.text[i] === '\n') n++
    return n
  }

  private fail(message: string): never {
    throw new TomlError(this.line, message)
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? ''
  }

  private skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++
  }

  private skipComment(): void {
    if (this.peek() !== '#') return
    while (this.pos < this.text.length && this.peek() !== '\n') {
      const code = this.text.charCodeAt(this.pos)
      if ((code < 0x20 && code !== 9) || code === 0x7f) this.fail('control character in comment')
      this.pos++
    }
  }

  // Blanks, comments and newlines, as allowed between array elements.
  private skipBlankLines(): void {
    for (;;) {
      this.skipBlanks()
      this.skipComment()
      if (this.peek() !== '\n') return
      this.pos++
    }
  }

  private endOfLine(): void {
    this.skipBlanks()
    this.skipComment()
    if (this.pos >= this.text.length) return
    if (this.peek() !== '\n') this.fail(`unexpected '${this.peek()}' after a value`)
    this.pos++
  }

  read(): TomlTable {
    let current = this.root
    for (;;) {
      this.skipBlankLines()
      if (this.pos >= this.text.length) return this.root
      if (this.peek() === '[') {
        const array = this.peek(1) === '['
        this.pos += array ? 2 : 1
        this.skipBlanks()
        const path = this.key()
        this.skipBlanks()
        if (this.text.slice(this.pos, this.pos + (array ? 2 : 1)) !== (array ? ']]' : ']')) this.fail('unterminated table header')
        this.pos += array ? 2 : 1
        current = array ? this.openTableArray(path) : this.openTable(path)
      } else {
        this.keyValue(current)
      }
      this.endOfLine()
    }
  }

  private key(): string[] {
    const parts = [this.simpleKey()]
    for (;;) {
      this.skipBlanks()
      if (this.peek() !== '.') return parts
      this.pos++
      this.skipBlanks()
      parts.push(this.simpleKey())
    }
  }

  private simpleKey(): string {
    const c = this.peek()
    if (c === '"') return this.basicString()
    if (c === "'") return this.literalString()
    const start = this.pos
    while (BARE_KEY.test(this.peek())) this.pos++
    if (start === this.pos) this.fail(c === '' ? 'expected a key' : `unexpected '${c}' where a key should be`)
    return this.text.slice(start, this.pos)
  }

  // Walks to the table that holds the last key part, creating tables on the way.
  private descend(from: TomlTable, parts: string[], viaDottedKey: boolean): TomlTable {
    let t = from
    for (const p of parts) {
      if (!Object.hasOwn(t, p)) {
        const fresh: TomlTable = {}
        if (viaDottedKey) this.dotted.add(fresh)
        define(t, p, fresh)
        t = fresh
        continue
      }
      const next = t[p]
      if (Array.isArray(next) && this.tableArrays.has(next)) t = next[next.length - 1] as TomlTable
      else if (isTable(next) && !this.sealed.has(next)) {
        if (viaDottedKey && this.headed.has(next)) this.fail(`cannot add to table '${p}' with a dotted key`)
        t = next
      } else this.fail(`'${p}' is not a table`)
    }
    return t
  }

  private openTable(path: string[]): TomlTable {
    const parent = this.descend(this.root, path.slice(0, -1), false)
    const last = path[path.length - 1] as string
    if (!Object.hasOwn(parent, last)) {
      const fresh: TomlTable = {}
      define(parent, last, fresh)
      this.headed.add(fresh)
      return fresh
    }
    const existing = parent[last]
    if (!isTable(existing) || this.sealed.has(existing) || this.headed.has(existing) || this.dotted.has(existing)) {
      this.fail(`table '${path.join('.')}' is defined twice`)
    }
    this.headed.add(existing)
    return existing
  }

  private openTableArray(path: string[]): TomlTable {
    const parent = this.descend(this.root, path.slice(0, -1), false)
    const last = path[path.length - 1] as string
    const fresh: TomlTable = {}
    if (!Object.hasOwn(parent, last)) {
      const array: TomlValue[] = [fresh]
      this.tableArrays.add(array)
      define(parent, last, array)
      return fresh
    }
    const existing = parent[last]
    if (!Array.isArray(existing) || !this.tableArrays.has(existing)) this.fail(`'${path.join('.')}' is not an array of tables`)
    existing.push(fresh)
    return fresh
  }

  private keyValue(table: TomlTable): void {
    const path = this.key()
    this.skipBlanks()
    if (this.peek() !== '=') this.fail(`expected '=' after key '${path.join('.')}'`)
    this.pos++
    this.skipBlanks()
    const value = this.value()
    const target = this.descend(table, path.slice(0, -1), true)
    const last = path[path.length - 1] as string
    if (Object.hasOwn(target, last)) this.fail(`duplicate key '${path.join('.')}'`)
    define(target, last, value)
  }

  private value(): TomlValue {
    const c = this.peek()
    if (c === '"') return this.text.startsWith('"""', this.pos) ? this.multilineBasicString() : this.basicString()
    if (c === "'") return this.text.startsWith("'''", this.pos) ? this.multilineLiteralString() : this.literalString()
    if (c === '[') return this.array()
    if (c === '{') return this.inlineTable()
    return this.scalar()
  }

  private array(): TomlValue[] {
    this.pos++
    const items: TomlValue[] = []
    for (;;) {
      this.skipBlankLines()
      if (this.peek() === ']') break
      items.push(this.value())
      this.skipBlankLines()
      if (this.peek() === ',') this.pos++
      else if (this.peek() !== ']') this.fail("expected ',' or ']' in an array")
    }
    this.pos++
    this.sealed.add(items)
    return items
  }

  private inlineTable(): TomlTable {
    this.pos++
    const table: TomlTable = {}
    this.skipBlanks()
    if (this.peek() === '}') {
      this.pos++
      this.sealed.add(table)
      return table
    }
    for (;;) {
      this.skipBlanks()
      this.keyValue(table)
      this.skipBlanks()
      if (this.peek() === '}') break
      if (this.peek() !== ',') this.fail("expected ',' or '}' in an inline table")
      this.pos++
    }
    this.pos++
    this.sealed.add(table)
    return table
  }

  private scalar(): TomlValue {
    const start = this.pos
    while (this.pos < this.text.length && !/[\s,\]}#]/.test(this.peek())) this.pos++
    const token = this.text.slice(start, this.pos)
    if (token === 'true') return true
    if (token === 'false') return false
    if (/^[+-]?(?:0|[1-9](?:_?\d)*)$/.test(token)) return this.integer(Number(token.replaceAll('_', '')), token)
    const radix = /^0([xob])([0-9A-Fa-f](?:_?[0-9A-Fa-f])*)$/.exec(token)
    if (radix) {
      const base = {x: 16, o: 8, b: 2}[radix[1] as 'x' | 'o' | 'b']
      const digits = (radix[2] as string).replaceAll('_', '')
      if ([...digits].some((d) => Number.isNaN(parseInt(d, base)))) this.fail(`invalid number '${token}'`)
      return this.integer(parseInt(digits, base), token)
    }
    if (/^[+-]?(?:0|[1-9](?:_?\d)*)(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?$/.test(token)) return Number(token.replaceAll('_', ''))
    if (/^[+-]?inf$/.test(token)) return token.startsWith('-') ? -Infinity : Infinity
    if (/^[+-]?nan$/.test(token)) return NaN
    if (/^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/.test(token)) this.fail(`dates and times are not supported ('${token}')`)
    return this.fail(token === '' ? 'expected a value' : `invalid value '${token}'`)
  }

  private integer(n: number, token: string): number {
    if (!Number.isSafeInteger(n)) this.fail(`integer '${token}' is too large`)
    return n
  }

  private escape(): string {
    const c = this.peek(1)
    const simple: Record<string, string> = {'b': '\b', 't': '\t', 'n': '\n', 'f': '\f', 'r': '\r', '"': '"', '\\': '\\', 'e': '\x1b'}
    if (Object.hasOwn(simple, c)) {
      this.pos += 2
      return simple[c] as string
    }
    const len = c === 'u' ? 4 : c === 'U' ? 8 : 0
    const hex = this.text.slice(this.pos + 2, this.pos + 2 + len)
    if (len === 0 || !new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) this.fail(`invalid escape '\\${c}'`)
    const code = parseInt(hex, 16)
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail(`invalid unicode escape '\\${c}${hex}'`)
    this.pos += 2 + len
    return String.fromCodePoint(code)
  }

  private checkChar(c: string, multiline: boolean): void {
    const code = c.charCodeAt(0)
    if ((code < 0x20 && c !== '\t' && !(multiline && c === '\n')) || code === 0x7f) this.fail('control character in string')
  }

  private basicString(): string {
    this.pos++
    let out = ''
    for (;;) {
      const c = this.peek()
      if (c === '' || c === '\n') this.fail('unterminated string')
      if (c === '"') break
      if (c === '\\') out += this.escape()
      else {
        this.checkChar(c, false)
        out += c
        this.pos++
      }
    }
    this.pos++
    return out
  }

  private literalString(): string {
    this.pos++
    const end = this.text.indexOf("'", this.pos)
    const nl = this.text.indexOf('\n', this.pos)
    if (end < 0 || (nl >= 0 && nl < end)) this.fail('unterminated string')
    const s = this.text.slice(this.pos, end)
    for (const c of s) this.checkChar(c, false)
    this.pos = end + 1
    return s
  }

  // The closing delimiter may be followed by up to two more quotes that belong to the string.
  private closingQuotes(q: string): number {
    let n = 0
    while (this.peek(n) === q) n++
    return n
  }

  private multilineBasicString(): string {
    this.pos += 3
    if (this.peek() === '\n') this.pos++
    let out = ''
    for (;;) {
      const c = this.peek()
      if (c === '') this.fail('unterminated string')
      if (c === '"' && this.text.startsWith('"""', this.pos)) {
        const n = this.closingQuotes('"')
        if (n > 5) this.fail('too many quotes at the end of a string')
        out += '"'.repeat(n - 3)
        this.pos += n
        return out
      }
      if (c === '\\') {
        // A backslash at the end of a line trims the newline and following whitespace.
        const rest = /^\\[ \t]*\n[\s]*/.exec(this.text.slice(this.pos))
        if (rest) this.pos += rest[0].length
        else out += this.escape()
        continue
      }
      this.checkChar(c, true)
      out += c
      this.pos++
    }
  }

  private multilineLiteralString(): string {
    this.pos += 3
    if (this.peek() === '\n') this.pos++
    const bodyStart = this.pos
    const end = this.text.indexOf("'''", this.pos)
    if (end < 0) this.fail('unterminated string')
    this.pos = end
    const n = this.closingQuotes("'")
    if (n > 5) this.fail('too many quotes at the end of a string')
    const s = this.text.slice(bodyStart, end) + "'".repeat(n - 3)
    for (const c of s) this.checkChar(c, true)
    this.pos = end + n
    return s
  }
}

/** Parses TOML text into plain objects, arrays and primitives. */
export function parseToml(text: string): TomlTable {
  return new Reader(text).read()
}
