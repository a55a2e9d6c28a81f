import {arg} from '../../args.ts'
import {deleteCommand} from '../../delete-command.ts'

export default deleteCommand({
  summary: 'Delete a remote',
  description: 'Backups already in an S3 bucket stay there.',
  args: {name: arg('remote name')},
  targets: (a) => [{path: '/v1/remotes', query: {remote_name: a.name as string}}],
})
