// Property maps and the `*Modify` convention shared by every object: override_props,
// delete_props, delete_namespaces. Inherited values are looked up, never copied down.
import {Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from './api-failure.ts'

export type Props = Record<string, string>

const keyRe = /^[A-Za-z0-9_][A-Za-z0-9_\-./:]*$/

/** Checks a props map from a request: string keys and values (numbers and booleans are stringified). */
export function readProps(raw: unknown, what = 'props'): Props {
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
export function modifyProps(current: Props, body: PropsModify): Props {
  const out = {...current, ...readProps(body.override_props, 'override_props')}
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
