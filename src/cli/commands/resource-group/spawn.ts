import {Flags} from '@oclif/core'
import type {ResourceGroupSpawn} from '../../../api/wire.ts'
import {arg, listOf, variadicArg, waitFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {parseVolumeSizeKib} from '../../format.ts'
import {placeCountFlag, selectFilter, selectFlags} from '../../placement.ts'

export default class ResourceGroupSpawnResources extends BaseCommand<typeof ResourceGroupSpawnResources> {
  static override summary = 'Create a resource definition from a group, with volumes of the given sizes, and place it'
  static override description = 'Sizes take units (10G, 512MiB, 1.5TiB, 100GB); a bare number means GiB, as in the linstor client.'
  static override args = {
    resource_group_name: arg('resource group to spawn from'),
    resource_definition_name: arg('name of the new resource definition'),
    volume_sizes: variadicArg('volume sizes', false),
  }
  static override flags = {
    ...placeCountFlag, ...selectFlags(false), ...waitFlags,
    partial: Flags.boolean({char: 'p', description: 'allow fewer or more sizes than the group has volume groups'}),
    'definition-only': Flags.boolean({char: 'd', aliases: ['definitions-only'], description: 'create the definitions but place nothing'}),
    'external-name': Flags.string({description: 'user specified name'}),
    'peer-slots': Flags.integer({min: 1, max: 31, description: '(DRBD) peer slots for new resources'}),
    'volume-passphrase': Flags.string({multiple: true, description: 'passphrases of the LUKS volumes, one per volume size, in order'}),
  }

  async run(): Promise<void> {
    const sizes = this.checked(() => listOf(this.args.volume_sizes).map(parseVolumeSizeKib))
    const passphrases = this.flags['volume-passphrase']
    // The controller pairs them with the volumes by position: one left over or missing would go unnoticed.
    if (passphrases && passphrases.length !== sizes.length) this.usage('--volume-passphrase must be given once per volume size.')
    const body: ResourceGroupSpawn = {
      resource_definition_name: this.args.resource_definition_name, resource_definition_external_name: this.flags['external-name'],
      volume_sizes: sizes, partial: this.flags.partial, definitions_only: this.flags['definition-only'],
      peer_slots: this.flags['peer-slots'], select_filter: this.checked(() => selectFilter(this.flags)), volume_passphrases: passphrases,
    }
    await this.mutate('POST', path`/v1/resource-groups/${this.args.resource_group_name}/spawn`, body)
    if (!this.flags['definition-only']) await this.waitForResources(this.args.resource_definition_name)
  }
}
