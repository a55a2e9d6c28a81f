import type {ScheduleDetailsList} from '../../../api/wire.ts'
import {arg, pastableFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import type {Cell} from '../../table.ts'

export default class ScheduleListByResourceDetails extends BaseCommand<typeof ScheduleListByResourceDetails> {
  static override summary = 'Show on which level each schedule-remote pair of a resource definition is enabled or disabled'
  static override description = 'The resource definition\'s setting overrides its resource group\'s, which overrides the controller\'s; ' +
    'the one that counts is coloured.'
  static override args = {resource_name: arg('resource definition')}
  static override flags = pastableFlags

  async run(): Promise<void> {
    const list = await this.get<ScheduleDetailsList>(path`/v1/view/schedules-by-resource/${this.args.resource_name}`)
    this.table(list, ['Remote', 'Schedule', 'Resource-Definition', 'Resource-Group', 'Controller'], (list.data ?? []).map((d) => {
      const levels = [d.rsc_dfn, d.rsc_grp, d.ctrl]
      const wins = levels.findIndex((v) => v !== undefined)
      const cell = (v: boolean | undefined, i: number): Cell =>
        v === undefined ? {text: ''} : {text: v ? 'Enabled' : 'Disabled', ...(i === wins ? {colour: v ? 'green' : 'red'} : {})}
      return [d.remote_name, d.schedule_name, ...levels.map(cell)]
    }))
  }
}
