// Property maps and the `*Modify` convention shared by every object: override_props,
// delete_props, delete_namespaces. Inherited values are looked up, never copied down.
import {Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from './api-failure.ts'
import {checkWhitelisted} from './property-whitelist.ts'

export type Props = Record<string, string>

const keyRe = /^[A-Za-z0-9_][A-Za-z0-9_\-./:]*$/

/**
 * Checks a props map from a request: string keys and values (numbers and booleans are
 * stringified), and LINSTOR's whitelist unless the map is free-form (the key-value store).
 */
export function readProps(raw: unknown, what = 'props', whitelisted = true): Props {
  if (raw === undefined || raw === null) return {}
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidProp(`'${what}' must be an object of strings`)
  const out: Props = {}
  for (const [k, v] of Object.entries(raw)) {
    if (!keyRe.test(k) || k.length > 255 || k.includes('//') || k.split('/').includes('..')) {
      throw invalidProp(`Invalid property key '${k}'`)
    }
    if (typeof v === 'string') out[k] = v
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out[k] = String(v)
    else throw invalidProp(`Property '${k}' must be a string`)
    if ((out[k] as string).length > 4096) throw invalidProp(`Property '${k}' is longer than 4096 characters`)
  }
  if (whitelisted) checkWhitelisted(out)
  return out
}

const invalidProp = (message: string): ApiFailure =>
  new ApiFailure(Rc.FAIL_INVLD_PROP, {message, correction: 'Use keys like "Aux/name" with string values.'})

export interface PropsModify {override_props?: unknown, delete_props?: unknown, delete_namespaces?: unknown}

function stringList(raw: unknown, what: string): string[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) throw invalidProp(`'${what}' must be a list of strings`)
  return raw as string[]
}

/** Applies a *Modify body's property part; returns the new map (the input is not changed). */
export function modifyProps(current: Props, body: PropsModify, whitelisted = true): Props {
  const out = {...current, ...readProps(body.override_props, 'override_props', whitelisted)}
  for (const k of stringList(body.delete_props, 'delete_props')) delete out[k]
  for (const ns of stringList(body.delete_namespaces, 'delete_namespaces')) {
    const prefix = ns.endsWith('/') ? ns : ns + '/'
    for (const k of Object.keys(out)) if (k.startsWith(prefix)) delete out[k]
  }
  return out
}

/** The first map (lowest object first) that sets `key` gives its value. */
export function inherited(key: string, chain: readonly (Props | undefined)[]): string | undefined {
  for (const p of chain) if (p && key in p) return p[key]
  return undefined
}

/** One level of an inheritance chain: LINSTOR's object type (RSC, RSC_DFN, …), a description and its props. */
export interface PropsLevel {type: string, descr: string, props: Props | undefined}

export interface EffectiveProp {type: string, value: string, descr: string, other?: {type: string, value: string, descr: string}[]}

/**
 * Every key under `namespace` set somewhere in `chain` (lowest object first), as LINSTOR's
 * effective_props show it: where the winning value comes from, and the values it hides.
 */
export function effectiveProps(namespace: string, chain: readonly PropsLevel[]): Record<string, EffectiveProp> {
  const out: Record<string, EffectiveProp> = {}
  for (const level of chain) {
    for (const [key, value] of Object.entries(level.props ?? {})) {
      if (!key.startsWith(namespace)) continue
      const found = {type: level.type, value, descr: level.descr}
      const winner = out[key]
      if (winner) winner.other = [...winner.other ?? [], found]
      else out[key] = found
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
