import {arg, listOf, variadicArg} from '../../../args.ts'
import {path} from '../../../base-command.ts'
import {deleteCommand} from '../../../delete-command.ts'

export default deleteCommand({
  summary: 'Delete network interfaces from a node',
  args: {node_name: arg('node to remove the interfaces from'), interface_name: variadicArg('interface names', true)},
  targets: (a) => listOf(a.interface_name).map((i) => ({path: path`/v1/nodes/${a.node_name as string}/net-interfaces/${i}`})),
})
