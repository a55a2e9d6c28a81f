import {Flags} from '@oclif/core'
import {arg, listOf, variadicArg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {deleteCommand} from '../../delete-command.ts'

export default deleteCommand({
  summary: 'Remove a resource from nodes',
  args: {node_name: variadicArg('node(s) to remove the resource from', true), name: arg('name of the resource to delete')},
  flags: {'keep-tiebreaker': Flags.boolean({description: 'keep a DRBD tiebreaker instead of deleting it'})},
  targets: (a, f) => listOf(a.node_name).map((n) => ({path: path`/v1/resource-definitions/${a.name as string}/resources/${n}`,
    query: f['keep-tiebreaker'] ? {keep_tiebreaker: 'True'} : undefined})),
})
