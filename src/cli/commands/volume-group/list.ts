import type {VolumeGroup} from '../../../api/wire.ts'
import {arg, pastableFlags, showPropsFlag} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {withPropColumns} from '../../format.ts'

export default class VolumeGroupList extends BaseCommand<typeof VolumeGroupList> {
  static override summary = 'List the volume groups of a resource group'
  static override args = {name: arg('resource group name')}
  static override flags = {...pastableFlags, ...showPropsFlag('s')}

  async run(): Promise<void> {
    const vgs = await this.get<VolumeGroup[]>(path`/v1/resource-groups/${this.args.name}/volume-groups`)
    const {headers, rows} = withPropColumns(['VolumeNr', 'Flags'], vgs.map((v) => [String(v.volume_number ?? 0), (v.flags ?? []).join(', ')]),
      vgs.map((v) => v.props), this.flags['show-props'])
    this.table(vgs, headers, rows)
  }
}
