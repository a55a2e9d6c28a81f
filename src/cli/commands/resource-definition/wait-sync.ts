// `rd wait-sync <rsc>`: linstor's wait for every replica of a resource to be in sync, as after a
// clone, judged from the resource view (LINSTOR asks its controller's sync-status instead).
import {Flags} from '@oclif/core'
import type {ResourceWithVolumes} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {resourcesSynced} from '../../readiness.ts'

export default class ResourceDefinitionWaitSync extends BaseCommand<typeof ResourceDefinitionWaitSync> {
  static override summary = 'Wait until every replica of a resource definition is in sync (its DRBD volumes UpToDate)'
  static override args = {resource_name: arg('name of the resource definition')}
  static override flags = {
    // As linstor's: no limit unless one is given.
    'wait-timeout': Flags.integer({min: 0, default: 0, description: 'give up waiting after this many seconds (0: no limit)'}),
  }

  async run(): Promise<void> {
    const rd = this.args.resource_name
    // An unknown definition is the controller's error (exit 10), not an endless wait.
    await this.get(path`/v1/resource-definitions/${rd}`)
    await this.waitFor(async () => resourcesSynced(rd, await this.get<ResourceWithVolumes[]>('/v1/view/resources', {resources: [rd]})))
  }
}
