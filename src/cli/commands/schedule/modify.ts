import {Flags} from '@oclif/core'
import type {ScheduleModify} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {scheduleFields, scheduleFlags} from './flags.ts'

export default class ScheduleModifyCommand extends BaseCommand<typeof ScheduleModifyCommand> {
  static override summary = 'Change a backup shipping schedule'
  static override description = 'Options left out keep their values; "all" resets --keep-local and --keep-remote, "forever" resets --max-retries, ' +
    'an empty --incremental-cron removes incremental backups.'
  static override args = {schedule_name: arg('name of the schedule')}
  static override flags = {'full-cron': Flags.string({char: 'f', description: 'cron expression for full backups'}), ...scheduleFlags}

  async run(): Promise<void> {
    const body: ScheduleModify = {full_cron: this.flags['full-cron'], ...this.checked(() => scheduleFields(this.flags))}
    await this.mutate('PUT', path`/v1/schedules/${this.args.schedule_name}`, body)
  }
}
