import {arg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {deleteCommand} from '../../delete-command.ts'

export default deleteCommand({
  summary: 'Delete a backup shipping schedule',
  description: 'It is disabled everywhere; a backup it is making is not waited for. Snapshots and backups already made stay.',
  args: {schedule_name: arg('name of the schedule')},
  targets: (a) => [{path: path`/v1/schedules/${a.schedule_name as string}`}],
})
