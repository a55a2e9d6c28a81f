import {Args, Flags} from '@oclif/core'
import {parseSize} from '../../../common/units.ts'
import {BaseCommand} from '../../base-command.ts'
import {placementFlags, selectFilter} from './create.ts'

export default class ResourceGroupSpawn extends BaseCommand<typeof ResourceGroupSpawn> {
  static override summary = 'Create a resource definition from a group, with volumes of the given sizes, and place it'
  static override description = 'Sizes take units (10G, 512MiB, 1.5TiB, 100GB); a bare number means GiB, as in the linstor client.'
  static override strict = false
  static override args = {
    group: Args.string({required: true, description: 'resource group'}),
    name: Args.string({required: true, description: 'new resource definition name'}),
  }
  static override flags = {
    ...placementFlags,
    partial: Flags.boolean({description: 'allow fewer sizes than the group has volume groups'}),
    'definitions-only': Flags.boolean({description: 'create the definitions but place nothing'}),
  }

  async run(): Promise<void> {
    const {argv} = await this.parse(ResourceGroupSpawn)
    const sizes = (argv as string[]).slice(2).map((s) => {
      try {
        return Math.ceil(parseSize(/^\d+$/.test(s) ? `${s}GiB` : s) / 1024)
      } catch (e) {
        return this.error((e as Error).message, {exit: 2})
      }
    })
    this.replies(await this.api.mutate('POST', `/v1/resource-groups/${encodeURIComponent(this.args.group)}/spawn`, {
      resource_definition_name: this.args.name, volume_sizes: sizes, partial: this.flags.partial,
      definitions_only: this.flags['definitions-only'], select_filter: selectFilter(this.flags),
    }))
  }
}
