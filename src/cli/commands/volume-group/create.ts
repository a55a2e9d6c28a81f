import {Flags} from '@oclif/core'
import type {VolumeGroup} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class VolumeGroupCreate extends BaseCommand<typeof VolumeGroupCreate> {
  static override summary = 'Add a volume template to a resource group'
  static override args = {name: arg('name of the resource group')}
  static override flags = {
    vlmnr: Flags.integer({char: 'n', min: 0, description: 'volume number (default: the next free one)'}),
    gross: Flags.boolean({description: 'sizes of this volume are gross sizes'}),
  }

  async run(): Promise<void> {
    const body: VolumeGroup = {volume_number: this.flags.vlmnr, flags: this.flags.gross ? ['GROSS_SIZE'] : undefined}
    await this.mutate('POST', path`/v1/resource-groups/${this.args.name}/volume-groups`, body)
  }
}
