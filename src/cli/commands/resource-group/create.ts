import {Flags} from '@oclif/core'
import type {ResourceGroup} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {placeCountFlag, selectFilter, selectFlags} from '../../placement.ts'

/** Flags of `rg create` and `rg modify`. */
export const groupFlags = {
  description: Flags.string({char: 'd', description: 'description for the resource group'}),
  'peer-slots': Flags.integer({min: 1, max: 31, description: '(DRBD) peer slots for new resources'}),
  ...placeCountFlag, ...selectFlags(true),
}

export default class ResourceGroupCreate extends BaseCommand<typeof ResourceGroupCreate> {
  static override summary = 'Create a resource group: a template of placement rules and properties for resource definitions'
  static override args = {name: arg('name of the resource group')}
  static override flags = groupFlags

  async run(): Promise<void> {
    const body: ResourceGroup = {name: this.args.name, description: this.flags.description, peer_slots: this.flags['peer-slots'],
      select_filter: this.checked(() => selectFilter(this.flags))}
    await this.mutate('POST', '/v1/resource-groups', body)
  }
}
