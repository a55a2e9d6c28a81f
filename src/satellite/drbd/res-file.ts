// One DRBD resource as a `.res` file, seen from the local node: DRBD 9 syntax laid out as the
// LINSTOR satellite writes it (local `on` block first, peers sorted by name, one explicit
// `connection` per peer, no connection-mesh), or DRBD 8.4 syntax for two-node resources.
// Pure: every value is checked before it is written, so a bad property can never break the file
// (one unparsable file in the include directory makes drbdadm refuse every resource).
import {isIP} from 'node:net'
import type {DesiredDrbdResource, DrbdAddress, DrbdPeer, DrbdVolume} from '../../protocol/drbd.ts'

export type DrbdMode = 'drbd9' | 'drbd84'

/** What only the satellite knows: its `uname -n` (must match drbdadm's host name) and backing devices. */
export interface LocalDrbdFacts {
  node: string
  /** Backing block device per volume number; unused on a diskless resource. */
  backingDisks: Record<number, string>
}

/** A desired resource that cannot be written as a `.res` file; `problems` lists every reason. */
export class DrbdConfigError extends Error {
  readonly problems: string[]
  constructor(rsc: string, problems: string[]) {
    // A resource-level option is read once per connection: report it once.
    const unique = [...new Set(problems)]
    super(`DRBD resource '${rsc}': ${unique.join('; ')}`)
    this.problems = unique
  }
}

/** Section of a `DrbdOptions/<Section>/<option>` property; other `DrbdOptions/*` keys are LINSTOR's own. */
type Section = 'Resource' | 'Net' | 'Disk' | 'PeerDevice' | 'Handlers'
const SECTIONS: readonly Section[] = ['Resource', 'Net', 'Disk', 'PeerDevice', 'Handlers']

/**
 * Options whose value is a free string: written quoted, as LINSTOR's whitelist does (from
 * `drbdsetup xml-help`, type "string"). Handler commands are always quoted too.
 */
const STRING_OPTIONS = new Set(['cpu-mask', 'cram-hmac-alg', 'shared-secret', 'data-integrity-alg', 'csums-alg', 'verify-alg', 'transport'])

/**
 * DRBD 8.4 option names per `.res` section, from `drbdsetup-84 xml-help` (drbd-utils 9.22; 8.4 is
 * frozen) and drbdadm-84's handler keywords. Used to refuse options 8.4 does not have.
 */
export const DRBD84_OPTIONS: Readonly<Record<'options' | 'net' | 'disk' | 'handlers', readonly string[]>> = {
  options: ['cpu-mask', 'on-no-data-accessible'],
  net: ['protocol', 'timeout', 'max-epoch-size', 'max-buffers', 'unplug-watermark', 'connect-int', 'ping-int', 'sndbuf-size',
    'rcvbuf-size', 'ko-count', 'allow-two-primaries', 'cram-hmac-alg', 'shared-secret', 'after-sb-0pri', 'after-sb-1pri',
    'after-sb-2pri', 'always-asbp', 'rr-conflict', 'ping-timeout', 'data-integrity-alg', 'tcp-cork', 'on-congestion',
    'congestion-fill', 'congestion-extents', 'csums-alg', 'csums-after-crash-only', 'verify-alg', 'use-rle', 'socket-check-timeout'],
  disk: ['on-io-error', 'fencing', 'disk-barrier', 'disk-flushes', 'disk-drain', 'md-flushes', 'resync-rate', 'resync-after',
    'al-extents', 'al-updates', 'discard-zeroes-if-aligned', 'disable-write-same', 'c-plan-ahead', 'c-delay-target',
    'c-fill-target', 'c-max-rate', 'c-min-rate', 'disk-timeout', 'read-balancing', 'rs-discard-granularity'],
  handlers: ['pri-on-incon-degr', 'pri-lost-after-sb', 'pri-lost', 'fence-peer', 'unfence-peer', 'local-io-error', 'split-brain',
    'before-resync-target', 'after-resync-target', 'initial-split-brain', 'out-of-sync', 'before-resync-source'],
}

/**
 * DRBD 9 settings that only restate what 8.4 always does: left out in 8.4 mode instead of
 * refused (the controller's auto-quorum sets `quorum off` on every two-node resource).
 */
const DRBD84_IMPLIED: Readonly<Record<string, string>> = {
  'DrbdOptions/Resource/quorum': 'off',
  'DrbdOptions/Resource/quorum-minimum-redundancy': 'off',
  'DrbdOptions/Resource/auto-promote': 'no',
  'DrbdOptions/PeerDevice/bitmap': 'yes',
  'DrbdOptions/Net/transport': 'tcp',
}

