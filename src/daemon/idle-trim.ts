// Satellite-only (issue 4: idle RSS). A satellite works in bursts (a sync, a few commands) and then
// idles. V8 keeps the pages a burst grew its heap to until its memory reducer runs, 8 s or more
// later and not always to the end; a compacting GC once the satellite has been idle for a moment
// hands them back at once, for some milliseconds of GC on a heap of a few MB.
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

type Gc = (options: {type: 'major', execution: 'sync', flavor: 'last-resort'}) => void

/**
 * V8's most thorough collection (what it does on a low-memory notification): full GCs that compact
 * the heap and release its free pages to the system. Node has no API for it; the `gc` function of
 * --expose-gc is the way in, and that flag applies to contexts made after it is set, hence the
 * fresh context (made once, here).
 */
export function compactingGc(): () => void {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as Gc
  return () => gc({type: 'major', execution: 'sync', flavor: 'last-resort'})
}

/** Calls `trim` once `idleMs` after the last `busy()`. The timer never keeps the process alive. */
export function idleTrimmer(trim: () => void, idleMs: number): {busy: () => void} {
  let timer: NodeJS.Timeout | undefined
  const busy = (): void => {
    clearTimeout(timer)
    timer = setTimeout(trim, idleMs).unref()
  }
  return {busy}
}
