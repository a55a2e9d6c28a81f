import {Flags} from '@oclif/core'
import type {VolumeDefinitionCreate} from '../../../api/wire.ts'
import {arg, waitFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {parseVolumeSizeKib} from '../../format.ts'

export const sizeHelp = 'size of the volume: a number with a unit (K, M, G, T, P binary; KB, MB, GB… decimal; KiB, MiB…); ' +
  'a bare number means GiB. The size is rounded up to whole KiB.'

export default class VolumeDefinitionCreateCommand extends BaseCommand<typeof VolumeDefinitionCreateCommand> {
  static override summary = 'Add a volume of the given size to a resource definition'
  static override args = {resource_name: arg('name of an existing resource definition'), size: arg(sizeHelp)}
  static override flags = {
    'storage-pool': Flags.string({char: 's', description: 'storage pool to use (sets StorPoolName on the volume definition)'}),
    vlmnr: Flags.integer({char: 'n', min: 0, description: 'volume number (default: the next free one)'}),
    minor: Flags.integer({min: 0, description: 'DRBD minor number (-m is the global --machine-readable here)'}),
    encrypt: Flags.boolean({description: 'deprecated: use --layer-list ...,luks,... on the resource definition', hidden: true}),
    gross: Flags.boolean({description: 'the size is the gross size (including metadata)'}),
    passphrase: Flags.string({description: 'passphrase for encrypted volumes'}),
    ...waitFlags,
  }

  async run(): Promise<void> {
    const f = this.flags
    const flags = [f.encrypt && 'ENCRYPTED', f.gross && 'GROSS_SIZE'].filter((x): x is string => Boolean(x))
    const body: VolumeDefinitionCreate = {
      volume_definition: {size_kib: this.checked(() => parseVolumeSizeKib(this.args.size)), volume_number: f.vlmnr, flags,
        props: f['storage-pool'] ? {StorPoolName: f['storage-pool']} : undefined},
      drbd_minor_number: f.minor, passphrase: f.passphrase,
    }
    await this.mutate('POST', path`/v1/resource-definitions/${this.args.resource_name}/volume-definitions`, body)
    // The new volume is added to every resource of the definition.
    await this.waitForResources(this.args.resource_name)
  }
}
