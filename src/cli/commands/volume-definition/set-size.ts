import {Flags} from '@oclif/core'
import type {VolumeDefinitionModify} from '../../../api/wire.ts'
import {arg, numberArg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {parseVolumeSizeKib} from '../../format.ts'
import {sizeHelp} from './create.ts'

export default class VolumeDefinitionSetSize extends BaseCommand<typeof VolumeDefinitionSetSize> {
  static override summary = 'Change the size of a volume (shrinking only while the definition has no resources)'
  static override args = {resource_name: arg('name of the resource definition'), volume_nr: numberArg('volume number'), size: arg(sizeHelp)}
  static override flags = {gross: Flags.boolean({description: 'the size is the gross size (including metadata)'})}

  async run(): Promise<void> {
    const body: VolumeDefinitionModify = {size_kib: this.checked(() => parseVolumeSizeKib(this.args.size)),
      flags: this.flags.gross ? ['GROSS_SIZE'] : undefined}
    await this.mutate('PUT', path`/v1/resource-definitions/${this.args.resource_name}/volume-definitions/${this.args.volume_nr}`, body)
  }
}
