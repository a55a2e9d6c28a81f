import {BaseCommand} from '../../base-command.ts'
import type {ApiCallRc} from '../../../common/api-call-rc.ts'
import {sosFlags, sosQuery} from './query.ts'

export default class SosReportCreate extends BaseCommand<typeof SosReportCreate> {
  static override summary = 'Make an SOS report on the controller: logs, configuration (secrets redacted) and state of the nodes and the controller'
  static override description = 'The archive is written into the sos directory of the controller\'s data directory; the reply names it. '
    + 'A node that is offline or does not answer gets a note in its directory instead.'
  static override flags = sosFlags

  async run(): Promise<void> {
    const query = this.checked(() => sosQuery(this.flags, Date.now()))
    this.replies(await this.get<ApiCallRc[]>('/v1/sos-report', query))
  }
}
