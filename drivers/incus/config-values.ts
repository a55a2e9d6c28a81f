// How Incus reads scalar config values (shared/util IsTrue/IsFalse, validate.IsUint32).

/** true/1/yes/on and false/0/no/off, any case; undefined for anything else. */
export function parseIncusBool(value: string): boolean | undefined {
  const v = value.toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(v)) return true
  if (['false', '0', 'no', 'off'].includes(v)) return false
  return undefined
}

export function parseUint32(value: string): number | undefined {
  if (!/^\d+$/.test(value)) return undefined
  const n = Number(value)
  return n <= 0xffffffff ? n : undefined
}