/**
 * DRBD 9 options that only act in states DRBD 8.4 never enters: left out of an 8.4 file (named in
 * its header) instead of refused, as leaving them out changes nothing there.
 * on-suspended-primary-outdated tells a Primary whose I/O is suspended (DRBD 9 quorum loss) what to
 * do once a peer has outdated it; 8.4 has no quorum, and its Primary keeps I/O going
 * unless `fencing` freezes it, which the fence-peer handler resolves as it always did. Every
 * gateway target sets it, so without this no target could run on 8.4.
 */
const DRBD84_INERT: ReadonlySet<string> = new Set(['DrbdOptions/Resource/on-suspended-primary-outdated'])

const OPTION_NAME = /^[a-z0-9][a-z0-9-]*$/
const RSC_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/
const NODE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/
// drbdadm's scanner: bare words are [a-zA-Z0-9/._-]{1,128}; quoted strings hold at most 255 characters.
const BARE = /^[A-Za-z0-9/._-]{1,128}$/
const QUOTED_MAX = 255
// Characters that would end or escape a quoted string, end a statement or open/close a block;
// control characters (newline first) too.
const forbiddenChar = (v: string): string | undefined =>
  [...v].find((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '"\\;{}'.includes(c))
// The kernel keeps at most 63 bytes of shared secret; drbdadm refuses longer ones.
const SECRET_MAX = 63
const MINOR_MAX = (1 << 20) - 1
const NODE_ID_MAX = 31

/** `/dev/drbd<minor>`: the device DRBD creates for a volume. */
export const drbdDevicePath = (minor: number): string => `/dev/drbd${minor}`

/** Peer `disk` placeholder LINSTOR writes for a diskful peer: drbdadm needs a path there but never opens it. */
const PEER_DISK = '/dev/drbd/this/is/not/used'

// ---- values --------------------------------------------------------------------------------

function valueProblem(what: string, v: string): string | undefined {
  if (v === '') return `${what} is empty`
  const bad = forbiddenChar(v)
  if (bad !== undefined) return `${what} ${JSON.stringify(v)} contains ${JSON.stringify(bad)}, which a .res file cannot hold`
  if (v.length > QUOTED_MAX) return `${what} is longer than ${QUOTED_MAX} characters`
  return undefined
}

const quote = (v: string): string => `"${v}"`
/** A checked value as drbdadm reads it: bare when it is one word, quoted otherwise. */
const word = (v: string, forceQuote = false): string => (!forceQuote && BARE.test(v) ? v : quote(v))

// ---- option collection -------------------------------------------------------------------------

interface OptionKey {section: Section, name: string}

/**
 * Splits `DrbdOptions/<Section>/<name>`; undefined for LINSTOR-only keys (`DrbdOptions/auto-quorum`,
 * `auto-add-quorum-tiebreaker`, `auto-verify-alg`, `ExactSize`, `AutoEvict*`, `Proxy/*`, ...) that
 * steer the controller and are never written as DRBD options.
 */
export function drbdOptionKey(key: string): OptionKey | undefined {
  const parts = key.split('/')
  if (parts[0] !== 'DrbdOptions' || parts.length < 3) return undefined
  const section = SECTIONS.find((s) => s === parts[1])
  if (!section) return undefined
  return {section, name: parts.slice(2).join('/')}
}

/** Options of one section (`name → value`), from any number of full-key maps, later maps winning. */
function sectionOptions(problems: string[], section: Section, ...maps: Readonly<Record<string, string>>[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const map of maps) {
    for (const [key, value] of Object.entries(map)) {
      const k = drbdOptionKey(key)
      if (k?.section !== section) continue
      if (!OPTION_NAME.test(k.name)) {
        problems.push(`property '${key}' does not name a DRBD option`)
        continue
      }
      const p = valueProblem(`property '${key}'`, value)
      if (p) problems.push(p)
      else out.set(k.name, value)
    }
  }
  return out
}

const sorted = (m: Map<string, string>): [string, string][] => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

function optionLines(m: Map<string, string>, quoteAll: boolean): string[] {
  return sorted(m).map(([k, v]) => `${k} ${word(v, quoteAll || STRING_OPTIONS.has(k))};`)
}

const isTrue = (v: string | undefined): boolean => v !== undefined && ['true', 'yes'].includes(v.toLowerCase())

/**
 * `verify-alg` LINSTOR adds when none is set: the controller's `DrbdOptions/auto-verify-alg`,
 * unless `DrbdOptions/auto-verify-algo-disable` is set.
 */
function autoVerifyAlg(options: Readonly<Record<string, string>>): string | undefined {
  if (options['DrbdOptions/Net/verify-alg'] !== undefined || isTrue(options['DrbdOptions/auto-verify-algo-disable'])) return undefined
  return options['DrbdOptions/auto-verify-alg']
}

// ---- structure checks ----------------------------------------------------------------------------

function addressProblem(what: string, a: DrbdAddress): string | undefined {
  if (!isIP(a.ip)) return `${what} ${JSON.stringify(a.ip)} is not an IP address`
  if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535) return `${what} port ${a.port} is out of range`
  return undefined
}

