import {Flags} from '@oclif/core'
import type {LayerType, ResourceDefinitionCreate as CreateBody} from '../../../api/wire.ts'
import {layerList, layerListFlag, optionalArg} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'

export const portFlag = {port: Flags.integer({char: 'p', min: 1, max: 65535, description: 'preferred DRBD TCP port'})}
export const peerSlotsFlag = {'peer-slots': Flags.integer({min: 1, max: 31, description: '(DRBD) peer slots for new resources'})}

export default class ResourceDefinitionCreate extends BaseCommand<typeof ResourceDefinitionCreate> {
  static override summary = 'Create a resource definition (in DfltRscGrp unless --resource-group says otherwise)'
  static override args = {name: optionalArg('name of the new resource definition; ignored when --external-name is given')}
  static override flags = {
    ...portFlag, ...layerListFlag, ...peerSlotsFlag,
    'external-name': Flags.string({char: 'e', description: 'user specified name'}),
    'resource-group': Flags.string({description: 'attach the resource definition to this resource group'}),
  }

  async run(): Promise<void> {
    const external = this.flags['external-name']
    if (!this.args.name && !external) this.usage('At least resource name or external name has to be specified.')
    const body: CreateBody = {drbd_port: this.flags.port, drbd_peer_slots: this.flags['peer-slots'], resource_definition: {
      name: external ? undefined : this.args.name, external_name: external, resource_group_name: this.flags['resource-group'],
      layer_data: layerList(this.flags['layer-list'])?.map((type) => ({type: type as LayerType})),
    }}
    await this.mutate('POST', '/v1/resource-definitions', body)
  }
}
