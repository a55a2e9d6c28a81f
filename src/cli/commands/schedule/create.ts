import type {Schedule} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {scheduleFields, scheduleFlags} from './flags.ts'

export default class ScheduleCreate extends BaseCommand<typeof ScheduleCreate> {
  static override summary = 'Create a backup shipping schedule'
  static override description = 'Cron expressions have five fields (minute hour day-of-month month day-of-week, e.g. \'*/5 3 2-4 4,5 SAT\'); ' +
    'a sixth, leading field counts seconds. Where the full and the incremental cron fire at once, only a full backup is made.'
  static override args = {schedule_name: arg('name of the schedule'), full_cron: arg('cron expression for full backups')}
  static override flags = scheduleFlags

  async run(): Promise<void> {
    const body: Schedule = {schedule_name: this.args.schedule_name, full_cron: this.args.full_cron, ...this.checked(() => scheduleFields(this.flags))}
    await this.mutate('POST', '/v1/schedules', body)
  }
}