/** `ipv4 1.2.3.4:7000` or `ipv6 [fd00::1]:7000`, as drbdadm reads addresses. */
export const formatAddress = (a: DrbdAddress): string => (isIP(a.ip) === 6 ? `ipv6 [${a.ip}]:${a.port}` : `ipv4 ${a.ip}:${a.port}`)

const intIn = (n: number, lo: number, hi: number): boolean => Number.isInteger(n) && n >= lo && n <= hi

/** Checks names, numbers, addresses and devices common to both syntaxes. */
function structureProblems(res: DesiredDrbdResource, local: LocalDrbdFacts): string[] {
  const problems: string[] = []
  if (!RSC_NAME.test(res.rsc) || res.rsc.length > 128 || res.rsc === 'all') problems.push(`resource name ${JSON.stringify(res.rsc)} is not usable by drbdadm`)
  const names = new Set<string>()
  const ids = new Set<number>()
  const node = (name: string, nodeId: number, what: string): void => {
    if (!NODE_NAME.test(name) || name.length > 253) problems.push(`${what} name ${JSON.stringify(name)} is not a host name`)
    if (names.has(name.toLowerCase())) problems.push(`node '${name}' appears twice`)
    names.add(name.toLowerCase())
    if (!intIn(nodeId, 0, NODE_ID_MAX)) problems.push(`${what} '${name}' has node-id ${nodeId}, outside 0..${NODE_ID_MAX}`)
    else if (ids.has(nodeId)) problems.push(`node-id ${nodeId} is used twice`)
    ids.add(nodeId)
  }
  node(local.node, res.nodeId, 'local node')
  for (const p of res.peers) node(p.node, p.nodeId, 'peer')
  if (res.volumes.length === 0) problems.push('no volumes')
  const vlmNrs = new Set<number>()
  const minors = new Set<number>()
  for (const v of res.volumes) {
    if (!intIn(v.vlmNr, 0, 65535)) problems.push(`volume number ${v.vlmNr} is out of range`)
    if (vlmNrs.has(v.vlmNr)) problems.push(`volume ${v.vlmNr} appears twice`)
    vlmNrs.add(v.vlmNr)
    if (!intIn(v.minor, 0, MINOR_MAX)) problems.push(`volume ${v.vlmNr} has minor ${v.minor}, outside 0..${MINOR_MAX}`)
    if (minors.has(v.minor)) problems.push(`minor ${v.minor} is used twice`)
    minors.add(v.minor)
    if (!res.diskless) {
      const disk = local.backingDisks[v.vlmNr]
      if (disk === undefined) problems.push(`volume ${v.vlmNr} has no local backing device`)
      else if (!disk.startsWith('/')) problems.push(`backing device ${JSON.stringify(disk)} of volume ${v.vlmNr} is not an absolute path`)
      else {
        const p = valueProblem(`backing device of volume ${v.vlmNr}`, disk)
        if (p) problems.push(p)
      }
    }
  }
  if (res.secret !== undefined) {
    const p = valueProblem('shared secret', res.secret)
    if (p) problems.push(p.replace(JSON.stringify(res.secret), '(hidden)'))
    else if (res.secret.length > SECRET_MAX) problems.push(`shared secret is longer than ${SECRET_MAX} characters`)
  }
  for (const peer of res.peers) {
    if (!connected(res, peer)) continue
    if (peer.paths.length === 0) problems.push(`no network path to peer '${peer.node}'`)
    peer.paths.forEach((path, i) => {
      for (const [what, a] of [['local address', path.local], [`address of peer '${peer.node}'`, path.peer]] as const) {
        const p = addressProblem(`path ${i + 1}: ${what}`, a)
        if (p) problems.push(p)
      }
    })
  }
  return problems
}

