import {Flags} from '@oclif/core'
import type {ResourceDefinition} from '../../../api/wire.ts'
import {pastableFlags, propsFilterFlag, showPropsFlag} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {withPropColumns} from '../../format.ts'
import type {Cell} from '../../table.ts'

export function rscDfnState(d: ResourceDefinition): Cell {
  if (d.flags?.includes('DELETE') || d.flags?.includes('FAILED')) return {text: 'DELETE', colour: 'red'}
  if (d.flags?.includes('CLONING') || d.flags?.includes('RESTORE_TARGET')) return {text: 'CLONING', colour: 'yellow'}
  return {text: 'ok', colour: 'green'}
}

export default class ResourceDefinitionList extends BaseCommand<typeof ResourceDefinitionList> {
  static override summary = 'List resource definitions'
  static override flags = {
    ...pastableFlags, ...propsFilterFlag, ...showPropsFlag('s'),
    'resource-definitions': Flags.string({char: 'r', multiple: true, description: 'filter by list of resource definitions'}),
    'external-name': Flags.boolean({char: 'e', description: 'show the user specified name'}),
    'show-preferred-drbd-ports': Flags.boolean({aliases: ['ports'], description: 'show the preferred DRBD TCP ports'}),
  }

  async run(): Promise<void> {
    const rds = await this.get<ResourceDefinition[]>('/v1/resource-definitions',
      {resource_definitions: this.flags['resource-definitions'], props: this.flags.props})
    const ext = this.flags['external-name']
    const ports = this.flags['show-preferred-drbd-ports']
    const {headers, rows} = withPropColumns(
      ['ResourceName', ...(ext ? ['External'] : []), ...(ports ? ['Port'] : []), 'ResourceGroup', 'Layers', 'State'],
      rds.map((d) => [
        d.name ?? '', ...(ext ? [d.external_name ?? '-'] : []),
        ...(ports ? [String(d.layer_data?.find((l) => l.type === 'DRBD')?.data?.port ?? '-')] : []),
        d.resource_group_name ?? '', (d.layer_data ?? []).map((l) => l.type).join(','), rscDfnState(d),
      ]), rds.map((d) => d.props), this.flags['show-props'])
    this.table(rds, headers, rows)
  }
}
