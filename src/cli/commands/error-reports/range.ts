// What `error-reports list` and `error-reports delete` share: the time range and node flags, and
// how a report is named and summed up in a table.
import {Flags} from '@oclif/core'
import type {ErrorReport} from '../../../api/wire.ts'
import {csv} from '../../args.ts'
import {parseTimeArg} from '../../time.ts'

const timeHelp = 'a span back from now (3d, 12h, 1d10h, 30m) or a date, UTC (2024-05-01, "2024-05-01 13:40:00")'

export const reportRangeFlags = {
  since: Flags.string({char: 's', description: `only reports from this time on: ${timeHelp}`}),
  to: Flags.string({char: 't', description: `only reports up to this time (a date alone means its end): ${timeHelp}`}),
  nodes: Flags.string({char: 'n', multiple: true, description: 'only reports from these nodes'}),
}

export interface ReportRange {since?: number, to?: number, nodes?: string[]}

/** The flags as epoch milliseconds and a node list; throws on a time that does not parse. */
export function reportRange(flags: {since?: string, to?: string, nodes?: string[]}, now: number): ReportRange {
  const nodes = csv(flags.nodes)
  return {
    since: flags.since === undefined ? undefined : parseTimeArg(flags.since, now, 'start'),
    to: flags.to === undefined ? undefined : parseTimeArg(flags.to, now, 'end'),
    nodes: nodes?.length ? nodes : undefined,
  }
}

/** A report's id, from its file name ErrorReport-<id>.log. */
export const reportId = (r: ErrorReport): string => (r.filename ?? '').replace(/^ErrorReport-/, '').replace(/\.log$/, '')

/** The Exception column: the exception (or, without one, the module) and the message, cut at 60 characters as linstor does. */
export function reportSummary(r: ErrorReport): string {
  const raw = r.exception_message ?? ''
  const message = raw.length < 60 ? raw : `${raw.slice(0, 57)}...`
  const head = r.exception ?? r.module ?? ''
  return head && message ? `${head}: ${message}` : head || message
}
