import {BaseCommand} from '../../base-command.ts'

export default class ResourceDefinitionList extends BaseCommand<typeof ResourceDefinitionList> {
  static override summary = 'List resource definitions'

  async run(): Promise<void> {
    const rds = await this.api.resourceDefinitions()
    this.table(rds, ['ResourceName', 'ResourceGroup', 'Layers', 'State'], rds.map((d) => [
      d.name ?? '', d.resource_group_name ?? '', (d.layer_data ?? []).map((l) => l.type).join(','),
      d.flags?.includes('DELETE') ? {text: 'DELETING', colour: 'yellow'} : {text: 'ok', colour: 'green'},
    ]))
  }
}
