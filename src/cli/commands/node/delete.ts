import {arg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {deleteCommand} from '../../delete-command.ts'

export default deleteCommand({
  summary: 'Remove a node from the cluster',
  description: 'Its resources must be gone first; its storage pools go with it. A node that is gone for good is removed with `node lost`.',
  args: {name: arg('name of the node to remove')},
  targets: (a) => [{path: path`/v1/nodes/${a.name as string}`}],
})
