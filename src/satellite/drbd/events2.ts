// `drbdsetup events2` folded into a state map per resource. The stream starts with `exists ...`
// lines for everything present, then `exists -`, then `create|change|destroy ...` as things
// happen; a `change` line carries only what changed, so lines merge into the previous state.
// The same parser reads DRBD 8.4: drbd-utils 9 ships drbdsetup-84, whose events2 prints the same
// objects with fewer fields (no promotion score, quorum, client or open; conn-name is always
// "peer" and peer-node-id 0). Pure: applyEventLine returns a new state and never mutates.

export interface DeviceState {
  volume: number
  minor?: number
  /** Diskless, Attaching, Detaching, Failed, Negotiating, Inconsistent, Outdated, DUnknown, Consistent, UpToDate. */
  disk?: string
  /** Intentionally diskless (a DRBD client), as opposed to a lost disk. */
  client?: boolean
  /** Backing device path; null when DRBD reports `none`. */
  backingDev?: string | null
  quorum?: boolean
  /** Some process has the device open (DRBD 9.2 with drbd-utils 9.29+). */
  open?: boolean
  sizeKib?: number
}

export interface PeerDeviceState {
  volume: number
  /** Off, Established, StartingSyncS/T, WFBitMapS/T, WFSyncUUID, SyncSource, SyncTarget, PausedSyncS/T, VerifyS/T, Ahead, Behind. */
  replication?: string
  peerDisk?: string
  peerClient?: boolean
  /** `no` or a comma list of user, peer, dependency, max-parallel. */
  resyncSuspended?: string
  /** Resync progress in percent, while a resync runs (DRBD 9). */
  done?: number
  outOfSyncKib?: number
}

export interface PathState {local: string, peer: string, established?: boolean}

export interface ConnectionState {
  /** conn-name: the peer's name from the `.res` file. */
  name: string
  peerNodeId?: number
  /** StandAlone, Disconnecting, Unconnected, Timeout, BrokenPipe, NetworkFailure, ProtocolError, Connecting, TearDown, Connected. */
  connection?: string
  peerRole?: string
  congested?: boolean
  /** By volume number. */
  peerDevices: Readonly<Record<string, PeerDeviceState>>
  paths: readonly PathState[]
}

export interface ResourceState {
  name: string
  /** Primary, Secondary or Unknown. */
  role?: string
  /** `no` or a comma list of user, no-data, fencing, quorum. */
  suspended?: string
  forceIoFailures?: boolean
  writeOrdering?: string
  mayPromote?: boolean
  promotionScore?: number
  /** By volume number. */
  devices: Readonly<Record<string, DeviceState>>
  /** By conn-name. */
  connections: Readonly<Record<string, ConnectionState>>
}

export interface Events2State {
  resources: Readonly<Record<string, ResourceState>>
  /** `exists -` was seen: the initial dump is complete and absent resources are really absent. */
  initialDone: boolean
  /** Events the kernel dropped (`- skipped N`): the state may be stale, restart events2 to resync. */
  skipped: number
}

export const emptyEvents2State = (): Events2State => ({resources: {}, initialDone: false, skipped: 0})

/** Arguments for `drbdsetup`: the whole state once (`now`) or the initial state then a stream. */
export const events2Args = (opts: {now?: boolean, statistics?: boolean, timestamps?: boolean} = {}): string[] =>
  ['events2', ...(opts.timestamps ? ['--timestamps'] : []), ...(opts.statistics ? ['--statistics'] : []), ...(opts.now ? ['--now'] : []), 'all']

// ---- one line ---------------------------------------------------------------------------------

const ACTIONS = new Set(['exists', 'create', 'change', 'destroy', 'rename', 'call', 'response'])
// `drbdsetup events2 --timestamps` prefixes each line with an ISO time.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\S+$/

interface Event {action: string, object: string, fields: Map<string, string>}

