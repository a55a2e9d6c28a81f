import {arg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {deleteCommand} from '../../delete-command.ts'

export default deleteCommand({
  summary: 'Remove an unrecoverable node and everything on it from the cluster database',
  args: {name: arg('name of the node to delete')},
  targets: (a) => [{path: path`/v1/nodes/${a.name as string}/lost`}],
})
