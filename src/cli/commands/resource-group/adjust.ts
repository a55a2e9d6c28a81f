import {optionalArg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class ResourceGroupAdjust extends BaseCommand<typeof ResourceGroupAdjust> {
  static override summary = 'Place the resources of a group (or of every group) again, so that each meets the group\'s place count and filter'
  static override description = 'Only adds replicas; a resource with more replicas than the place count gets a warning.'
  static override args = {resource_group_name: optionalArg('resource group to adjust; every group when left out')}

  async run(): Promise<void> {
    const rg = this.args.resource_group_name
    await this.mutate('POST', rg ? path`/v1/resource-groups/${rg}/adjust` : '/v1/resource-groups/adjustall', {})
  }
}
