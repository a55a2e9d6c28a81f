// The `drbd:` stanzas of storage.cfg as linstor-proxmox (plugin 8.x) uses them: every key the
// plugin declares, with its default, read the way the plugin reads it. The values are the
// *effective* ones, quirks included (`preferlocal true` means no, `statuscache 0` means 60), so a
// caller sees what Proxmox will do; storage-cfg-check.ts reports where that differs from intent.

import {outline, type Stanza, type StorageCfg} from './storage-cfg.ts'

export type DrbdKeyType = 'string' | 'yes/no' | 'boolean' | 'integer' | 'content' | 'nodes'

export interface DrbdKey {
  type: DrbdKeyType
  /** The plugin's default; undefined when the key is simply unset. */
  default?: string | number
  min?: number
  max?: number
}

/** The plugin's options() plus the PVE standard keys it allows (content, disable, nodes). */
export const DRBD_KEYS: Readonly<Record<string, DrbdKey>> = {
  controller: {type: 'string', default: 'localhost'},
  resourcegroup: {type: 'string', default: 'drbdgrp'},
  preferlocal: {type: 'yes/no', default: 'yes'},
  exactsize: {type: 'yes/no', default: 'no'},
  allowtwoprimaries: {type: 'yes/no', default: 'yes'},
  statuscache: {type: 'integer', default: 60, min: 0, max: 7200},
  apicrt: {type: 'string'},
  apikey: {type: 'string'},
  apica: {type: 'string'},
  clusterlocktimeout: {type: 'integer', default: 0, min: 0},
  searchdomain: {type: 'string'},
  content: {type: 'content', default: 'images'},
  disable: {type: 'boolean'},
  nodes: {type: 'nodes'},
}

/** Content types a drbd storage may hold; `images` alone when the key is absent. */
export const DRBD_CONTENT = ['images', 'rootdir']

export interface DrbdStorage {
  storeId: string
  /** Line number of the stanza header. */
  line: number
  /** Required: without it Proxmox drops the stanza, so there is no 'drbdgrp' fallback here. */
  resourceGroup: string | undefined
  controllers: string[]
  preferLocal: boolean
  exactSize: boolean
  allowTwoPrimaries: boolean
  /** Seconds of the size-info cache, as the plugin uses it: 0 (or unset) falls back to 60. */
  statusCache: number
  content: string[]
  disabled: boolean
  /** Proxmox treats every drbd storage as shared; the stanza cannot say otherwise. */
  shared: true
  /** Nodes the storage is restricted to; undefined means every node. */
  nodes: string[] | undefined
  apiCert: string | undefined
  apiKey: string | undefined
  apiCa: string | undefined
  clusterLockTimeout: number
  searchDomain: string | undefined
}

export function drbdStorages(doc: StorageCfg): DrbdStorage[] {
  return outline(doc).stanzas.filter((s) => s.type === 'drbd').map(toDrbdStorage)
}

export function drbdStorage(doc: StorageCfg, storeId: string): DrbdStorage | undefined {
  return drbdStorages(doc).find((s) => s.storeId === storeId)
}

/** Proxmox keeps the first occurrence of a key (later ones are "duplicate attribute" errors). */
export function firstValues(stanza: Stanza): Map<string, string | undefined> {
  const values = new Map<string, string | undefined>()
  for (const p of stanza.properties) if (!values.has(p.key)) values.set(p.key, p.value)
  return values
}

function toDrbdStorage(stanza: Stanza): DrbdStorage {
  const v = firstValues(stanza)
  // The plugin reads its keys as `$scfg->{key} || default`: Perl treats '0' as false as well.
  const str = (key: string): string | undefined => {
    const value = v.get(key)
    return value === undefined || value === '' || value === '0' ? undefined : value
  }
  const yes = (key: string): boolean => (str(key) ?? String(DRBD_KEYS[key]?.default)).toLowerCase() === 'yes'
  return {
    storeId: stanza.storeId,
    line: stanza.header + 1,
    resourceGroup: str('resourcegroup'),
    controllers: (str('controller') ?? 'localhost').split(',').map((c) => c.trim()),
    preferLocal: yes('preferlocal'),
    exactSize: yes('exactsize'),
    allowTwoPrimaries: yes('allowtwoprimaries'),
    statusCache: integer(str('statuscache'), 0, 7200) || 60,
    content: contentTypes(v.has('content') ? v.get('content') : 'images').filter((c) => DRBD_CONTENT.includes(c)),
    disabled: v.has('disable') && parsePveBoolean(v.get('disable')) === true,
    shared: true,
    nodes: v.has('nodes') ? splitList(v.get('nodes') ?? '') : undefined,
    apiCert: str('apicrt'),
    apiKey: str('apikey'),
    apiCa: str('apica'),
    clusterLockTimeout: integer(str('clusterlocktimeout'), 0, Number.MAX_SAFE_INTEGER) ?? 0,
    searchDomain: str('searchdomain'),
  }
}

/** PVE's boolean: a bare key means true; 1/on/yes/true and 0/off/no/false, any case. */
export function parsePveBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return true
  if (/^(1|on|yes|true)$/i.test(value)) return true
  if (/^(0|off|no|false)$/i.test(value)) return false
  return undefined
}

/** PVE::Tools::split_list: commas, semicolons and whitespace separate. */
export function splitList(value: string): string[] {
  return value.replace(/[,;]/g, ' ').trim().split(/\s+/).filter((s) => s !== '')
}

export function contentTypes(value: string | undefined): string[] {
  return splitList(value ?? '')
}

function integer(value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return undefined
  const n = Number(value)
  return n >= min && n <= max ? n : undefined
}

/**
 * The base URLs the plugin tries, in order (it takes the first whose GET /health answers 200).
 * HTTPS on 3371 when a client certificate and key, or a CA, is configured, or when the token
 * file /var/lib/linstor.d/auth.json exists on the node; otherwise HTTP on 3370.
 */
export function controllerUrls(storage: DrbdStorage, options: {tokenFile?: boolean} = {}): string[] {
  const https = (storage.apiCert !== undefined && storage.apiKey !== undefined) || storage.apiCa !== undefined ||
    options.tokenFile === true
  return storage.controllers.map((c) => (https ? `https://${c}:3371` : `http://${c}:3370`))
}

/** The LINSTOR node name the plugin uses on a PVE node: `uname -n`, plus `.searchdomain`. */
export function linstorNodeName(storage: DrbdStorage, pveNodeName: string): string {
  return storage.searchDomain ? `${pveNodeName}.${storage.searchDomain}` : pveNodeName
}