/** Two diskless nodes never replicate to each other: LINSTOR writes no connection between them. */
const connected = (res: DesiredDrbdResource, peer: DrbdPeer): boolean => !(res.diskless && peer.diskless)

// ---- layout ----------------------------------------------------------------------------------------

/** A line, a blank separator (''), or a `name { ... }` block. */
type Item = string | Block
interface Block {head: string, body: Item[]}

const block = (head: string, body: Item[]): Block => ({head, body})

/**
 * Laid out as LINSTOR's ConfFileBuilder does: 4-space indent, `{` and `}` on lines of their own.
 * LINSTOR indents its blank separator lines; here they are empty (no trailing blanks).
 */
function layout(items: Item[], depth: number, out: string[]): void {
  const pad = '    '.repeat(depth)
  for (const it of items) {
    if (typeof it === 'string') out.push(it === '' ? '' : pad + it)
    else {
      out.push(pad + it.head, `${pad}{`)
      layout(it.body, depth + 1, out)
      out.push(`${pad}}`)
    }
  }
}

/** Sections that have content, each preceded by a blank separator. */
function sections(...blocks: (Block | undefined)[]): Item[] {
  return blocks.flatMap((b) => (b && b.body.length > 0 ? ['', b] : []))
}

function resourceText(res: DesiredDrbdResource, local: LocalDrbdFacts, mode: DrbdMode, body: Item[], notes: string[] = []): string {
  // No timestamp: the same desired state renders the same bytes, so "unchanged" is a plain comparison.
  const out = [
    '# This file was generated by Cairn, do not edit manually.',
    `# Node: ${local.node}`,
    `# Syntax: ${mode === 'drbd9' ? 'DRBD 9' : 'DRBD 8.4'}`,
    ...notes.map((n) => `# ${n}`),
    '',
  ]
  layout([block(`resource ${quote(res.rsc)}`, body)], 0, out)
  return `${out.join('\n')}\n`
}

/** The shared secret lines LINSTOR always writes first in `net`; explicit Net properties win. */
function secretOptions(res: DesiredDrbdResource): Map<string, string> {
  return new Map(res.secret !== undefined ? [['cram-hmac-alg', 'sha1'], ['shared-secret', res.secret]] : [])
}

function netLines(res: DesiredDrbdResource, net: Map<string, string>): string[] {
  const first = secretOptions(res)
  for (const k of first.keys()) if (net.has(k)) first.set(k, net.get(k) as string)
  const rest = new Map([...net].filter(([k]) => !first.has(k)))
  const fixed = [...first].map(([k, v]) => `${k.padEnd(17)} ${k === 'shared-secret' ? quote(v) : word(v)};`)
  return [...fixed, ...optionLines(rest, false)]
}

/** Volume-level disk options that differ from the resource-level ones (the rest is inherited). */
function volumeDiskLines(problems: string[], res: DesiredDrbdResource, v: DrbdVolume, rscDisk: Map<string, string>): string[] {
  const own = sectionOptions(problems, 'Disk', v.diskOptions)
  for (const [k, val] of own) if (rscDisk.get(k) === val) own.delete(k)
  const lines = optionLines(own, false)
  // LINSTOR's ExactSize: the device gets exactly the volume definition's size.
  if (isTrue(res.options['DrbdOptions/ExactSize'])) lines.push(`size ${v.sizeKib}k;`)
  return lines
}

const byVolume = (a: DrbdVolume, b: DrbdVolume): number => a.vlmNr - b.vlmNr
const byNode = (a: DrbdPeer, b: DrbdPeer): number => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)

// ---- DRBD 9 ------------------------------------------------------------------------------------------

