// Checked edits of drbd stanzas: the generic edits of storage-cfg.ts, refused when the result is
// something Proxmox or the plugin would drop or misread. Warnings do not block an edit.

import {drbdKeyProblems} from './storage-cfg-check.ts'
import {addStanza, findStanza, removeProperty, setProperty, type StorageCfg} from './storage-cfg.ts'

/** Sets a key of a drbd stanza (`''` writes a bare flag, as for `disable`). */
export function setDrbdOption(doc: StorageCfg, storeId: string, key: string, value: string): StorageCfg {
  requireDrbd(doc, storeId)
  refuse(drbdKeyProblems(storeId, key, value === '' ? undefined : value))
  return setProperty(doc, storeId, key, value)
}

export function removeDrbdOption(doc: StorageCfg, storeId: string, key: string): StorageCfg {
  requireDrbd(doc, storeId)
  if (key === 'resourcegroup') throw new Error(`resourcegroup is required: Proxmox skips drbd stanza '${storeId}' without it`)
  return removeProperty(doc, storeId, key)
}

/**
 * Appends a drbd stanza, keys in the order Proxmox writes them (disable, then the required
 * resourcegroup, then the rest sorted), so the file does not churn when Proxmox rewrites it.
 */
export function addDrbdStorage(doc: StorageCfg, storeId: string, options: Record<string, string> & {resourcegroup: string}): StorageCfg {
  const problems = Object.entries(options).flatMap(([k, v]) => drbdKeyProblems(storeId, k, v === '' ? undefined : v))
  if (('apicrt' in options) !== ('apikey' in options)) {
    problems.push({severity: 'error', message: 'apicrt and apikey go together (the plugin uses a client certificate only with its key)'})
  }
  refuse(problems)
  const rank = (k: string): number => (k === 'disable' ? 0 : k === 'resourcegroup' ? 1 : 2)
  const keys = Object.keys(options).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
  return addStanza(doc, 'drbd', storeId, keys.map((k) => [k, options[k] as string]))
}

function requireDrbd(doc: StorageCfg, storeId: string): void {
  const stanza = findStanza(doc, storeId)
  if (!stanza) throw new Error(`no stanza with storage id '${storeId}'`)
  if (stanza.type !== 'drbd') throw new Error(`stanza '${storeId}' is of type ${stanza.type}, not drbd`)
}

function refuse(problems: {severity: string, message: string}[]): void {
  const errors = problems.filter((p) => p.severity === 'error').map((p) => p.message)
  if (errors.length > 0) throw new Error(errors.join('\n'))
}
