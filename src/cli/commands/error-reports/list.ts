import {Flags} from '@oclif/core'
import type {ErrorReport} from '../../../api/wire.ts'
import {csv, pastableFlags} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {timestamp} from '../../format.ts'
import {reportId, reportRange, reportRangeFlags, reportSummary} from './range.ts'

export default class ErrorReportsList extends BaseCommand<typeof ErrorReportsList> {
  static override summary = 'List the error reports of the controller and the satellites'
  static override flags = {
    ...pastableFlags, ...reportRangeFlags,
    'report-id': Flags.string({multiple: true, description: 'only reports whose id begins with one of these'}),
    full: Flags.boolean({char: 'f', description: 'also show where the error was raised and the version'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    const range = this.checked(() => reportRange(f, Date.now()))
    const prefixes = csv(f['report-id'])?.map((p) => p.toUpperCase())
    const reports = (await this.get<ErrorReport[]>('/v1/error-reports', {node: range.nodes, since: range.since, to: range.to}))
      .filter((r) => !prefixes?.length || prefixes.some((p) => reportId(r).toUpperCase().startsWith(p)))
    this.table(reports, ['Id', 'Datetime', 'Node', 'Exception', ...(f.full ? ['Location', 'Version'] : [])], reports.map((r) => [
      reportId(r), timestamp(r.error_time), r.node_name ?? '', reportSummary(r),
      ...(f.full ? [r.origin_file ? `${r.origin_file}:${r.origin_line ?? ''}` : '', r.version ?? ''] : []),
    ]))
  }
}