function render9(res: DesiredDrbdResource, local: LocalDrbdFacts): string {
  const problems = structureProblems(res, local)
  const handlers = sectionOptions(problems, 'Handlers', res.options)
  const options = sectionOptions(problems, 'Resource', res.options)
  const net = sectionOptions(problems, 'Net', res.options)
  const verifyAlg = autoVerifyAlg(res.options)
  if (verifyAlg !== undefined) {
    const p = valueProblem("property 'DrbdOptions/auto-verify-alg'", verifyAlg)
    if (p) problems.push(p)
    else net.set('verify-alg', verifyAlg)
  }
  const disk = sectionOptions(problems, 'Disk', res.options)
  const volumes = [...res.volumes].sort(byVolume)
  const peers = [...res.peers].sort(byNode)

  const volumeBlock = (v: DrbdVolume, diskLine: string, diskLines: string[]): Block => block(`volume ${v.vlmNr}`, [
    `disk        ${diskLine};`,
    ...(diskLines.length > 0 ? [block('disk', diskLines)] : []),
    'meta-disk   internal;',
    `device      minor ${v.minor};`,
  ])
  const localOn = block(`on ${quote(local.node)}`, [
    ...volumes.map((v) => volumeBlock(v, res.diskless ? 'none' : word(local.backingDisks[v.vlmNr] ?? ''),
      res.diskless ? [] : volumeDiskLines(problems, res, v, disk))),
    `node-id    ${res.nodeId};`,
  ])
  const peerOns = peers.map((p) => block(`on ${quote(p.node)}`, [
    ...volumes.map((v) => volumeBlock(v, p.diskless ? 'none' : PEER_DISK, [])),
    `node-id    ${p.nodeId};`,
  ]))
  const connections = peers.filter((p) => connected(res, p)).map((p) => {
    const hosts = (path: DrbdPeer['paths'][number]): string[] => [
      `host ${quote(local.node)} address ${formatAddress(path.local)};`,
      `host ${quote(p.node)} address ${formatAddress(path.peer)};`,
    ]
    const connNet = sectionOptions(problems, 'Net', p.connectionOptions)
    // Peer-device options live only here: the same option in the resource `disk` section too
    // makes drbdadm fail with "ambiguous inheritance".
    const connDisk = sectionOptions(problems, 'PeerDevice', res.options, p.connectionOptions)
    const body: Item[] = [
      ...(connNet.size > 0 ? [block('net', optionLines(connNet, false))] : []),
      ...(connDisk.size > 0 ? [block('disk', optionLines(connDisk, false))] : []),
      ...(p.paths.length === 1 ? hosts(p.paths[0] as DrbdPeer['paths'][number])
        : p.paths.flatMap((path, i) => [...(i > 0 ? [''] : []), block('path', hosts(path))])),
    ]
    return block('connection', body)
  })
  if (problems.length > 0) throw new DrbdConfigError(res.rsc, problems)

  return resourceText(res, local, 'drbd9', sections(
    block('handlers', optionLines(handlers, true)),
    block('options', optionLines(options, false)),
    block('net', netLines(res, net)),
    block('disk', optionLines(disk, false)),
    localOn, ...peerOns, ...connections,
  ))
}

// ---- DRBD 8.4 ------------------------------------------------------------------------------------------

/** Where an option goes in an 8.4 file, or undefined if 8.4 has no such option. */
function section84(k: OptionKey): keyof typeof DRBD84_OPTIONS | undefined {
  const home = {Resource: 'options', Net: 'net', Disk: 'disk', Handlers: 'handlers', PeerDevice: 'disk'} as const
  // 8.4 keeps fencing and the resync controller with the disk, DRBD 9 moved them to net and peer devices.
  const target = k.section === 'Net' && k.name === 'fencing' ? 'disk' : home[k.section]
  return DRBD84_OPTIONS[target].includes(k.name) ? target : undefined
}

const allOptionMaps = (res: DesiredDrbdResource): Readonly<Record<string, string>>[] =>
  [res.options, ...res.peers.map((p) => p.connectionOptions), ...res.volumes.map((v) => v.diskOptions)]

/**
 * Why `res` cannot be written in DRBD 8.4 syntax (empty when it can): 8.4 connects exactly two
 * nodes over one path, has no diskless clients or tie-breakers, no quorum, no auto-promote and
 * fewer options. Settings that restate 8.4's own behaviour (`quorum off`, ...) and options that
 * act only where 8.4 never gets (DRBD84_INERT) are no problem.
 */
