import {Flags} from '@oclif/core'
import type {ResourceWithVolumes, VolumeDefinitionModify} from '../../../api/wire.ts'
import {arg, numberArg, waitFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {parseVolumeSizeKib} from '../../format.ts'
import {volumesResized} from '../../readiness.ts'
import {sizeHelp} from './create.ts'

export default class VolumeDefinitionSetSize extends BaseCommand<typeof VolumeDefinitionSetSize> {
  static override summary = 'Change the size of a volume (shrinking only while the definition has no resources)'
  static override args = {resource_name: arg('name of the resource definition'), volume_nr: numberArg('volume number'), size: arg(sizeHelp)}
  static override flags = {gross: Flags.boolean({description: 'the size is the gross size (including metadata)'}), ...waitFlags}

  async run(): Promise<void> {
    const kib = this.checked(() => parseVolumeSizeKib(this.args.size))
    const rd = this.args.resource_name
    const body: VolumeDefinitionModify = {size_kib: kib, flags: this.flags.gross ? ['GROSS_SIZE'] : undefined}
    await this.mutate('PUT', path`/v1/resource-definitions/${rd}/volume-definitions/${this.args.volume_nr}`, body)
    // A gross size includes metadata the storage does not report apart: there is nothing exact to wait for.
    if (this.flags.gross) return
    let offline: Set<string> | undefined
    await this.waitFor(async () => {
      offline ??= await this.offlineNodes()
      return volumesResized(rd, this.args.volume_nr, kib, await this.get<ResourceWithVolumes[]>('/v1/view/resources', {resources: [rd]}), offline)
    })
  }
}