/** One line as action, object and key:value fields; undefined for anything else. */
export function parseEventLine(line: string): Event | undefined {
  const words = line.trim().split(/\s+/)
  if (TIMESTAMP.test(words[0] ?? '')) words.shift()
  const [action, object, ...rest] = words
  if (action === undefined || object === undefined || !ACTIONS.has(action)) return undefined
  const fields = new Map<string, string>()
  for (const w of rest) {
    const i = w.indexOf(':')
    if (i <= 0) continue
    // `--diff` output shows `old->new`; keep the new value.
    const value = w.slice(i + 1)
    const arrow = value.lastIndexOf('->')
    fields.set(w.slice(0, i), arrow >= 0 ? value.slice(arrow + 2) : value)
  }
  return {action, object, fields}
}

const yesNo = (v: string | undefined): boolean | undefined => (v === 'yes' || v === 'true' ? true : v === 'no' || v === 'false' ? false : undefined)
const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  return Number.isFinite(n) ? n : undefined
}

/** Copies the fields that are present: a change line leaves everything else as it was. */
function merge<T extends object>(base: T, patch: Partial<T>): T {
  const out = {...base}
  for (const [k, v] of Object.entries(patch) as [keyof T, T[keyof T] | undefined][]) if (v !== undefined) out[k] = v
  return out
}

const without = <T>(rec: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const out = {...rec}
  delete out[key]
  return out
}

const newResource = (name: string): ResourceState => ({name, devices: {}, connections: {}})
const newConnection = (name: string): ConnectionState => ({name, peerDevices: {}, paths: []})

function resourcePatch(f: Map<string, string>): Partial<ResourceState> {
  return {role: f.get('role'), suspended: f.get('suspended'), forceIoFailures: yesNo(f.get('force-io-failures')),
    writeOrdering: f.get('write-ordering'), mayPromote: yesNo(f.get('may_promote')), promotionScore: num(f.get('promotion_score'))}
}

function devicePatch(f: Map<string, string>): Partial<DeviceState> {
  const backing = f.get('backing_dev')
  return {minor: num(f.get('minor')), disk: f.get('disk'), client: yesNo(f.get('client')),
    backingDev: backing === undefined ? undefined : backing === 'none' ? null : backing,
    quorum: yesNo(f.get('quorum')), open: yesNo(f.get('open')), sizeKib: num(f.get('size'))}
}

function peerDevicePatch(f: Map<string, string>): Partial<PeerDeviceState> {
  return {replication: f.get('replication'), peerDisk: f.get('peer-disk'), peerClient: yesNo(f.get('peer-client')),
    resyncSuspended: f.get('resync-suspended'), done: num(f.get('done')), outOfSyncKib: num(f.get('out-of-sync'))}
}

function connectionPatch(f: Map<string, string>): Partial<ConnectionState> {
  return {peerNodeId: num(f.get('peer-node-id')), connection: f.get('connection'), peerRole: f.get('role'), congested: yesNo(f.get('congested'))}
}

/** A line about something inside a resource: the resource's new state, or undefined to drop it. */
function applyInResource(r: ResourceState, e: Event): ResourceState | undefined {
  const f = e.fields
  const gone = e.action === 'destroy'
  switch (e.object) {
    case 'resource':
      return gone ? undefined : merge(r, resourcePatch(f))
    case 'device': {
      const vol = num(f.get('volume'))
      if (vol === undefined) return r
      const key = String(vol)
      if (gone) return {...r, devices: without(r.devices, key)}
      return {...r, devices: {...r.devices, [key]: merge(r.devices[key] ?? {volume: vol}, devicePatch(f))}}
    }
    case 'connection':
    case 'peer-device':
    case 'path': {
      const connName = f.get('conn-name') ?? 'peer'
      const conn = r.connections[connName]
      if (e.object === 'connection' && gone) return {...r, connections: without(r.connections, connName)}
      const c = applyInConnection(conn ?? newConnection(connName), e)
      return {...r, connections: {...r.connections, [connName]: c}}
    }
    default:
      return r
  }
}

