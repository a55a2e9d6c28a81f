import {Flags} from '@oclif/core'
import {arg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {deleteCommand} from '../../delete-command.ts'

export default deleteCommand({
  summary: 'Delete a snapshot, on all nodes or only the given ones',
  args: {resource_definition_name: arg('name of the resource definition'), snapshot_name: arg('name of the snapshot')},
  flags: {nodes: Flags.string({char: 'n', multiple: true, description: 'only delete the snapshot on these nodes'})},
  targets: (a, f) => [{path: path`/v1/resource-definitions/${a.resource_definition_name as string}/snapshots/${a.snapshot_name as string}`,
    query: {nodes: f.nodes as string[] | undefined}}],
})
