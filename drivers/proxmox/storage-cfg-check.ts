// Checks storage.cfg the way Proxmox and linstor-proxmox will read it and reports, with line
// numbers, everything they would drop, skip or misread: the structure of every stanza, and the
// keys and values of the drbd stanzas. Other storage types' keys are Proxmox's business.

import {nameProblem} from '../../src/common/names.ts'
import {DRBD_CONTENT, DRBD_KEYS, contentTypes, parsePveBoolean, splitList} from './drbd-storage.ts'
import {outline, storeIdProblem, type CfgLine, type Stanza, type StorageCfg} from './storage-cfg.ts'

export interface CfgIssue {
  line: number
  severity: 'error' | 'warning'
  message: string
}

/** `storage.cfg:12: unknown key 'foo' in drbd stanza 'x'` (warnings say so after the line number). */
export function describeIssue(issue: CfgIssue, file = 'storage.cfg'): string {
  return `${file}:${issue.line}: ${issue.severity === 'warning' ? 'warning: ' : ''}${issue.message}`
}

// Keys older plugins knew; the stanza still loads without them, but they no longer do anything.
const REMOVED: Record<string, string> = {
  storagepool: 'was removed in linstor-proxmox 5; set the storage pool on the resource group instead',
  redundancy: 'was removed in linstor-proxmox 5; set the place count on the resource group instead',
  controllervm: 'was removed in linstor-proxmox 6; use drbd-reactor to make the controller highly available',
}

export function checkStorageCfg(doc: StorageCfg): CfgIssue[] {
  const issues: CfgIssue[] = []
  const error = (index: number, message: string): void => void issues.push({line: index + 1, severity: 'error', message})
  const {stanzas, stray} = outline(doc)
  const firstHeader = new Map<string, number>()
  for (const stanza of stanzas) {
    const idProblem = storeIdProblem(stanza.storeId)
    if (idProblem) error(stanza.header, `${idProblem}; Proxmox skips the stanza`)
    const first = firstHeader.get(stanza.storeId)
    if (first === undefined) firstHeader.set(stanza.storeId, stanza.header)
    else error(stanza.header, `duplicate storage id '${stanza.storeId}' (first defined on line ${first + 1})`)
    for (const index of stanza.ignored) {
      const line = doc.lines[index] as CfgLine
      error(index, line.kind === 'header'
        ? `'${line.text}' does not follow an empty line, so Proxmox reads it as part of stanza '${stanza.storeId}' and ignores it`
        : `Proxmox ignores this line in stanza '${stanza.storeId}': '${line.text}'`)
    }
    if (stanza.type === 'drbd') issues.push(...checkDrbdStanza(stanza))
  }
  for (const index of stray) {
    const line = doc.lines[index] as CfgLine
    error(index, line.kind === 'property'
      ? `Proxmox ignores this line outside any stanza (an empty line ends a stanza): '${line.text}'`
      : `Proxmox ignores this line outside any stanza: '${line.text}'`)
  }
  return issues.sort((a, b) => a.line - b.line)
}

function checkDrbdStanza(stanza: Stanza): CfgIssue[] {
  const issues: CfgIssue[] = []
  const where = `in drbd stanza '${stanza.storeId}'`
  const add = (index: number, message: string, severity: CfgIssue['severity'] = 'error'): void =>
    void issues.push({line: index + 1, severity, message})
  const seen = new Map<string, number>()
  for (const {key, value, index} of stanza.properties) {
    const first = seen.get(key)
    if (first !== undefined && DRBD_KEYS[key]) {
      add(index, `duplicate key '${key}' ${where} (Proxmox keeps the value from line ${first + 1})`)
      continue
    }
    if (DRBD_KEYS[key]) seen.set(key, index)
    for (const p of drbdKeyProblems(stanza.storeId, key, value)) add(index, p.message, p.severity)
  }
  if (!stanza.properties.some((p) => p.key === 'resourcegroup')) {
    add(stanza.header, `drbd stanza '${stanza.storeId}' has no resourcegroup (Proxmox skips the whole stanza)`)
  }
  const has = (key: string): boolean => seen.has(key)
  if (has('apicrt') !== has('apikey')) {
    const [set, missing] = has('apicrt') ? ['apicrt', 'apikey'] : ['apikey', 'apicrt']
    add(seen.get(set) as number, `${set} is set without ${missing} ${where} (the plugin uses a client certificate only together with its key)`)
  }
  return issues
}

