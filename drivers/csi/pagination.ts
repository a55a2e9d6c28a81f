// ListVolumes and ListSnapshots paging: the token is the index of the next entry in the sorted
// list (as linstor-csi's), so a CO can resume; a token it cannot have received is ABORTED.

/** A page of a sorted list: the entries from `startingToken` on, at most `maxEntries` (0 = all). */
export function page<T>(items: readonly T[], startingToken: string, maxEntries: number): {ok: true, entries: T[], nextToken: string} | {ok: false, error: string} {
  const start = startingToken === '' ? 0 : /^\d+$/.test(startingToken) ? Number(startingToken) : NaN
  if (!Number.isSafeInteger(start)) return {ok: false, error: `invalid starting token '${startingToken}'`}
  if (maxEntries < 0) return {ok: false, error: `max_entries must not be negative, got ${maxEntries}`}
  if (start > items.length) return {ok: false, error: `starting token ${start} is beyond the ${items.length} entries`}
  const end = maxEntries === 0 ? items.length : Math.min(items.length, start + maxEntries)
  return {ok: true, entries: items.slice(start, end), nextToken: end < items.length ? String(end) : ''}
}
