// LINSTOR's property whitelist for the DrbdOptions namespace: DRBD's options (names, types and
// ranges as LINSTOR takes them from drbdsetup), DRBD Proxy's, and LINSTOR's own DrbdOptions/* keys.
// There a key that is not listed, or a value outside its range or enum, is refused with LINSTOR's
// texts; Aux/* and every other namespace stay free for users. Pure.
import {Rc, type RcText} from '../../common/api-call-rc.ts'
import {ApiFailure} from './api-failure.ts'

type Rule =
  | {kind: 'bool'} | {kind: 'string'} | {kind: 'long'}
  | {kind: 'range', min: bigint, max: bigint}
  /** An enum, or a number in [min, max] where a range is given (quorum: 1-32 or off|majority|all). */
  | {kind: 'enum', values: readonly string[], range?: {min: bigint, max: bigint}}

const bool: Rule = {kind: 'bool'}
const str: Rule = {kind: 'string'}
const long: Rule = {kind: 'long'}
const range = (min: number | bigint, max: number | bigint): Rule => ({kind: 'range', min: BigInt(min), max: BigInt(max)})
const oneOf = (...values: string[]): Rule => ({kind: 'enum', values})
const rangeOr = (min: number, max: number, ...values: string[]): Rule => ({kind: 'enum', values, range: {min: BigInt(min), max: BigInt(max)}})

const HANDLERS = ['after-resync-target', 'before-resync-target', 'before-resync-source', 'out-of-sync', 'quorum-lost', 'fence-peer', 'unfence-peer',
  'initial-split-brain', 'local-io-error', 'pri-lost', 'pri-lost-after-sb', 'pri-on-incon-degr', 'split-brain']

/** Known keys by namespace (the key without its last component). */
const NAMESPACES: Readonly<Record<string, Readonly<Record<string, Rule>>>> = {
  DrbdOptions: {
    'auto-quorum': oneOf('io-error', 'suspend-io', 'disabled'), 'auto-add-quorum-tiebreaker': bool, 'auto-diskful': long,
    'auto-diskful-allow-cleanup': bool, 'auto-verify-alg': str, 'auto-verify-algo-allowed-list': str, 'auto-verify-algo-disable': bool,
    AutoEvictAfterTime: long, AutoEvictMaxDisconnectedNodes: range(0, 100), AutoEvictMinReplicaCount: long, AutoEvictAllowEviction: bool,
    ExactSize: bool, SkipDisk: bool,
  },
  'DrbdOptions/Resource': {
    'cpu-mask': str, 'on-no-data-accessible': oneOf('io-error', 'suspend-io'), 'auto-promote': bool, 'peer-ack-window': range(2048, 204800),
    'peer-ack-delay': range(1, 10000), 'twopc-timeout': range(50, 600), 'twopc-retry-timeout': range(1, 50), 'auto-promote-timeout': range(0, 600),
    'max-io-depth': range(4, 4294967295), quorum: rangeOr(1, 32, 'off', 'majority', 'all'), 'on-no-quorum': oneOf('io-error', 'suspend-io'),
    'quorum-minimum-redundancy': rangeOr(1, 32, 'off', 'majority', 'all'), 'on-suspended-primary-outdated': oneOf('disconnect', 'force-secondary'),
  },
  'DrbdOptions/Net': {
    transport: str, protocol: oneOf('A', 'B', 'C'), timeout: range(1, 600), 'max-epoch-size': range(1, 20000), 'connect-int': range(1, 120),
    'ping-int': range(1, 120), 'sndbuf-size': range(0, 10485760), 'rcvbuf-size': range(0, 10485760), 'ko-count': range(0, 200),
    'allow-two-primaries': bool, 'cram-hmac-alg': str, 'shared-secret': str,
    'after-sb-0pri': oneOf('disconnect', 'discard-younger-primary', 'discard-older-primary', 'discard-zero-changes', 'discard-least-changes',
      'discard-local', 'discard-remote'),
    'after-sb-1pri': oneOf('disconnect', 'consensus', 'discard-secondary', 'call-pri-lost-after-sb', 'violently-as0p'),
    'after-sb-2pri': oneOf('disconnect', 'call-pri-lost-after-sb', 'violently-as0p'),
    'always-asbp': bool, 'rr-conflict': oneOf('disconnect', 'call-pri-lost', 'violently', 'retry-connect'), 'ping-timeout': range(1, 300),
    'data-integrity-alg': str, 'tcp-cork': bool, 'on-congestion': oneOf('block', 'pull-ahead', 'disconnect'), 'congestion-fill': range(0, 20971520),
    'congestion-extents': range(67, 65534), 'csums-alg': str, 'csums-after-crash-only': bool, 'verify-alg': str, 'use-rle': bool,
    'socket-check-timeout': range(0, 300), fencing: oneOf('dont-care', 'resource-only', 'resource-and-stonith'), 'max-buffers': range(32, 131072),
    'allow-remote-read': bool,
  },
  'DrbdOptions/Disk': {
    'on-io-error': oneOf('pass_on', 'call-local-io-error', 'detach'), 'disk-barrier': bool, 'disk-flushes': bool, 'disk-drain': bool,
    'md-flushes': bool, 'resync-after': str, 'al-extents': range(67, 65534), 'al-updates': bool, 'discard-zeroes-if-aligned': bool,
    'disable-write-same': bool, 'disk-timeout': range(0, 6000),
    'read-balancing': oneOf('prefer-local', 'prefer-remote', 'round-robin', 'least-pending', 'when-congested-remote', '32K-striping', '64K-striping',
      '128K-striping', '256K-striping', '512K-striping', '1M-striping'),
    'rs-discard-granularity': range(0, 1048576),
  },
  'DrbdOptions/PeerDevice': {
    'resync-rate': range(1, 8388608), 'c-plan-ahead': range(0, 300), 'c-delay-target': range(1, 100), 'c-fill-target': range(0, 1048576),
    'c-max-rate': range(250, 4194304), 'c-min-rate': range(0, 4194304), bitmap: bool,
  },
  'DrbdOptions/Handlers': Object.fromEntries(HANDLERS.map((h) => [h, str])),
  'DrbdOptions/Proxy': {
    memlimit: range(16777216, 9223372036854775807n), 'read-loops': range(0, 2147483647), 'sndbuf-size': range(0, 10485760),
    'rcvbuf-size': range(0, 10485760), 'ping-timeout': range(1, 300),
  },
  'DrbdOptions/ProxyCompression': {
    'dict-size': range(4096, 1610612736), lc: range(0, 4), lp: range(0, 4), pb: range(0, 4), 'nice-len': range(0, 273),
    mf: oneOf('hc4', 'hc3', 'bt2', 'bt3', 'bt4'), mode: oneOf('fast', 'normal'), depth: range(0, 1000), level: range(1, 22),
    contexts: range(1, 253), 'fallback-to-zlib': oneOf('off', 'on'), 'numa-threshold': range(0, 253),
  },
}

