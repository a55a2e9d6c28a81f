import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class SnapshotRollback extends BaseCommand<typeof SnapshotRollback> {
  static override summary = 'Roll the data of a resource back to a snapshot'
  static override description = 'The resource must not be in use. The snapshot stays and can be rolled back to again. '
    + 'Only the most recent snapshot can be used: delete the newer ones first to roll back further.'
  static override args = {
    resource_definition_name: arg('name of the resource definition'),
    snapshot_name: arg('name of the snapshot'),
  }

  async run(): Promise<void> {
    await this.mutate('POST', path`/v1/resource-definitions/${this.args.resource_definition_name}/snapshot-rollback/${this.args.snapshot_name}`)
  }
}
