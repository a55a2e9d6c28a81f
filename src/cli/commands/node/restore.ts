import {Flags} from '@oclif/core'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class NodeRestore extends BaseCommand<typeof NodeRestore> {
  static override summary = 'Restore an evacuating or evicted node'
  static override description = 'The node takes resources again and an evicted one is reconnected. Replicas already moved stay where they are.'
  static override args = {node_name: arg('evicted or evacuating node to restore')}
  static override flags = {
    'delete-resources': Flags.boolean({description: 'delete the resources left on the node before reconnecting it'}),
    'delete-snapshots': Flags.boolean({description: 'delete the snapshots on the node before reconnecting it'}),
  }

  async run(): Promise<void> {
    await this.mutate('PUT', path`/v1/nodes/${this.args.node_name}/restore`,
      {delete_resources: this.flags['delete-resources'] || undefined, delete_snapshots: this.flags['delete-snapshots'] || undefined})
  }
}