function applyInConnection(c: ConnectionState, e: Event): ConnectionState {
  const f = e.fields
  const gone = e.action === 'destroy'
  if (e.object === 'connection') return merge(c, connectionPatch(f))
  const withId = merge(c, {peerNodeId: num(f.get('peer-node-id'))})
  if (e.object === 'peer-device') {
    const vol = num(f.get('volume'))
    if (vol === undefined) return c
    const key = String(vol)
    if (gone) return {...withId, peerDevices: without(c.peerDevices, key)}
    const prev = c.peerDevices[key] ?? {volume: vol}
    const next = merge(prev, peerDevicePatch(f))
    // `done` is only printed while a resync runs; a new replication state without it ends the resync.
    if (f.has('replication') && !f.has('done')) delete next.done
    return {...withId, peerDevices: {...c.peerDevices, [key]: next}}
  }
  // path: identified by its two addresses
  const local = f.get('local')
  const peer = f.get('peer')
  if (local === undefined || peer === undefined) return c
  const others = c.paths.filter((p) => !(p.local === local && p.peer === peer))
  if (gone) return {...withId, paths: others}
  const prev = c.paths.find((p) => p.local === local && p.peer === peer) ?? {local, peer}
  return {...withId, paths: [...others, merge(prev, {established: yesNo(f.get('established'))})]}
}

/**
 * The state after one events2 line. Lines it does not understand (helper calls, blank lines,
 * garbage) leave the state as it is; the same object is returned then.
 */
export function applyEventLine(state: Events2State, line: string): Events2State {
  const skipped = /^(?:\S+\s+)?-\s+skipped\s+(\d+)\s*$/.exec(line.trim())
  if (skipped) return {...state, skipped: state.skipped + Number(skipped[1])}
  const e = parseEventLine(line)
  if (!e) return state
  if (e.action === 'exists' && e.object === '-') return {...state, initialDone: true}
  if (e.action === 'call' || e.action === 'response') return state
  const name = e.fields.get('name')
  if (name === undefined) return state
  if (e.action === 'rename') {
    const to = e.fields.get('new_name')
    const r = state.resources[name]
    if (to === undefined || !r) return state
    return {...state, resources: {...without(state.resources, name), [to]: {...r, name: to}}}
  }
  const prev = state.resources[name]
  // Objects of a resource that was never announced: after `- skipped` or a partial stream.
  if (!prev && e.action === 'destroy') return state
  const next = applyInResource(prev ?? newResource(name), e)
  return {...state, resources: next ? {...state.resources, [name]: next} : without(state.resources, name)}
}

/** A whole events2 text (for example `drbdsetup events2 --now --statistics all`) folded from `state`. */
export function parseEvents2(text: string, state: Events2State = emptyEvents2State()): Events2State {
  return text.split('\n').reduce(applyEventLine, state)
}

// ---- reading the state ------------------------------------------------------------------------------

const SYNC_STATES = new Set(['SyncSource', 'SyncTarget', 'PausedSyncS', 'PausedSyncT'])

/** In use as LINSTOR reports it: Primary, or (DRBD 9.2) some device held open. */
export const inUse = (r: ResourceState): boolean => r.role === 'Primary' || Object.values(r.devices).some((d) => d.open === true)

/**
 * Resync progress of one volume towards or from one peer, in percent; undefined when no resync
 * runs. DRBD 9 prints `done:`; DRBD 8.4 does not, so it is estimated from out-of-sync and size.
 */
export function syncPercent(r: ResourceState, connName: string, volume: number): number | undefined {
  const pd = r.connections[connName]?.peerDevices[String(volume)]
  if (!pd?.replication || !SYNC_STATES.has(pd.replication)) return undefined
  if (pd.done !== undefined) return pd.done
  const size = r.devices[String(volume)]?.sizeKib
  if (size === undefined || size === 0 || pd.outOfSyncKib === undefined) return undefined
  return Math.round(10000 * (1 - pd.outOfSyncKib / size)) / 100
}
