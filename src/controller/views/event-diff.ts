// The server-sent event streams (/v1/events/nodes, /v1/events/drbd/promotion) are differences
// between two successive views: what appeared, went, or changed. Pure.
import type {EventMayPromoteChange, EventNode, EventNodeModified, Node} from '../../api/wire.ts'
import {stringify} from '../../common/json.ts'

export interface SseEvent {event: string, data: EventNode | EventNodeModified | EventMayPromoteChange}

const has = (n: Node, flag: string): boolean => (n.flags ?? []).includes(flag)

/** Events for nodes between two views keyed by node name. */
export function nodeEvents(prev: ReadonlyMap<string, Node>, next: ReadonlyMap<string, Node>): SseEvent[] {
  const out: SseEvent[] = []
  for (const [name, n] of next) {
    const old = prev.get(name)
    if (!old) {
      out.push({event: 'node-create', data: {node: n}})
      continue
    }
    if (stringify(old) === stringify(n)) continue
    if (!has(old, 'EVACUATE') && has(n, 'EVACUATE')) out.push({event: 'node-evacuate', data: {node: n}})
    if (!has(old, 'EVICTED') && has(n, 'EVICTED')) out.push({event: 'node-evicted', data: {node: n}})
    if ((has(old, 'EVICTED') || has(old, 'EVACUATE')) && !has(n, 'EVICTED') && !has(n, 'EVACUATE')) out.push({event: 'node-restored', data: {node: n}})
    out.push({event: 'node-modified', data: {old_node: old, new_node: n}})
  }
  for (const [name, n] of prev) if (!next.has(name)) out.push({event: 'node-delete', data: {node: n}})
  return out
}

/** may-promote-change events between two maps of `<resource>\0<node>` → may_promote. */
export function promotionEvents(prev: ReadonlyMap<string, boolean>, next: ReadonlyMap<string, boolean>): SseEvent[] {
  const out: SseEvent[] = []
  for (const [key, may] of next) {
    if (prev.get(key) === may) continue
    const [resource_name, node_name] = key.split('\u0000')
    out.push({event: 'may-promote-change', data: {resource_name, node_name, may_promote: may}})
  }
  return out
}

/** One event in the text/event-stream format. */
export const sseFrame = (e: SseEvent): string => `event: ${e.event}\ndata: ${stringify(e.data)}\n\n`
