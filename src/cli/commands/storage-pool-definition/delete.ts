import {arg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {deleteCommand} from '../../delete-command.ts'

export default deleteCommand({
  summary: 'Delete a storage pool definition that no node has a pool of',
  args: {name: arg('name of the storage pool definition to delete')},
  targets: (a) => [{path: path`/v1/storage-pool-definitions/${a.name as string}`}],
})
