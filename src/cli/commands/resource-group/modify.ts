import type {ResourceGroupModify as ModifyBody} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {selectFilter} from '../../placement.ts'
import {groupFlags} from './create.ts'

export default class ResourceGroupModify extends BaseCommand<typeof ResourceGroupModify> {
  static override summary = 'Modify the description, peer slots or placement rules of a resource group'
  static override args = {name: arg('name of the resource group')}
  static override flags = groupFlags

  async run(): Promise<void> {
    const body: ModifyBody = {description: this.flags.description, peer_slots: this.flags['peer-slots'],
      select_filter: this.checked(() => selectFilter(this.flags))}
    await this.mutate('PUT', path`/v1/resource-groups/${this.args.name}`, body)
  }
}
