import {arg, numberArg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {deleteCommand} from '../../delete-command.ts'

export default deleteCommand({
  summary: 'Remove a volume definition (and its volume on every node) from a resource definition',
  args: {resource_name: arg('resource definition of the volume definition'), volume_nr: numberArg('volume number to delete')},
  targets: (a) => [{path: path`/v1/resource-definitions/${a.resource_name as string}/volume-definitions/${a.volume_nr as number}`}],
})
