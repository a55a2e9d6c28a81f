// /etc/pve/storage.cfg, read the way Proxmox's SectionConfig reads it, but kept line by line:
// write(parseStorageCfg(text)) === text, and every edit replaces, inserts or deletes only the
// lines it is about, so a file the administrator formatted by hand stays as it was.
//
// Proxmox's reading rules, which the outline below follows exactly:
// - a stanza starts with `<type>: <storeid>` at column 0 and ends at the next empty line;
// - `#` lines (any indentation) are skipped everywhere and never end a stanza;
// - inside a stanza only indented `key [value]` lines count; anything else, a whitespace-only
//   line or even another header, is ignored with a warning and does not end the stanza;
// - outside a stanza anything but a header is ignored.

export type CfgLine =
  | {kind: 'header', text: string, type: string, storeId: string}
  | {kind: 'property', text: string, key: string, value: string | undefined}
  | {kind: 'comment', text: string}
  | {kind: 'blank', text: ''}
  | {kind: 'other', text: string}

export interface StorageCfg {
  readonly lines: readonly CfgLine[]
  /** Whether the text ended with a newline; kept so that writing gives back the same bytes. */
  readonly finalNewline: boolean
}

export interface StanzaProperty {
  key: string
  value: string | undefined
  /** Index into `lines` (line number - 1). */
  index: number
}

export interface Stanza {
  /** Lower-cased, as Proxmox compares it. */
  type: string
  storeId: string
  header: number
  /** Exclusive end: the empty line that closes the stanza, or lines.length. */
  end: number
  properties: StanzaProperty[]
  /** Lines inside the stanza that Proxmox ignores (other than comments and blank-looking lines). */
  ignored: number[]
}

export interface CfgOutline {
  stanzas: Stanza[]
  /** Lines outside every stanza that Proxmox ignores (comments and blank-looking lines aside). */
  stray: number[]
}

// Perl's \s and \S on a byte string: no Unicode spaces.
const WS = '[ \\t\\n\\v\\f\\r]'
const NWS = '[^ \\t\\n\\v\\f\\r]'
const HEADER = new RegExp(`^(${NWS}+):${WS}*(${NWS}+)${WS}*$`)
const PROPERTY = new RegExp(`^${WS}+(${NWS}+)(?:${WS}+(.*${NWS}))?${WS}*$`)
const COMMENT = new RegExp(`^${WS}*#`)
const BLANKISH = new RegExp(`^${WS}*$`)

export function parseStorageCfg(text: string): StorageCfg {
  const raw = text.split('\n')
  const finalNewline = raw.length > 1 && raw[raw.length - 1] === ''
  if (finalNewline || text === '') raw.pop()
  return {lines: raw.map(classify), finalNewline}
}

export function writeStorageCfg(doc: StorageCfg): string {
  return doc.lines.map((l) => l.text).join('\n') + (doc.finalNewline ? '\n' : '')
}

export function classify(text: string): CfgLine {
  if (text === '') return {kind: 'blank', text}
  if (COMMENT.test(text)) return {kind: 'comment', text}
  const h = HEADER.exec(text)
  if (h) return {kind: 'header', text, type: (h[1] as string).toLowerCase(), storeId: h[2] as string}
  const p = PROPERTY.exec(text)
  if (p) return {kind: 'property', text, key: p[1] as string, value: p[2]}
  return {kind: 'other', text}
}

export const isBlankish = (line: CfgLine): boolean => line.kind === 'other' && BLANKISH.test(line.text)

export function outline(doc: StorageCfg): CfgOutline {
  const {lines} = doc
  const stanzas: Stanza[] = []
  const stray: number[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i] as CfgLine
    if (line.kind === 'comment' || line.kind === 'blank') {
      i++
      continue
    }
    if (line.kind !== 'header') {
      if (!isBlankish(line)) stray.push(i)
      i++
      continue
    }
    const stanza: Stanza = {type: line.type, storeId: line.storeId, header: i, end: i + 1, properties: [], ignored: []}
    for (i++; i < lines.length; i++) {
      const inner = lines[i] as CfgLine
      if (inner.kind === 'blank') break
      if (inner.kind === 'property') stanza.properties.push({key: inner.key, value: inner.value, index: i})
      else if (inner.kind !== 'comment' && !isBlankish(inner)) stanza.ignored.push(i)
    }
    stanza.end = i
    stanzas.push(stanza)
  }
  return {stanzas, stray}
}

/** The first stanza with this storage id (ids are case-sensitive in Proxmox). */
export function findStanza(doc: StorageCfg, storeId: string): Stanza | undefined {
  return outline(doc).stanzas.find((s) => s.storeId === storeId)
}

// ---- edits: each returns a new document and leaves every other line untouched --------------------

