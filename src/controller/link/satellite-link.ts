// The controller side of the satellite link: it connects out to every satellite, sends the
// node's whole desired state, and keeps what the satellite reports. A node is ONLINE only while
// its satellite answers correctly signed replies.
import {nameKey} from '../../common/names.ts'
import type {Logger} from '../../common/log.ts'
import {stringify} from '../../common/json.ts'
import {AUTH_HEADER, signRequest, verifyReply} from '../../protocol/auth.ts'
import {httpCall, TransportError} from '../../api/http.ts'
import {tlsClientOptions} from '../../protocol/link-tls.ts'
import {PING_PATH, PROTOCOL_VERSION, SYNC_PATH, type PingReply, type ResyncReply, type SatelliteReport} from '../../protocol/messages.ts'
import {seal, sealLinkSecrets} from '../../protocol/link-seal.ts'
import {SECRET_PATH, type SecretReply, type SecretRequest} from '../../protocol/secret-rotation.ts'
import {hasSatellite, satelliteInterface, type NodeRec} from '../model/node.ts'
import {nodeVersion} from '../model/state-index.ts'
import {applyDelta} from '../../protocol/rsc-delta.ts'
import {carryLookups} from '../../protocol/report-lookup.ts'
import {planSync, type SentState} from './desired-deltas.ts'
import type {Store} from '../store/store.ts'

export type ConnectionStatus = 'OFFLINE' | 'CONNECTED' | 'ONLINE' | 'VERSION_MISMATCH' | 'AUTHENTICATION_ERROR' | 'HOSTNAME_MISMATCH'

export interface NodeRuntime {
  status: ConnectionStatus
  report?: SatelliteReport
  lastContact?: number
  lastError?: string
  lastFullSync?: number
  /** The node's state version when its desired state was last sent, to tell whether a full sync is due. */
  sentVersion?: number
  /** What the satellite acknowledged last, for the next delta (desired-deltas.ts). */
  sent?: SentState
}

export interface SatelliteLink {
  runtime(node: string): NodeRuntime
  /** Asks for a sync of these nodes (or all) as soon as possible; resolves when it has run. */
  kick(nodes?: string[]): Promise<void>
  /**
   * A signed request to one node's satellite outside the sync (device listing, pool creation);
   * the reply body, or an Error saying why there is none.
   */
  call(node: string, path: string, body: unknown): Promise<unknown>
  /**
   * Rotates the cluster secret: stages `next` on every satellite, then (when all have it, or
   * `force`) persists it, switches to it and commits it on the satellites that staged it.
   */
  rotateSecret(next: string, persist: (next: string) => Promise<void>, force: boolean): Promise<SecretRotation>
  stop(): void
}

/** Which satellites took the new secret, and why the others did not; `switched` once the controller uses it. */
export interface SecretRotation {rotated: string[], failed: {node: string, error: string}[], switched: boolean}

const INTERVAL_MS = 3000
const TIMEOUT_MS = 30_000
/** A full sync at least this often even when nothing changed, as a safety net. */
const FULL_SYNC_MS = 60_000

export interface LinkDeps {
  store: Store
  secret: string
  log: Logger
  intervalMs?: number
  /** The master key while unlocked: it opens the LUKS keys a node's desired state carries. */
  masterKey?: () => Buffer | undefined
  /** Called after each good report from a node, before waiters of kick() resume. */
  onReport?: (node: string) => Promise<void>
}

