import {Flags} from '@oclif/core'
import type {AutoPlaceRequest} from '../../../api/wire.ts'
import {arg, waitFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {autoPlaceRequest, disklessFlags} from '../resource/create.ts'
import {selectFlags} from '../../placement.ts'

export default class ResourceDefinitionAutoPlace extends BaseCommand<typeof ResourceDefinitionAutoPlace> {
  static override summary = 'Place a resource definition on nodes chosen by the autoplacer'
  static override args = {resource_definition_name: arg('name of the resource definition to place')}
  static override flags = {
    'place-count': Flags.string({description: 'number of replicas: N, +N (more than the group asks for) or max'}),
    ...selectFlags(true), ...disklessFlags, ...waitFlags,
  }

  async run(): Promise<void> {
    const body: AutoPlaceRequest = this.checked(() => autoPlaceRequest(this.flags['place-count'], this.flags))
    await this.mutate('POST', path`/v1/resource-definitions/${this.args.resource_definition_name}/autoplace`, body)
    await this.waitForResources(this.args.resource_definition_name)
  }
}
