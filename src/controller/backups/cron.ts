// Cron expressions of backup schedules, read by node-cron: LINSTOR's five fields (minute, hour,
// day of month, month, day of week) and, as a Cairn extension, node-cron's optional leading
// seconds field. Times are epoch milliseconds; crons are read in the controller's time zone, as
// LINSTOR reads them. node-cron's matcher is used and discarded, never started, so these are
// deterministic; the model gets them as its CronReader.
import {createTask, parse, validateDetailed} from 'node-cron'
import type {CronReader} from '../model/schedule.ts'

/** Why `expr` is not a cron expression, in node-cron's words; undefined when it is one. */
export function cronProblem(expr: string): string | undefined {
  if (!expr.trim()) return 'the expression is empty'
  const v = validateDetailed(expr)
  return v.valid ? undefined : v.errors.map((e) => e.message).join('; ')
}

/** Runs `fn` with node-cron's own matcher for `expr`; the task is never started and is destroyed after. */
function withMatcher<T>(expr: string, fn: (matches: (d: Date) => boolean) => T): T {
  const task = createTask(expr, () => undefined)
  try {
    return fn((d) => task.match(d))
  } finally {
    void task.destroy()
  }
}

// Every day-of-month and month combination recurs within eight years (29 February).
const SEARCH_DAYS = 366 * 8 + 1

const sorted = (xs: (number | string)[]): number[] => xs.map(Number).sort((a, b) => a - b)

/** The first time after `after` at which `expr` fires; undefined if it never does within eight years. */
export function nextFire(expr: string, after: number): number | undefined {
  const f = parse(expr)
  const [hours, minutes, seconds] = [sorted(f.hour), sorted(f.minute), sorted(f.second)]
  return withMatcher(expr, (matches) => {
    const from = new Date(after)
    for (let d = 0; d <= SEARCH_DAYS; d++) {
      const at = (h: number, m: number, s: number): Date => new Date(from.getFullYear(), from.getMonth(), from.getDate() + d, h, m, s)
      // The day's first candidate time tells whether the day itself matches.
      if (!matches(at(hours[0] ?? 0, minutes[0] ?? 0, seconds[0] ?? 0))) continue
      for (const h of hours) {
        for (const m of minutes) {
          for (const s of seconds) {
            const t = at(h, m, s)
            if (t.getTime() > after && matches(t)) return t.getTime()
          }
        }
      }
    }
    return undefined
  })
}

export const nodeCronReader: CronReader = {problem: cronProblem, next: nextFire}
