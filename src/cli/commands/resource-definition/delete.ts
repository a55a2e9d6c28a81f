import {listOf, variadicArg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {deleteCommand} from '../../delete-command.ts'

export default deleteCommand({
  summary: 'Remove resource definitions, with their resources on every node',
  args: {name: variadicArg('name(s) of the resource definitions to delete', true)},
  targets: (a) => listOf(a.name).map((n) => ({path: path`/v1/resource-definitions/${n}`})),
})
