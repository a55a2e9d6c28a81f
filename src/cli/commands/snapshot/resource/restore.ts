import {Flags} from '@oclif/core'
import type {SnapshotRestore} from '../../../../api/wire.ts'
import {listOf, variadicArg, waitFlags} from '../../../args.ts'
import {BaseCommand, path} from '../../../base-command.ts'
import {restoreFlags} from '../restore-flags.ts'

export default class SnapshotResourceRestore extends BaseCommand<typeof SnapshotResourceRestore> {
  static override summary = 'Create resources initialised with the data of a snapshot (default: on every node that has it)'
  static override description = 'The volume definitions of the target resource definition must match those of the snapshot.'
  static override args = {node_name: variadicArg('nodes to restore on', false)}
  static override flags = {
    ...restoreFlags, ...waitFlags,
    'storpool-rename': Flags.string({multiple: true, description: 'rename storage pools: oldname=newname'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    const nodes = listOf(this.args.node_name)
    const renames = f['storpool-rename']?.flatMap((x) => x.split(/\s+/)).filter(Boolean)
    const body: SnapshotRestore = {to_resource: f['to-resource'], nodes: nodes.length ? nodes : undefined,
      stor_pool_rename: renames && this.checked(() => Object.fromEntries(renames.map((r) => {
        const eq = r.indexOf('=')
        if (eq <= 0) throw new Error(`--storpool-rename: '${r}' is not oldname=newname`)
        return [r.slice(0, eq), r.slice(eq + 1)]
      })))}
    await this.mutate('POST', path`/v1/resource-definitions/${f['from-resource']}/snapshot-restore-resource/${f['from-snapshot']}`, body)
    await this.waitForResources(f['to-resource'], nodes)
  }
}