/** Sets `key` in the stanza: the first occurrence keeps its indentation, later duplicates go. */
export function setProperty(doc: StorageCfg, storeId: string, key: string, value: string): StorageCfg {
  checkKeyValue(key, value)
  const stanza = requireStanza(doc, storeId)
  const same = stanza.properties.filter((p) => p.key === key)
  const lines = [...doc.lines]
  const first = same[0]
  if (first) {
    const old = lines[first.index] as CfgLine
    lines[first.index] = classify(replaceValue(old.text, key, value))
    for (const dup of same.slice(1).reverse()) lines.splice(dup.index, 1)
    return {...doc, lines}
  }
  const last = stanza.properties.at(-1)
  const at = last ? last.index + 1 : stanza.header + 1
  lines.splice(at, 0, classify(`${indentOf(doc, stanza)}${key}${value === '' ? '' : ` ${value}`}`))
  return {...doc, lines}
}

/** Removes every `key` line of the stanza; a missing key leaves the document as it is. */
export function removeProperty(doc: StorageCfg, storeId: string, key: string): StorageCfg {
  const stanza = requireStanza(doc, storeId)
  const drop = new Set(stanza.properties.filter((p) => p.key === key).map((p) => p.index))
  if (drop.size === 0) return doc
  return {...doc, lines: doc.lines.filter((_, i) => !drop.has(i))}
}

/**
 * Appends a stanza, separated by one empty line. Keys are written in the given order, indented
 * with a tab as Proxmox itself writes them.
 */
export function addStanza(doc: StorageCfg, type: string, storeId: string, properties: [string, string][]): StorageCfg {
  if (!/^[a-z][a-z0-9]*$/.test(type)) throw new Error(`bad storage type '${type}'`)
  const idProblem = storeIdProblem(storeId)
  if (idProblem) throw new Error(idProblem)
  if (findStanza(doc, storeId)) throw new Error(`storage id '${storeId}' already exists`)
  for (const [k, v] of properties) checkKeyValue(k, v)
  const stanza = [`${type}: ${storeId}`, ...properties.map(([k, v]) => `\t${k}${v === '' ? '' : ` ${v}`}`)]
  const lines = [...doc.lines]
  const lastLine = lines.at(-1)
  // A file written by Proxmox ends every stanza with an empty line; keep whichever style it has.
  const trailingBlank = lastLine?.kind === 'blank'
  if (lastLine && !trailingBlank) lines.push(classify(''))
  lines.push(...stanza.map(classify))
  if (trailingBlank) lines.push(classify(''))
  return {lines, finalNewline: true}
}

/** Removes a stanza and the empty line that closed it (or, for the last one, the one before it). */
export function removeStanza(doc: StorageCfg, storeId: string): StorageCfg {
  const stanza = requireStanza(doc, storeId)
  let from = stanza.header
  let to = stanza.end
  if (doc.lines[to]?.kind === 'blank') to++
  else if (from > 0 && doc.lines[from - 1]?.kind === 'blank') from--
  const lines = [...doc.lines.slice(0, from), ...doc.lines.slice(to)]
  return {lines, finalNewline: lines.length > 0 && doc.finalNewline}
}

/** Proxmox's storage id rule (PVE::JSONSchema::parse_storage_id). */
export function storeIdProblem(storeId: string): string | undefined {
  if (/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(storeId)) return undefined
  return `bad storage id '${storeId}' (letters, digits, '-', '_' and '.', starting with a letter and ending with a letter or digit)`
}

function requireStanza(doc: StorageCfg, storeId: string): Stanza {
  const stanza = findStanza(doc, storeId)
  if (!stanza) throw new Error(`no stanza with storage id '${storeId}'`)
  return stanza
}

function checkKeyValue(key: string, value: string): void {
  if (!new RegExp(`^${NWS}+$`).test(key) || key.includes('#')) throw new Error(`bad key '${key}'`)
  if (/[\n\r]/.test(value)) throw new Error(`the value of '${key}' contains a line break`)
  if (value !== value.trim()) throw new Error(`the value of '${key}' has leading or trailing whitespace, which Proxmox drops`)
}

/** Keeps the line's indentation and the whitespace between key and value; drops the old value. */
function replaceValue(text: string, key: string, value: string): string {
  const m = new RegExp(`^(${WS}+)${escapeRegExp(key)}(${WS}*)`).exec(text)
  const indent = m?.[1] ?? '\t'
  const gap = m?.[2] || ' '
  return value === '' ? `${indent}${key}` : `${indent}${key}${gap}${value}`
}

function indentOf(doc: StorageCfg, stanza: Stanza): string {
  const first = stanza.properties[0]
  if (!first) return '\t'
  return new RegExp(`^${WS}+`).exec((doc.lines[first.index] as CfgLine).text)?.[0] ?? '\t'
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
