import {arg, listOf, variadicArg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {deleteCommand} from '../../delete-command.ts'
import {Flags} from '@oclif/core'

export default deleteCommand({
  summary: 'Remove a storage pool from nodes',
  args: {node_name: variadicArg('node(s) where the storage pool exists', true), name: arg('name of the storage pool to delete')},
  flags: {quiet: Flags.boolean({char: 'q', description: 'accepted for compatibility; nothing is asked'})},
  targets: (a) => listOf(a.node_name).map((n) => ({path: path`/v1/nodes/${n}/storage-pools/${a.name as string}`})),
})
