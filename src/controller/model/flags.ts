// Flag lists on records: set one, or apply a request's `["FLAG", "-OTHER"]` list. Pure.
import {Rc} from '../../common/api-call-rc.ts'
import {ApiFailure} from './api-failure.ts'

/** The record with `flag` set; the same record when it already is (records are never changed in place). */
export const withFlag = <T extends {flags: string[]}>(x: T, flag: string): T => (x.flags.includes(flag) ? x : {...x, flags: [...x.flags, flag]})

/** `["GROSS_SIZE", "-OTHER"]`: set or clear (leading '-') flags from an allowed list. */
export function applyFlagChanges(current: readonly string[], requested: readonly string[], allowed: readonly string[]): string[] {
  const out = new Set(current)
  for (const f of requested) {
    const clear = f.startsWith('-')
    const name = (clear ? f.slice(1) : f).toUpperCase()
    if (!allowed.includes(name)) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: `Flag '${name}' cannot be set here; allowed: ${allowed.join(', ')}`})
    if (clear) out.delete(name)
    else out.add(name)
  }
  return [...out]
}
