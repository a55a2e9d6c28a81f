// The controller's periodic node-lifecycle work. Every tick: auto-evict, evacuations still
// looking for a replacement, auto-diskful; every BalanceResourcesInterval: the rebalancer. The
// pure models decide; this shell tracks the runtime facts they need (since when a node is
// offline, since when a diskless resource is Primary), commits, and logs what was done. The
// satellite link notices the changed desired states on its own next check.
import {nameKey} from '../../common/names.ts'
import type {Logger} from '../../common/log.ts'
import {drbdOf} from '../../protocol/report-lookup.ts'
import type {SatelliteLink} from '../link/satellite-link.ts'
import type {Ids} from '../model/api-failure.ts'
import {autoDiskful} from '../model/auto-diskful.ts'
import {autoEvict} from '../model/auto-evict.ts'
import {retryEvacuations} from '../model/evacuation.ts'
import type {InUse} from '../model/in-use.ts'
import {hasSatellite} from '../model/node.ts'
import {balanceResources, balanceSettings} from '../model/rebalancer.ts'
import {isDiskless} from '../model/resource.ts'
import type {Change} from '../model/state.ts'
import {placementFacts} from '../rest/deps.ts'
import type {Store} from '../store/store.ts'

export interface LifecycleDeps {
  store: Store
  link: SatelliteLink
  ids: Ids
  log: Logger
  /** How often the tasks run; 10 s by default. */
  tickMs?: number
  /** The clock the timers read (AutoEvictAfterTime, auto-diskful, the balance interval). */
  now?: () => number
}

export interface LifecycleTasks {
  /** Runs the tasks once now (a tick already running is awaited instead). */
  tick(): Promise<void>
  /** Since when the node has been unreachable, as auto-evict counts it; undefined while ONLINE. */
  offlineSince(node: string): number | undefined
  stop(): void
}

const TICK_MS = 10_000

export function startLifecycleTasks(deps: LifecycleDeps): LifecycleTasks {
  const {store, link, ids, log} = deps
  const now = deps.now ?? Date.now
  const offline = new Map<string, number>()
  const primary = new Map<string, number>()
  let lastBalance = now()
  let said = new Set<string>()
  let running: Promise<void> | undefined

  const reportOf = (node: string): ReturnType<SatelliteLink['runtime']>['report'] => link.runtime(node).report
  const inUse: InUse = (rsc, node) => drbdOf(reportOf(node), rsc)?.inUse === true

  /** The timers: a node's from its last contact (or when first seen unreachable), a Primary's from when first seen. */
  function observe(t: number): void {
    for (const n of Object.values(store.state.nodes)) {
      if (!hasSatellite(n.type)) continue
      const rt = link.runtime(n.name)
      if (rt.status === 'ONLINE') offline.delete(nameKey(n.name))
      else if (!offline.has(nameKey(n.name))) offline.set(nameKey(n.name), rt.lastContact ?? t)
    }
    const seen = new Set<string>()
    for (const r of Object.values(store.state.rscs)) {
      if (!isDiskless(r) || !inUse(r.rscDfn, r.node)) continue
      const k = `${nameKey(r.rscDfn)}\u0000${nameKey(r.node)}`
      seen.add(k)
      if (!primary.has(k)) primary.set(k, t)
    }
    for (const k of primary.keys()) if (!seen.has(k)) primary.delete(k)
  }

  async function step(name: string, fn: () => {changes: Change[], messages: string[]}, heard: Set<string>): Promise<void> {
    try {
      const {changes, messages} = fn()
      if (changes.length) await store.commit(changes)
      // A message repeated every tick (a replacement that cannot be placed) is logged once while it holds.
      for (const m of messages) {
        heard.add(m)
        if (changes.length || !said.has(m)) log.info(m, {task: name})
      }
    } catch (e) {
      log.error('node lifecycle task failed', {task: name, error: (e as Error).stack ?? String(e)})
    }
  }

  async function run(): Promise<void> {
    const t = now()
    observe(t)
    const placement = placementFacts(link)
    const heard = new Set<string>()
    await step('auto-evict', () => autoEvict(store.state, {now: t, offlineSince: (n) => offline.get(nameKey(n)), reportOf, placement}, ids), heard)
    await step('evacuate', () => {
      const r = retryEvacuations(store.state, placement, ids)
      return {changes: r.changes, messages: r.notes.map((n) => n.text.message)}
    }, heard)
    await step('auto-diskful', () => autoDiskful(store.state, {now: t, primarySince: (rsc, node) => primary.get(`${nameKey(rsc)}\u0000${nameKey(node)}`),
      reportOf, inUse, placement}, ids), heard)
    if (t - lastBalance >= balanceSettings(store.state).intervalMs) {
      lastBalance = t
      await step('balance-resources', () => balanceResources(store.state, {now: t, reportOf, inUse, placement}, ids), heard)
    }
    said = heard
  }

  const tick = (): Promise<void> => (running ??= run().finally(() => {
    running = undefined
  }))
  const timer = setInterval(() => void tick(), deps.tickMs ?? TICK_MS)
  timer.unref()
  return {tick, offlineSince: (node) => offline.get(nameKey(node)), stop: () => clearInterval(timer)}
}
