import {Flags} from '@oclif/core'
import type {ErrorReportDelete} from '../../../api/wire.ts'
import {listOf, variadicArg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {reportRange, reportRangeFlags} from './range.ts'

export default class ErrorReportsDelete extends BaseCommand<typeof ErrorReportsDelete> {
  static override summary = 'Delete error reports: the given ones, or all that match the filters'
  static override description = 'With only ids, each report is deleted on its own (an unknown id is a warning). '
    + 'With --since, --to, --nodes, --exception or --version, every report that matches all of them (and the ids, if given) is deleted.'
  static override args = {id: variadicArg('ids of the reports to delete', false)}
  static override flags = {
    ...reportRangeFlags,
    exception: Flags.string({description: 'only reports of this exception'}),
    version: Flags.string({description: 'only reports written by this version'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    const ids = listOf(this.args.id)
    const range = this.checked(() => reportRange(f, Date.now()))
    const filtered = range.since !== undefined || range.to !== undefined || range.nodes || f.exception !== undefined || f.version !== undefined
    if (!filtered) {
      if (!ids.length) this.usage('Name the reports to delete, or select them with --since, --to, --nodes, --exception or --version.')
      await this.mutateEach(ids, (id) => this.send('DELETE', path`/v1/error-reports/${id}`))
      return
    }
    const body: ErrorReportDelete = {...range, exception: f.exception, version: f.version, ids: ids.length ? ids : undefined}
    await this.mutate('PATCH', '/v1/error-reports', body)
  }
}
