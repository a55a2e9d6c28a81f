import {Flags} from '@oclif/core'
import type {ResourceDefinitionModify as ModifyBody} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {peerSlotsFlag, portFlag} from './create.ts'

export default class ResourceDefinitionModify extends BaseCommand<typeof ResourceDefinitionModify> {
  static override summary = 'Modify a resource definition: move it to another resource group, change peer slots or port'
  static override args = {name: arg('name of the resource definition')}
  static override flags = {
    ...peerSlotsFlag, ...portFlag,
    'resource-group': Flags.string({description: 'change the resource group to this one'}),
  }

  async run(): Promise<void> {
    const body: ModifyBody = {drbd_peer_slots: this.flags['peer-slots'], drbd_port: this.flags.port,
      resource_group: this.flags['resource-group']}
    await this.mutate('PUT', path`/v1/resource-definitions/${this.args.name}`, body)
  }
}
