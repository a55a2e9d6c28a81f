// Deltas of the sync messages, by resource (issue 3: a spawn on a node with thousands of
// resources must not cost a message about all of them, both ways). A desired state or a report is
// a few node-wide fields plus lists whose items each belong to one resource; a delta carries the
// node-wide fields whole and, of the lists, only the items of the resources it names — replacing
// everything the receiver holds for those (a named resource without items is gone). Pure.

/** The lists whose items name their resource (`rsc`), in desired states and reports alike. */
export const RSC_LISTS = ['volumes', 'snapshots', 'drbd', 'luks', 'nvme'] as const
type RscList = typeof RSC_LISTS[number]
type Item = {rsc: string}
type Msg = Partial<Record<RscList, Item[]>> & {changed?: string[]}

// Resource names are case-insensitive; the layers spell them from different records.
const keyOf = (rsc: string): string => rsc.toUpperCase()

// Messages are never changed once made, so an item carried from one to the next keeps its text.
const itemTexts = new WeakMap<object, string>()
function itemText(item: object): string {
  let t = itemTexts.get(item)
  if (t === undefined) itemTexts.set(item, (t = JSON.stringify(item)))
  return t
}

/** A resource's items in one message, as the texts of its lists' names and items in order. */
export interface RscTexts {rsc: string, parts: string[]}

/** Each resource's items in `msg`: what two messages are compared by. */
export function textsByRsc(msg: Msg): Map<string, RscTexts> {
  const out = new Map<string, RscTexts>()
  for (const list of RSC_LISTS) {
    for (const item of msg[list] ?? []) {
      const k = keyOf(item.rsc)
      const g = out.get(k)
      if (g) g.parts.push(list, itemText(item))
      else out.set(k, {rsc: item.rsc, parts: [list, itemText(item)]})
    }
  }
  return out
}

/** Whether a resource's items are the same in two messages (carried items compare by reference). */
export function sameTexts(a: RscTexts | undefined, b: RscTexts | undefined): boolean {
  if (!a || !b) return a === b
  return a.parts.length === b.parts.length && a.parts.every((p, i) => p === b.parts[i])
}

/** The resources whose items differ between two messages, including those only in one. */
export function changedRscs(prev: ReadonlyMap<string, RscTexts>, next: ReadonlyMap<string, RscTexts>): string[] {
  const out: string[] = []
  for (const [k, n] of next) if (!sameTexts(prev.get(k), n)) out.push(n.rsc)
  for (const [k, p] of prev) if (!next.has(k)) out.push(p.rsc)
  return out
}

/** `msg` as a delta naming `changed`: its lists keep only those resources' items. */
export function deltaOf<T extends Msg>(msg: T, changed: readonly string[]): T {
  const keys = new Set(changed.map(keyOf))
  const out = {...msg, changed: [...changed]}
  for (const list of RSC_LISTS) {
    const items = msg[list]
    if (items) (out as Msg)[list] = items.filter((i) => keys.has(keyOf(i.rsc)))
  }
  return out
}

/** What the receiver holds after `delta`: its node-wide fields, and per resource the delta's items where it names the resource. */
export function applyDelta<T extends Msg>(held: T, delta: T): T {
  const keys = new Set((delta.changed ?? []).map(keyOf))
  const out = {...delta}
  delete out.changed
  for (const list of RSC_LISTS) {
    const kept = (held[list] ?? []).filter((i) => !keys.has(keyOf(i.rsc)))
    const merged = [...kept, ...(delta[list] ?? [])]
    // Optional lists stay absent when empty, as in a full message.
    if (merged.length || held[list] || delta[list]) (out as Msg)[list] = merged
  }
  return out
}
