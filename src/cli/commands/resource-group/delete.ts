import {arg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {deleteCommand} from '../../delete-command.ts'

export default deleteCommand({
  summary: 'Remove a resource group (it must have no resource definitions)',
  args: {name: arg('name of the resource group to delete')},
  targets: (a) => [{path: path`/v1/resource-groups/${a.name as string}`}],
})
