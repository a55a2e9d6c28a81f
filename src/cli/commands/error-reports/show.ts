import {ApiError} from '../../../api/client.ts'
import type {ErrorReport} from '../../../api/wire.ts'
import type {ApiCallRc} from '../../../common/api-call-rc.ts'
import {stringify} from '../../../common/json.ts'
import {listOf, variadicArg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class ErrorReportsShow extends BaseCommand<typeof ErrorReportsShow> {
  static override summary = 'Print the full text of error reports'
  static override args = {report_id: variadicArg('ids of the reports, as `error-reports list` shows them', true)}

  /** Every report is fetched; those found are printed, and the command fails if one was not. */
  async run(): Promise<void> {
    const found: ErrorReport[] = []
    const missing: ApiCallRc[] = []
    let failed: ApiError | undefined
    for (const id of listOf(this.args.report_id)) {
      try {
        found.push(...await this.get<ErrorReport[]>(path`/v1/error-reports/${id}`))
      } catch (e) {
        if (!(e instanceof ApiError)) throw e
        failed ??= e
        missing.push(...e.replies)
      }
    }
    if (this.machineReadable) this.log(stringify(found))
    else for (const r of found) this.log(r.text ?? '')
    if (failed) throw new ApiError(failed.status, missing)
  }
}
