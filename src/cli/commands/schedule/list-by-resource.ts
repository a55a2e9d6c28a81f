import {Flags} from '@oclif/core'
import type {ScheduledRscs, ScheduledRscsList} from '../../../api/wire.ts'
import {pastableFlags} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {timestamp} from '../../format.ts'

/** A time the controller sends, or "" when it is negative (none yet, running, or not computable). */
const when = (ms: number | bigint | undefined): string => (ms === undefined || Number(ms) < 0 ? '' : timestamp(ms))
const withKind = (ms: number | bigint | undefined, inc: boolean | undefined): string => (when(ms) ? `${when(ms)} (${inc ? 'Inc' : 'Full'})` : '')

export default class ScheduleListByResource extends BaseCommand<typeof ScheduleListByResource> {
  static override summary = 'List resource definitions with the schedules and remotes they are shipped with'
  static override description = 'The last and the next backup of each, and for those not shipped the reason: none set, disabled, or undeployed.'
  static override flags = {
    ...pastableFlags,
    resource: Flags.string({char: 'r', description: 'only this resource'}),
    remote: Flags.string({char: 'o', description: 'only this remote'}),
    schedule: Flags.string({char: 's', description: 'only this schedule'}),
    'active-only': Flags.boolean({char: 'a', description: 'only resources that are shipped'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    const list = await this.get<ScheduledRscsList>('/v1/view/schedules-by-resource',
      {rsc: f.resource, remote: f.remote, schedule: f.schedule, 'active-only': f['active-only'] ? 'true' : undefined})
    this.table(list, ['Resource', 'Remote', 'Schedule', 'Last', 'Next', 'Planned Inc', 'Planned Full', 'Reason'], (list.data ?? []).map((s: ScheduledRscs) => [
      s.rsc_name, s.remote_name, s.schedule_name, withKind(s.last_snap_time, s.last_snap_inc), withKind(s.next_exec_time, s.next_exec_inc),
      when(s.next_planned_inc), when(s.next_planned_full), s.reason ?? '',
    ]))
  }
}
