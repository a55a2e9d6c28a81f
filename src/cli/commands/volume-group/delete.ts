import {arg, numberArg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {deleteCommand} from '../../delete-command.ts'

export default deleteCommand({
  summary: 'Remove a volume group from a resource group',
  args: {name: arg('name of the resource group'), volume_nr: numberArg('volume number to delete')},
  targets: (a) => [{path: path`/v1/resource-groups/${a.name as string}/volume-groups/${a.volume_nr as number}`}],
})
