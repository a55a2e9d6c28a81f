// Counts DRBD state changes as they happen (`drbdsetup events2` left running), so that the
// controller's next ping sees the counter move and syncs at once: a peer that connected, a disk
// that became UpToDate or a promotion shows in the REST views within seconds, not at the next
// periodic full sync. The watcher restarts when drbdsetup exits (module reloaded, utils updated).
import type {Logger} from '../../common/log.ts'
import {events2Args, parseEventLine} from './events2.ts'

const RESTART_MS = 5000

/** A line that says something changed: anything but the initial `exists` listing and its end marker. */
export function isStateChange(line: string): boolean {
  const e = parseEventLine(line)
  return e !== undefined && e.action !== 'exists' && e.action !== 'call' && e.action !== 'response'
}

export interface DrbdEventsWatch {
  changes(): number
  stop(): void
}

export function watchDrbdEvents(log: Logger): DrbdEventsWatch {
  let changes = 0
  let stopped = false
  let current: {kill(): void} | undefined
  let timer: NodeJS.Timeout | undefined

  async function start(): Promise<void> {
    const {execa} = await import('execa')
    if (stopped) return
    const sub = execa('drbdsetup', events2Args(), {reject: false, buffer: false, stdin: 'ignore', stderr: 'ignore', env: {LC_ALL: 'C'}})
    current = sub
    let rest = ''
    sub.stdout?.setEncoding('utf8')
    sub.stdout?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n')
      rest = lines.pop() ?? ''
      if (lines.some(isStateChange)) changes++
    })
    const result = await sub
    current = undefined
    if (stopped) return
    log.debug('drbdsetup events2 ended; restarting', {exit: result.exitCode})
    timer = setTimeout(() => void start(), RESTART_MS)
    timer.unref()
  }

  void start()
  return {
    changes: () => changes,
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      current?.kill()
    },
  }
}
