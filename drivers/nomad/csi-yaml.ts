// The little YAML that linstor-csi parameters carry: xReplicasOnDifferent (a map of key to
// count) and allowRemoteVolumeAccess (a list of {fromSame: [...]}). Block and flow style, plain
// and quoted scalars, full-line and trailing comments; no anchors, tags or multi-line scalars,
// which these parameters never need. Scalars stay strings: the caller knows their type.

export type YamlValue = string | YamlValue[] | {[key: string]: YamlValue}

interface Line {indent: number, text: string, no: number}

export function parseYaml(text: string): YamlValue {
  const lines: Line[] = text.split(/\r?\n/)
    .map((raw, i) => ({indent: raw.length - raw.trimStart().length, text: stripComment(raw).trim(), no: i + 1}))
    .filter((l) => l.text !== '')
  if (lines.length === 0) return ''
  const [value, next] = block(lines, 0, (lines[0] as Line).indent)
  if (next < lines.length) throw new Error(`line ${(lines[next] as Line).no}: unexpected indentation`)
  return value
}

function block(lines: Line[], at: number, indent: number): [YamlValue, number] {
  const first = lines[at] as Line
  if (first.text === '-' || first.text.startsWith('- ')) return sequence(lines, at, indent)
  if (mappingKey(first.text) !== undefined) return mapping(lines, at, indent)
  if (at + 1 < lines.length && (lines[at + 1] as Line).indent >= indent) throw new Error(`line ${first.no}: expected one value`)
  return [flow(first.text, first.no), at + 1]
}

function sequence(lines: Line[], at: number, indent: number): [YamlValue[], number] {
  const items: YamlValue[] = []
  let i = at
  while (i < lines.length && (lines[i] as Line).indent === indent && /^-( |$)/.test((lines[i] as Line).text)) {
    const line = lines[i] as Line
    const rest = line.text.slice(1).trimStart()
    if (rest === '') {
      const next = lines[i + 1]
      if (!next || next.indent <= indent) throw new Error(`line ${line.no}: empty list item`)
      const [value, after] = block(lines, i + 1, next.indent)
      items.push(value)
      i = after
    } else {
      // "- key: value" opens a mapping whose keys line up with `key`.
      const innerIndent = indent + line.text.length - rest.length
      const [value, after] = block([...lines.slice(0, i), {indent: innerIndent, text: rest, no: line.no}, ...lines.slice(i + 1)], i, innerIndent)
      items.push(value)
      i = after
    }
  }
  return [items, i]
}

function mapping(lines: Line[], at: number, indent: number): [{[key: string]: YamlValue}, number] {
  const map: {[key: string]: YamlValue} = {}
  let i = at
  while (i < lines.length && (lines[i] as Line).indent === indent) {
    const line = lines[i] as Line
    const key = mappingKey(line.text)
    if (key === undefined) throw new Error(`line ${line.no}: expected 'key: value'`)
    if (Object.hasOwn(map, key.key)) throw new Error(`line ${line.no}: duplicate key '${key.key}'`)
    if (key.rest !== '') {
      map[key.key] = flow(key.rest, line.no)
      i++
      continue
    }
    const next = lines[i + 1]
    // A list may sit at the key's own indentation ("key:\n- a").
    if (next && (next.indent > indent || (next.indent === indent && /^-( |$)/.test(next.text)))) {
      const [value, after] = block(lines, i + 1, next.indent)
      map[key.key] = value
      i = after
    } else {
      map[key.key] = ''
      i++
    }
  }
  return [map, i]
}

function mappingKey(text: string): {key: string, rest: string} | undefined {
  const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')\s*:(?:\s+(.*))?$/.exec(text)
  if (quoted) return {key: flow(quoted[1] as string, 0) as string, rest: quoted[2] ?? ''}
  if (/^[[{"']/.test(text)) return undefined
  const plain = /^([^:#]+?)\s*:(?:\s+(.*))?$/.exec(text)
  return plain ? {key: plain[1] as string, rest: plain[2] ?? ''} : undefined
}

/** A flow value: [a, b], {k: v}, "quoted", 'quoted' or a plain scalar. */
function flow(text: string, no: number): YamlValue {
  let pos = 0
  const fail = (what: string): never => {
    throw new Error(`line ${no}: ${what} in '${text}'`)
  }
  const skip = (): void => {
    while (text[pos] === ' ' || text[pos] === '\t') pos++
  }
  const value = (inFlow: boolean): YamlValue => {
    skip()
    const c = text[pos]
    if (c === '[') {
      pos++
      const items: YamlValue[] = []
      for (skip(); text[pos] !== ']'; skip()) {
        items.push(value(true))
        skip()
        if (text[pos] === ',') pos++
        else if (text[pos] !== ']') fail("expected ',' or ']'")
        skip()
      }
      pos++
      return items
    }
    if (c === '{') {
      pos++
      const map: {[key: string]: YamlValue} = {}
      for (skip(); text[pos] !== '}'; skip()) {
        const key = value(true)
        skip()
        if (typeof key !== 'string' || text[pos] !== ':') fail("expected 'key: value'")
        pos++
        map[key as string] = value(true)
        skip()
        if (text[pos] === ',') pos++
        else if (text[pos] !== '}') fail("expected ',' or '}'")
      }
      pos++
      return map
    }
    if (c === '"' || c === "'") return quoted(c)
    if (c === undefined) fail('missing value')
    // A plain scalar; in flow context it ends at , ] } or at a ':' that introduces a value.
    const start = pos
    const ends = (): boolean => inFlow && (/[,\]}]/.test(text[pos] as string) || (text[pos] === ':' && /^[\s,\]}]?$/.test(text[pos + 1] ?? '')))
    while (pos < text.length && !ends()) pos++
    return text.slice(start, pos).trim()
  }
  const quoted = (q: string): string => {
    let out = ''
    for (pos++; pos < text.length; pos++) {
      const c = text[pos] as string
      if (q === "'" && c === "'" && text[pos + 1] === "'") {
        out += "'"
        pos++
      } else if (c === q) {
        pos++
        return out
      } else if (q === '"' && c === '\\') {
        const e = text[++pos] ?? ''
        out += ({n: '\n', t: '\t', '"': '"', '\\': '\\', '/': '/'} as Record<string, string>)[e] ?? fail(`unsupported escape '\\${e}'`)
      } else out += c
    }
    return fail('unterminated string')
  }
  const result = value(false)
  skip()
  if (pos < text.length) fail('unexpected text after the value')
  return result
}

/** Drops a `#` comment that starts the line or follows a space, outside quotes. */
function stripComment(line: string): string {
  let quote = ''
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] as string))) return line.slice(0, i)
  }
  return line
}
