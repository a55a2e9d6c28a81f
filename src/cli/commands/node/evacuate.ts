import {Flags} from '@oclif/core'
import {arg, csv} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class NodeEvacuate extends BaseCommand<typeof NodeEvacuate> {
  static override summary = 'Move every resource off a node, keeping each resource\'s replica count'
  static override description = 'Each diskful replica gets a replacement on another node and is deleted once the replacement is up to date; ' +
    'diskless replicas are removed. The node takes no new resources until `node restore`. Resources in use (Primary) must be stopped first.'
  static override args = {node_name: arg('node to evacuate')}
  static override flags = {
    target: Flags.string({multiple: true, description: 'only these nodes may take the replicas (comma-separated or repeated)'}),
    'do-not-target': Flags.string({multiple: true, description: 'these nodes must not take the replicas'}),
  }

  async run(): Promise<void> {
    await this.mutate('PUT', path`/v1/nodes/${this.args.node_name}/evacuate`,
      {target: csv(this.flags.target), do_not_target: csv(this.flags['do-not-target'])})
  }
}
