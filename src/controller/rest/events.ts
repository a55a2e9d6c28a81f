// GET /v1/events/nodes and /v1/events/drbd/promotion: server-sent events. While anyone listens,
// the views are compared every POLL_MS (once per stream, whatever the number of listeners) and
// the differences sent; nobody listening costs nothing.
import type {Request, Response, Router} from 'express'
import type {Node} from '../../api/wire.ts'
import {nodeEvents, promotionEvents, sseFrame, type SseEvent} from '../views/event-diff.ts'
import {nodeView} from '../views/node-view.ts'
import type {RestDeps} from './deps.ts'

const POLL_MS = 250
/** A comment line now and then keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000

interface Stream<S> {snapshot(): S, diff(prev: S, next: S): SseEvent[]}

export function eventRoutes(r: Router, deps: RestDeps): void {
  const {store, link} = deps

  /** One poller per stream, shared by its listeners, running only while someone listens. */
  function serve<S>(stream: Stream<S>) {
    const listeners = new Set<Response>()
    let timer: NodeJS.Timeout | undefined
    let prev: S
    let quiet = 0
    const tick = (): void => {
      const next = stream.snapshot()
      const events = stream.diff(prev, next)
      prev = next
      const text = events.map(sseFrame).join('')
      quiet = events.length ? 0 : quiet + POLL_MS
      const keepAlive = quiet >= KEEPALIVE_MS
      if (keepAlive) quiet = 0
      for (const res of listeners) {
        if (text) res.write(text)
        if (keepAlive) res.write(': keep-alive\n\n')
      }
    }
    return (req: Request, res: Response): void => {
      res.status(200).set({'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'Connection': 'keep-alive'})
      res.flushHeaders()
      res.write(': connected\n\n')
      if (!listeners.size) {
        prev = stream.snapshot()
        timer = setInterval(tick, POLL_MS)
      }
      listeners.add(res)
      req.on('close', () => {
        listeners.delete(res)
        if (!listeners.size) clearInterval(timer)
      })
    }
  }

  r.get('/v1/events/nodes', serve<Map<string, Node>>({
    snapshot: () => new Map(Object.values(store.state.nodes).map((n) => [n.name, nodeView(n, link.runtime(n.name))])),
    diff: nodeEvents,
  }))

  r.get('/v1/events/drbd/promotion', serve<Map<string, boolean>>({
    snapshot: () => {
      const out = new Map<string, boolean>()
      for (const n of Object.values(store.state.nodes)) {
        for (const d of link.runtime(n.name).report?.drbd ?? []) if (d.mayPromote !== undefined) out.set(`${d.rsc}\u0000${n.name}`, d.mayPromote)
      }
      return out
    },
    diff: promotionEvents,
  }))
}
