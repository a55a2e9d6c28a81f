import type {ScheduleList} from '../../../api/wire.ts'
import {pastableFlags} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'

export default class ScheduleListCommand extends BaseCommand<typeof ScheduleListCommand> {
  static override summary = 'List the backup shipping schedules'
  static override flags = pastableFlags

  async run(): Promise<void> {
    const list = await this.get<ScheduleList>('/v1/schedules')
    const all = (n: number | undefined): string => (n === undefined ? 'all' : String(n))
    this.table(list, ['Name', 'Full', 'Incremental', 'KeepLocal', 'KeepRemote', 'OnFailure'], (list.data ?? []).map((s) => [
      s.schedule_name, s.full_cron, s.inc_cron ?? '', all(s.keep_local), all(s.keep_remote),
      s.on_failure === 'RETRY' ? `RETRY(${s.max_retries ?? 'forever'})` : s.on_failure ?? 'SKIP',
    ]))
  }
}
