import {Flags} from '@oclif/core'
import type {ResourceDefinition, VolumeDefinition} from '../../../api/wire.ts'
import {pastableFlags, showPropsFlag} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {sizeKib, withPropColumns} from '../../format.ts'
import type {Cell} from '../../table.ts'

const vdState = (vd: VolumeDefinition): Cell => (vd.flags?.includes('DELETE') ? {text: 'DELETING', colour: 'red'}
  : vd.flags?.includes('RESIZE') ? {text: 'resizing', colour: 'yellow'} : {text: 'ok', colour: 'green'})

export default class VolumeDefinitionList extends BaseCommand<typeof VolumeDefinitionList> {
  static override summary = 'List volume definitions with their numbers, minors and sizes'
  static override flags = {
    ...pastableFlags, ...showPropsFlag('s'),
    'resource-definitions': Flags.string({char: 'r', multiple: true, description: 'filter by list of resource definitions'}),
    'external-name': Flags.boolean({char: 'e', description: 'show the user specified name'}),
  }

  async run(): Promise<void> {
    const rds = await this.get<ResourceDefinition[]>('/v1/resource-definitions',
      {with_volume_definitions: true, resource_definitions: this.flags['resource-definitions']})
    const ext = this.flags['external-name']
    const vds = rds.flatMap((rd) => (rd.volume_definitions ?? []).map((vd) => ({rd, vd})))
    const {headers, rows} = withPropColumns(
      ['ResourceName', ...(ext ? ['External'] : []), 'VolumeNr', 'VolumeMinor', 'Size', 'Gross', 'State'],
      vds.map(({rd, vd}) => [rd.name ?? '', ...(ext ? [rd.external_name ?? '-'] : []), String(vd.volume_number ?? 0),
        String(vd.layer_data?.find((l) => l.type === 'DRBD')?.data?.minor_number ?? ''), sizeKib(vd.size_kib),
        vd.flags?.includes('GROSS_SIZE') ? '+' : '', vdState(vd)]),
      vds.map(({vd}) => vd.props), this.flags['show-props'])
    this.table(rds, headers, rows)
  }
}
