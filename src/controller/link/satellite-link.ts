// The controller side of the satellite link: it connects out to every satellite, sends the
// node's whole desired state, and keeps what the satellite reports. A node is ONLINE only while
// its satellite answers correctly signed replies.
import {nameKey} from '../../common/names.ts'
import type {Logger} from '../../common/log.ts'
import {parse, stringify} from '../../common/json.ts'
import {AUTH_HEADER, signRequest, verifyReply} from '../../protocol/auth.ts'
import {httpCall} from '../../api/http.ts'
import {PROTOCOL_VERSION, SYNC_PATH, type SatelliteReport} from '../../protocol/messages.ts'
import {desiredStateFor} from '../model/desired-state.ts'
import {hasSatellite, satelliteInterface} from '../model/node.ts'
import type {Store} from '../store/store.ts'

export type ConnectionStatus = 'OFFLINE' | 'CONNECTED' | 'ONLINE' | 'VERSION_MISMATCH' | 'AUTHENTICATION_ERROR' | 'HOSTNAME_MISMATCH'

export interface NodeRuntime {
  status: ConnectionStatus
  report?: SatelliteReport
  lastContact?: number
  lastError?: string
}

export interface SatelliteLink {
  runtime(node: string): NodeRuntime
  /** Asks for a sync of these nodes (or all) as soon as possible; resolves when it has run. */
  kick(nodes?: string[]): Promise<void>
  stop(): void
}

const INTERVAL_MS = 3000
const TIMEOUT_MS = 30_000

export interface LinkDeps {
  store: Store
  secret: string
  log: Logger
  intervalMs?: number
  /** Called after each good report from a node, before waiters of kick() resume. */
  onReport?: (node: string) => Promise<void>
}

export function startSatelliteLink(deps: LinkDeps): SatelliteLink {
  const {store, secret, log} = deps
  const runtimes = new Map<string, NodeRuntime>()
  const inFlight = new Map<string, Promise<void>>()
  const again = new Set<string>()
  let stopped = false

  const runtime = (node: string): NodeRuntime => {
    const k = nameKey(node)
    let r = runtimes.get(k)
    if (!r) runtimes.set(k, (r = {status: 'OFFLINE'}))
    return r
  }

  async function syncOnce(node: string): Promise<void> {
    const rec = store.state.nodes[nameKey(node)]
    const rt = runtime(node)
    const netIf = rec && satelliteInterface(rec)
    if (!rec || !netIf || !hasSatellite(rec.type)) return
    const body = stringify(desiredStateFor(store.state, rec.name))
    const {header, nonce} = signRequest(secret, 'POST', SYNC_PATH, body)
    const host = netIf.address.includes(':') ? `[${netIf.address}]` : netIf.address
    try {
      const res = await httpCall(`http://${host}:${netIf.port ?? 3366}${SYNC_PATH}`, {
        method: 'POST', body, headers: {'content-type': 'application/json', [AUTH_HEADER]: header}, timeoutMs: TIMEOUT_MS,
      })
      const text = res.text
      const signature = res.headers[AUTH_HEADER]
      if (res.status === 401 || !verifyReply(secret, typeof signature === 'string' ? signature : undefined, nonce, res.status, text)) {
        setStatus(rec.name, rt, 'AUTHENTICATION_ERROR', res.status === 401
          ? 'the satellite refused the cluster secret' : 'the reply was not signed with the cluster secret')
        return
      }
      if (res.status !== 200) throw new Error(`satellite answered ${res.status}: ${text.slice(0, 300)}`)
      const report = parse(text) as SatelliteReport
      if (report.protocol !== PROTOCOL_VERSION) {
        setStatus(rec.name, rt, 'VERSION_MISMATCH', `satellite speaks protocol ${report.protocol}, controller ${PROTOCOL_VERSION}`)
        return
      }
      rt.report = report
      rt.lastContact = Date.now()
      setStatus(rec.name, rt, 'ONLINE')
      await deps.onReport?.(rec.name)
    } catch (e) {
      setStatus(rec.name, rt, 'OFFLINE', (e as Error).message)
    }
  }

  function setStatus(node: string, rt: NodeRuntime, status: ConnectionStatus, error?: string): void {
    if (rt.status !== status) log.info('satellite connection', {node, status, ...(error ? {reason: error} : {})})
    rt.status = status
    rt.lastError = error
  }

  function schedule(node: string): Promise<void> {
    const k = nameKey(node)
    const running = inFlight.get(k)
    if (running) {
      // A sync is under way with older state: run once more after it, and let callers wait for that.
      again.add(k)
      return running.then(() => inFlight.get(k))
    }
    const p = (async () => {
      do {
        again.delete(k)
        await syncOnce(node)
      } while (again.has(k) && !stopped)
      inFlight.delete(k)
    })()
    inFlight.set(k, p)
    return p
  }

  const all = (): string[] => Object.values(store.state.nodes).filter((n) => hasSatellite(n.type)).map((n) => n.name)
  const timer = setInterval(() => void Promise.all(all().map(schedule)), deps.intervalMs ?? INTERVAL_MS)
  void Promise.all(all().map(schedule))

  return {
    runtime,
    kick: async (nodes) => {
      await Promise.all((nodes ?? all()).map(schedule))
    },
    stop: () => {
      stopped = true
      clearInterval(timer)
    },
  }
}