const INTEGER = /^-?\d+$/
const BOOL = /^(?:true|false|yes|no)$/i

function inRange(v: string, r: {min: bigint, max: bigint}): boolean {
  if (!INTEGER.test(v)) return false
  const n = BigInt(v)
  return n >= r.min && n <= r.max
}

function valid(rule: Rule, v: string): boolean {
  switch (rule.kind) {
    case 'bool': return BOOL.test(v)
    case 'string': return true
    case 'long': return inRange(v, {min: -(2n ** 63n), max: 2n ** 63n - 1n})
    case 'range': return inRange(v, rule)
    case 'enum': return rule.values.includes(v) || (rule.range !== undefined && inRange(v, rule.range))
  }
}

function describe(rule: Rule): string {
  switch (rule.kind) {
    case 'bool': return 'true|false|yes|no'
    case 'string': return 'any text'
    case 'long': return 'a whole number'
    case 'range': return `a whole number in ${rule.min}-${rule.max}`
    case 'enum': return rule.range ? `a whole number in ${rule.range.min}-${rule.range.max}, or ${rule.values.join('|')}` : rule.values.join('|')
  }
}

/** Edit distance, for "did you mean": a typo is usually one or two characters off. */
function distance(a: string, b: string): number {
  let prev = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = row
  }
  return prev[b.length] as number
}

function nearestKey(key: string): string | undefined {
  let best: {key: string, d: number} | undefined
  for (const [ns, rules] of Object.entries(NAMESPACES)) {
    for (const name of Object.keys(rules)) {
      const d = distance(key, `${ns}/${name}`)
      if (d <= 2 && (!best || d < best.d)) best = {key: `${ns}/${name}`, d}
    }
  }
  return best?.key
}

/** Why LINSTOR would refuse `key=value`, in its words; undefined when it is allowed. */
export function propertyProblem(key: string, value: string): RcText | undefined {
  if (key.split('/')[0] !== 'DrbdOptions') return undefined
  const cut = key.lastIndexOf('/')
  const rule = cut < 0 ? undefined : NAMESPACES[key.slice(0, cut)]?.[key.slice(cut + 1)]
  if (!rule) {
    const near = nearestKey(key)
    return {message: 'Invalid property key', cause: `The key '${key}' is not whitelisted.`,
      correction: near ? `Did you mean '${near}'? Keys of your own belong under 'Aux/'.` : `Use a key LINSTOR knows in this namespace; keys of your own belong under 'Aux/'.`}
  }
  if (valid(rule, value)) return undefined
  return {message: 'Invalid property value', cause: `The value '${value}' is not valid for the key '${key}'`,
    details: `The value must match '${describe(rule)}'`, correction: `Give '${key}' ${describe(rule)}.`}
}

/** Refuses the first property LINSTOR's whitelist would refuse. */
export function checkWhitelisted(props: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(props)) {
    const problem = propertyProblem(k, v)
    if (problem) throw new ApiFailure(Rc.FAIL_INVLD_PROP, problem)
  }
}