export function drbd84Problems(res: DesiredDrbdResource): string[] {
  const problems: string[] = []
  if (res.peers.length === 0) problems.push('a single-node resource needs DRBD 9 (DRBD 8.4 needs exactly one peer)')
  if (res.peers.length > 1) problems.push(`${res.peers.length} peers need DRBD 9 (DRBD 8.4 connects exactly two nodes)`)
  if (res.diskless) problems.push('a diskless (client) resource needs DRBD 9')
  for (const p of res.peers) {
    if (p.diskless) problems.push(`diskless peer '${p.node}' (client or tie-breaker) needs DRBD 9`)
    if (p.paths.length > 1) problems.push(`${p.paths.length} network paths to '${p.node}' need DRBD 9`)
  }
  const seen = new Set<string>()
  const quorumOff = (res.options['DrbdOptions/Resource/quorum'] ?? 'off') === 'off'
  for (const map of allOptionMaps(res)) {
    for (const [key, value] of Object.entries(map)) {
      const k = drbdOptionKey(key)
      if (!k || seen.has(key) || DRBD84_IMPLIED[key] === value || DRBD84_INERT.has(key)) continue
      // on-no-quorum does nothing without quorum.
      if (key === 'DrbdOptions/Resource/on-no-quorum' && quorumOff) continue
      seen.add(key)
      if (!section84(k)) problems.push(`option ${key} does not exist in DRBD 8.4`)
    }
  }
  return problems
}

function render84(res: DesiredDrbdResource, local: LocalDrbdFacts): string {
  const incompatible = drbd84Problems(res)
  if (incompatible.length > 0) throw new DrbdConfigError(res.rsc, incompatible.map((p) => `${p} (DRBD 8.4 mode)`))
  const problems = structureProblems(res, local)
  // Names, addresses and the one path must be sound before the `on` blocks can be built.
  if (problems.length > 0) throw new DrbdConfigError(res.rsc, problems)
  const peer = res.peers[0] as DrbdPeer
  const path = peer.paths[0] as DrbdPeer['paths'][number]
  // One connection: resource and connection settings meet in the resource's sections.
  const target: Record<keyof typeof DRBD84_OPTIONS, Map<string, string>> = {options: new Map(), net: new Map(), disk: new Map(), handlers: new Map()}
  for (const section of SECTIONS) {
    const maps = section === 'Net' || section === 'PeerDevice' ? [res.options, peer.connectionOptions] : [res.options]
    for (const [name, value] of sectionOptions(problems, section, ...maps)) {
      const key = `DrbdOptions/${section}/${name}`
      const to = section84({section, name})
      if (to && DRBD84_IMPLIED[key] !== value) target[to].set(name, value)
    }
  }
  const verifyAlg = autoVerifyAlg(res.options)
  if (verifyAlg !== undefined) {
    const p = valueProblem("property 'DrbdOptions/auto-verify-alg'", verifyAlg)
    if (p) problems.push(p)
    else target.net.set('verify-alg', verifyAlg)
  }
  // Named in the header, so that whoever reads the file sees what was not written and why.
  const inert = sorted(new Map(allOptionMaps(res).flatMap((m) => Object.entries(m)).filter(([k]) => DRBD84_INERT.has(k))))
  const notes = inert.length > 0 ? [`Left out (DRBD 9 only, without effect on DRBD 8.4): ${inert.map(([k, v]) => `${k}=${v}`).join(', ')}`] : []
  const volumes = [...res.volumes].sort(byVolume)
  const on = (name: string, address: DrbdAddress, disk: (v: DrbdVolume) => string, diskLines: (v: DrbdVolume) => string[]): Block =>
    block(`on ${quote(name)}`, [
      ...volumes.map((v) => {
        const lines = diskLines(v)
        return block(`volume ${v.vlmNr}`, [
          `device      ${drbdDevicePath(v.minor)} minor ${v.minor};`,
          `disk        ${disk(v)};`,
          ...(lines.length > 0 ? [block('disk', lines)] : []),
          'meta-disk   internal;',
        ])
      }),
      `address     ${formatAddress(address)};`,
    ])
  const localOn = on(local.node, path.local, (v) => word(local.backingDisks[v.vlmNr] ?? ''),
    (v) => volumeDiskLines(problems, res, v, target.disk))
  const peerOn = on(peer.node, path.peer, () => PEER_DISK, () => [])
  if (problems.length > 0) throw new DrbdConfigError(res.rsc, problems)

  return resourceText(res, local, 'drbd84', sections(
    block('handlers', optionLines(target.handlers, true)),
    block('options', optionLines(target.options, false)),
    block('net', netLines(res, target.net)),
    block('disk', optionLines(target.disk, false)),
    localOn, peerOn,
  ), notes)
}

/**
 * The `.res` file of `res` on this node. Throws DrbdConfigError (listing every problem) when a
 * name, value or address would not survive drbdadm's parser, or when 8.4 mode cannot express it.
 */
export function renderResFile(res: DesiredDrbdResource, local: LocalDrbdFacts, mode: DrbdMode): string {
  return mode === 'drbd9' ? render9(res, local) : render84(res, local)
}
