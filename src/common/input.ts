// Readers for request fields as LINSTOR clients send them: enums in any case, integers as
// numbers or numeric strings, null meaning "not given". Each throws InputError with a message
// that names the field; the caller picks the ret code.

export class InputError extends Error {}

export function optEnum<T extends string>(raw: unknown, field: string, choices: readonly T[]): T | undefined {
  if (raw === undefined || raw === null) return undefined
  if (typeof raw !== 'string') throw new InputError(`'${field}' must be one of ${choices.join(', ')}`)
  const hit = choices.find((c) => c === raw.toUpperCase())
  if (!hit) throw new InputError(`'${raw}' is not a valid ${field}; expected one of ${choices.join(', ')}`)
  return hit
}

export function optInt(raw: unknown, field: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined || raw === null) return undefined
  let n: number
  if (typeof raw === 'number') n = raw
  else if (typeof raw === 'bigint') n = Number(raw)
  else if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) n = Number(raw)
  else throw new InputError(`'${field}' must be an integer, got ${JSON.stringify(typeof raw === 'bigint' ? String(raw) : raw)}`)
  if (!Number.isSafeInteger(n)) throw new InputError(`'${field}' must be an integer, got ${String(raw)}`)
  if (n < min || n > max) throw new InputError(`'${field}' must be between ${min} and ${max}, got ${n}`)
  return n
}

export function optBool(raw: unknown, field: string): boolean | undefined {
  if (raw === undefined || raw === null) return undefined
  if (typeof raw === 'boolean') return raw
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true'
  throw new InputError(`'${field}' must be true or false`)
}

export function optString(raw: unknown, field: string, maxLen = 4096): string | undefined {
  if (raw === undefined || raw === null) return undefined
  if (typeof raw !== 'string') throw new InputError(`'${field}' must be a string`)
  if (raw.length > maxLen) throw new InputError(`'${field}' is longer than ${maxLen} characters`)
  return raw
}

export function optStringList(raw: unknown, field: string): string[] | undefined {
  if (raw === undefined || raw === null) return undefined
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) throw new InputError(`'${field}' must be a list of strings`)
  return raw as string[]
}

export function object(raw: unknown, field: string): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`'${field}' must be a JSON object`)
  return raw as Record<string, unknown>
}