/** What is wrong with one `key [value]` line of a drbd stanza, each message naming the stanza. */
export function drbdKeyProblems(storeId: string, key: string, value: string | undefined): Omit<CfgIssue, 'line'>[] {
  const where = `in drbd stanza '${storeId}'`
  const error = (message: string): Omit<CfgIssue, 'line'> => ({severity: 'error', message})
  const spec = DRBD_KEYS[key]
  if (!spec) {
    if (key === 'shared') return [error(`key 'shared' is not allowed ${where} (drbd storage is always shared)`)]
    if (REMOVED[key]) return [error(`key '${key}' ${where} ${REMOVED[key]}`)]
    return [error(`unknown key '${key}' ${where}`)]
  }
  if (value === undefined) {
    if (spec.type === 'boolean') return []
    return [error(`key '${key}' has no value ${where}${key === 'resourcegroup' ? ' (Proxmox skips the whole stanza)' : ''}`)]
  }
  const problems: Omit<CfgIssue, 'line'>[] = []
  const bad = valueProblem(key, value)
  if (bad) problems.push(error(`bad ${bad.what} '${value}' for '${key}' ${where} (${bad.expected})`))
  else if (key === 'statuscache' && Number(value) === 0) {
    problems.push({severity: 'warning', message: `statuscache 0 ${where} does not disable the cache: the plugin falls back to 60 seconds`})
  }
  return [...problems, ...listProblems(key, value).map((m) => error(`${m} ${where}`))]
}

function valueProblem(key: string, value: string): {what: string, expected: string} | undefined {
  const spec = DRBD_KEYS[key]
  switch (spec?.type) {
    case 'yes/no':
      return /^(yes|no)$/i.test(value) ? undefined : {what: 'value', expected: 'expected yes or no; the plugin reads anything else as no'}
    case 'boolean':
      return parsePveBoolean(value) !== undefined ? undefined
        : {what: 'boolean', expected: 'expected 1/0, yes/no, on/off or true/false'}
    case 'integer': {
      const min = spec.min ?? 0
      const expected = spec.max === undefined ? `expected an integer of at least ${min}` : `expected an integer from ${min} to ${spec.max}`
      const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN
      return n >= min && n <= (spec.max ?? Infinity) ? undefined : {what: 'value', expected}
    }
    default:
      return undefined
  }
}

/** Problems inside list-like or name-like values, each phrased to be followed by "in drbd stanza 'x'". */
function listProblems(key: string, value: string): string[] {
  switch (key) {
    case 'controller': {
      const reasons = value.split(',').map((c) => c.trim()).map(controllerProblem).filter((r) => r !== undefined)
      return reasons.map((r) => `bad controller list '${value}': ${r}`)
    }
    case 'resourcegroup': {
      const problem = nameProblem('resource group', value)
      return problem ? [`bad resourcegroup '${value}' (${problem})`] : []
    }
    case 'content':
      return contentTypes(value).filter((c) => !DRBD_CONTENT.includes(c))
        .map((c) => `content type '${c}' is not supported (only ${DRBD_CONTENT.join(', ')})`)
    case 'nodes':
      return splitList(value).filter((n) => !/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(n))
        .map((n) => `bad node name '${n}' in 'nodes'`)
    case 'searchdomain':
      if (value.startsWith('.')) return [`bad searchdomain '${value}' (give it without the leading dot; the plugin adds one)`]
      return isHostName(value) ? [] : [`bad searchdomain '${value}' (not a domain name)`]
    default:
      return []
  }
}

/** The plugin builds `${proto}://${entry}:${port}`, so an entry must be a bare host. */
function controllerProblem(entry: string): string | undefined {
  if (entry === '') return 'empty entry'
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return `'${entry}' has a scheme (the plugin adds http:// or https:// itself)`
  if (/^\[[0-9a-f:.]+\]$/i.test(entry)) return undefined
  const colons = entry.split(':').length - 1
  if (colons > 1) return `'${entry}' is an IPv6 address without brackets (write [${entry}])`
  if (colons === 1) return `'${entry}' has a port (the plugin always uses 3370, or 3371 for https)`
  return isHostName(entry) ? undefined : `'${entry}' is not a host name or IP address`
}

function isHostName(name: string): boolean {
  return name.length <= 253 && name.split('.').every((l) => /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(l))
}
