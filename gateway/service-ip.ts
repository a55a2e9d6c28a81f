// IP addresses with a prefix length, as Go's net.ParseCIDR reads them: the prefix is mandatory and
// the host address is kept ("192.168.122.181/24" stays that, it is not reduced to the network).

export type IpFamily = 'ipv4' | 'ipv6'

/** An address in canonical text form (RFC 5952 for IPv6) with its bytes (4 or 16). */
export interface IpAddress {
  family: IpFamily
  address: string
  bytes: readonly number[]
}

/** An address plus prefix length. */
export interface Cidr extends IpAddress {
  prefix: number
}

const DEC_OCTET = /^(?:0|[1-9]\d{0,2})$/
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/

function parseIpv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const bytes: number[] = []
  for (const p of parts) {
    // Go rejects leading zeros: "010" would be octal to some tools and decimal to others.
    if (!DEC_OCTET.test(p) || Number(p) > 255) return undefined
    bytes.push(Number(p))
  }
  return bytes
}

function parseIpv6Bytes(text: string): number[] | undefined {
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groupsOf = (half: string, isLast: boolean): number[] | undefined => {
    if (half === '') return []
    const out: number[] = []
    const parts = half.split(':')
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string
      if (isLast && i === parts.length - 1 && p.includes('.')) {
        // An IPv4 tail such as ::ffff:192.0.2.1 fills the last two groups.
        const v4 = parseIpv4Bytes(p)
        if (!v4) return undefined
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number))
      } else if (HEX_GROUP.test(p)) out.push(parseInt(p, 16))
      else return undefined
    }
    return out
  }
  const head = groupsOf(halves[0] as string, halves.length === 1)
  const tail = halves.length === 2 ? groupsOf(halves[1] as string, true) : []
  if (!head || !tail) return undefined
  const count = head.length + tail.length
  if (halves.length === 1 ? count !== 8 : count > 7) return undefined
  const groups = [...head, ...new Array<number>(8 - count).fill(0), ...tail]
  return groups.flatMap((g) => [g >> 8, g & 0xff])
}

/** Formats 4 or 16 address bytes; IPv6 per RFC 5952 (lowercase, longest zero run as "::"). */
export function formatIp(bytes: readonly number[]): string {
  if (bytes.length === 4) return bytes.join('.')
  if (bytes.length !== 16) throw new Error(`an IP address has 4 or 16 bytes, not ${bytes.length}`)
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`
  }
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number))
  let bestStart = -1
  let bestLen = 1 // a single zero group is not shortened
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':')
  if (bestStart < 0) return hex(groups)
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`
}

/** Parses an IPv4 or IPv6 address (no zone), or returns undefined. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = text.includes(':') ? undefined : parseIpv4Bytes(text)
  if (v4) return {family: 'ipv4', address: formatIp(v4), bytes: v4}
  const v6 = text.includes(':') ? parseIpv6Bytes(text) : undefined
  if (v6) return {family: 'ipv6', address: formatIp(v6), bytes: v6}
  return undefined
}

/** The address bits of a family. */
export const familyBits = (family: IpFamily): number => (family === 'ipv4' ? 32 : 128)

/** Parses "address/prefix", throwing Go's `invalid CIDR address: X` when it is not one. */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/')
  const ip = slash < 0 ? undefined : parseIp(text.slice(0, slash))
  const prefixText = text.slice(slash + 1)
  if (!ip || !/^\d+$/.test(prefixText) || Number(prefixText) > familyBits(ip.family)) {
    throw new Error(`invalid CIDR address: ${text}`)
  }
  return {...ip, prefix: Number(prefixText)}
}

/** Parses a service IP, throwing upstream's `failed to parse service ip: ...` message. */
export function parseServiceIp(text: string): Cidr {
  try {
    return parseCidr(text)
  } catch (e) {
    throw new Error(`failed to parse service ip: ${(e as Error).message}`, {cause: e})
  }
}

/** Why `text` is not a service IP, or undefined. */
export function serviceIpProblem(text: string): string | undefined {
  try {
    parseServiceIp(text)
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}

/** Builds a CIDR from an address and a prefix length, as read back from an IPaddr2 agent. */
export function cidrFromParts(address: string, prefix: number): Cidr {
  const ip = parseIp(address)
  if (!ip) throw new Error(`malformed ip ${address}`)
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > familyBits(ip.family)) {
    throw new Error(`invalid prefix length ${prefix} for ${address}`)
  }
  return {...ip, prefix}
}

/** "address/prefix" with the host address kept, as the REST API shows it. */
export const formatCidr = (c: Cidr): string => `${c.address}/${c.prefix}`

/** The catch-all network of a family: 0.0.0.0/0 or ::/0. */
export function catchAll(family: IpFamily): Cidr {
  const bytes = new Array<number>(family === 'ipv4' ? 4 : 16).fill(0)
  return {family, address: formatIp(bytes), bytes, prefix: 0}
}

/** True for 0.0.0.0/0 and ::/0. */
export const isCatchAll = (c: Cidr): boolean => c.prefix === 0 && c.bytes.every((b) => b === 0)

// IPv4 and its IPv4-mapped IPv6 form are the same address, as Go's IP.Equal sees it.
function as16(ip: IpAddress): readonly number[] {
  return ip.family === 'ipv4' ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...ip.bytes] : ip.bytes
}

/** Whether two addresses are the same host. */
export function sameIp(a: IpAddress, b: IpAddress): boolean {
  const x = as16(a)
  const y = as16(b)
  return x.every((v, i) => v === y[i])
}