export function startSatelliteLink(deps: LinkDeps): SatelliteLink {
  const {store, log} = deps
  let secret = deps.secret
  const runtimes = new Map<string, NodeRuntime>()
  const inFlight = new Map<string, Promise<void>>()
  let tlsOptions = tlsClientOptions(secret)
  const again = new Set<string>()
  let stopped = false

  const runtime = (node: string): NodeRuntime => {
    const k = nameKey(node)
    let r = runtimes.get(k)
    if (!r) runtimes.set(k, (r = {status: 'OFFLINE'}))
    return r
  }

  type Answer = {ok: true, body: unknown} | {ok: false}

  /** A signed POST to the node's satellite; sets the status itself when the answer is not usable. */
  async function signedPost(node: NodeRec, rt: NodeRuntime, path: string, body: string): Promise<Answer> {
    const netIf = satelliteInterface(node)
    if (!netIf) return {ok: false}
    const {header, nonce} = signRequest(secret, 'POST', path, body)
    const host = netIf.address.includes(':') ? `[${netIf.address}]` : netIf.address
    const ssl = netIf.encryption === 'SSL'
    try {
      const res = await httpCall(`${ssl ? 'https' : 'http'}://${host}:${netIf.port ?? (ssl ? 3367 : 3366)}${path}`, {
        method: 'POST', body, headers: {'content-type': 'application/json', [AUTH_HEADER]: header}, timeoutMs: TIMEOUT_MS,
        tls: ssl ? tlsOptions : undefined,
      })
      const signature = res.headers[AUTH_HEADER]
      if (res.status === 401 || !verifyReply(secret, typeof signature === 'string' ? signature : undefined, nonce, res.status, res.text)) {
        setStatus(node.name, rt, 'AUTHENTICATION_ERROR', res.status === 401
          ? 'the satellite refused the cluster secret' : 'the reply was not signed with the cluster secret')
        return {ok: false}
      }
      if (res.status !== 200) throw new Error(`satellite answered ${res.status}: ${res.text.slice(0, 300)}`)
      // The satellite protocol carries no int64 values: plain JSON.parse, much faster than the int64-exact reader.
      const reply = JSON.parse(res.text) as {protocol?: number}
      const protocol = reply.protocol
      if (protocol !== PROTOCOL_VERSION) {
        setStatus(node.name, rt, 'VERSION_MISMATCH', `satellite speaks protocol ${protocol}, controller ${PROTOCOL_VERSION}`)
        return {ok: false}
      }
      return {ok: true, body: reply}
    } catch (e) {
      // A TLS-PSK handshake fails with an alert when the satellite holds another secret.
      const refused = ssl && e instanceof TransportError && (e.code === 'EPROTO' || /alert|handshake/i.test(e.message))
      if (refused) setStatus(node.name, rt, 'AUTHENTICATION_ERROR', `the TLS handshake failed (${e.message}): the satellite does not hold the cluster secret`)
      else setStatus(node.name, rt, 'OFFLINE', (e as Error).message)
      return {ok: false}
    }
  }

  /**
   * The node's desired state, as a delta on what it acknowledged last unless `whole`; what the
   * satellite reports (whole, or a delta on the report held) replaces what we knew.
   */
  async function fullSync(node: NodeRec, rt: NodeRuntime, whole = false): Promise<void> {
    const version = nodeVersion(store.state, node.name)
    const plan = planSync(store.state, node.name, deps.masterKey?.(), whole ? undefined : rt.sent)
    const held = rt.report
    const message = whole || held?.seq === undefined ? plan.message : {...plan.message, reportBase: `${held.instance}/${held.seq}`}
    const answer = await signedPost(node, rt, SYNC_PATH, stringify(sealLinkSecrets(message, secret)))
    if (!answer.ok) return
    const reply = answer.body as SatelliteReport | ResyncReply
    // The satellite restarted or missed a sync: it holds nothing to apply a delta to.
    if ('resync' in reply) return plan.message.base === undefined ? undefined : fullSync(node, rt, true)
    if (reply.base !== undefined && (!held || reply.base !== held.seq || reply.instance !== held.instance)) {
      log.warn('satellite answered a delta on a report the controller does not hold; syncing whole', {node: node.name, base: reply.base})
      return whole ? undefined : fullSync(node, rt, true)
    }
    if (reply.base === undefined || !held) rt.report = reply
    else {
      rt.report = applyDelta(held, reply)
      carryLookups(held, rt.report, reply)
    }
    rt.sent = plan.acknowledged()
    rt.lastContact = Date.now()
    if (whole || plan.message.base === undefined) rt.lastFullSync = rt.lastContact
    rt.sentVersion = version
    setStatus(node.name, rt, 'ONLINE')
    await deps.onReport?.(node.name)
  }

  /**
   * The periodic check: a full sync when the desired state changed, the satellite restarted or
   * the last full sync is old; otherwise a cheap signed ping.
   */
  async function check(node: NodeRec, rt: NodeRuntime): Promise<void> {
    const unchanged = rt.sentVersion === nodeVersion(store.state, node.name)
    // Now and then the whole state, should a delta ever have missed something.
    if (Date.now() - (rt.lastFullSync ?? 0) > FULL_SYNC_MS) return fullSync(node, rt, true)
    if (rt.status !== 'ONLINE' || !unchanged) return fullSync(node, rt)
    const answer = await signedPost(node, rt, PING_PATH, '{}')
    if (!answer.ok) return
    const ping = answer.body as PingReply
    // Another process, or something finished there since the last report: hear about it now.
    if (ping.instance !== rt.report?.instance || (ping.activity ?? 0) !== (rt.report.activity ?? 0)) return fullSync(node, rt)
    rt.lastContact = Date.now()
  }

  async function syncOnce(node: string, full: boolean): Promise<void> {
    const rec = store.state.nodes[nameKey(node)]
    // An evicted node stays disconnected until `node restore`, as in LINSTOR.
    if (!rec || !hasSatellite(rec.type) || rec.flags.includes('EVICTED')) return
    const rt = runtime(node)
    return full ? fullSync(rec, rt) : check(rec, rt)
  }

  function setStatus(node: string, rt: NodeRuntime, status: ConnectionStatus, error?: string): void {
    if (rt.status !== status) log.info('satellite connection', {node, status, ...(error ? {reason: error} : {})})
    rt.status = status
    rt.lastError = error
  }

  /**
   * One sync per node at a time. A full sync asked for while one runs is done right after it
   * (the caller waits for that); a periodic check while one runs is dropped.
   */
  function schedule(node: string, full: boolean): Promise<void> {
    const k = nameKey(node)
    const running = inFlight.get(k)
    if (running) {
      if (full) again.add(k)
      return running
    }
    const p = (async () => {
      let f = full
      do {
        again.delete(k)
        await syncOnce(node, f)
        f = true
      } while (again.has(k) && !stopped)
      inFlight.delete(k)
    })()
    inFlight.set(k, p)
    return p
  }

  async function call(node: string, path: string, body: unknown): Promise<unknown> {
    const rec = store.state.nodes[nameKey(node)]
    if (!rec || !hasSatellite(rec.type)) throw new Error(`Node '${node}' has no satellite`)
    const rt = runtime(node)
    const answer = await signedPost(rec, rt, path, stringify(body))
    if (!answer.ok) throw new Error(`Satellite '${rec.name}' is ${rt.status}${rt.lastError ? `: ${rt.lastError}` : ''}`)
    return answer.body
  }

  const all = (): string[] => Object.values(store.state.nodes).filter((n) => hasSatellite(n.type)).map((n) => n.name)
  const timer = setInterval(() => void Promise.all(all().map((n) => schedule(n, false))), deps.intervalMs ?? INTERVAL_MS)
  void Promise.all(all().map((n) => schedule(n, true)))

  return {
    runtime,
    kick: async (nodes) => {
      await Promise.all((nodes ?? all()).map((n) => schedule(n, true)))
    },
    call,
    async rotateSecret(next, persist, force) {
      const nodes = all().filter((n) => !store.state.nodes[nameKey(n)]?.flags.includes('EVICTED'))
      const ask = async (node: string, req: SecretRequest): Promise<string | undefined> => {
        try {
          return (await call(node, SECRET_PATH, req) as SecretReply).error
        } catch (e) {
          return (e as Error).message
        }
      }
      const staged = await Promise.all(nodes.map(async (node) => ({node, error: await ask(node, {protocol: PROTOCOL_VERSION, op: 'stage', sealed: seal(next, secret, 'cluster secret rotation')})})))
      const failed = staged.filter((x): x is {node: string, error: string} => x.error !== undefined)
      const ready = staged.filter((x) => x.error === undefined).map((x) => x.node)
      if (failed.length && !force) return {rotated: [], failed, switched: false}
      await persist(next)
      secret = next
      tlsOptions = tlsClientOptions(next)
      log.info('cluster secret rotated', {satellites: ready.length})
      const committed = await Promise.all(ready.map(async (node) => ({node, error: await ask(node, {protocol: PROTOCOL_VERSION, op: 'commit'})})))
      return {rotated: committed.filter((x) => x.error === undefined).map((x) => x.node),
        failed: [...failed, ...committed.filter((x): x is {node: string, error: string} => x.error !== undefined)], switched: true}
    },
    stop: () => {
      stopped = true
      clearInterval(timer)
    },
  }
}
