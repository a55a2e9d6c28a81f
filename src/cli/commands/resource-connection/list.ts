import type {ResourceConnection} from '../../../api/wire.ts'
import {arg, pastableFlags, showPropsFlag} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {connectionPropsText} from '../../connections.ts'
import {withPropColumns} from '../../format.ts'

export default class ResourceConnectionList extends BaseCommand<typeof ResourceConnectionList> {
  static override summary = 'List the connections of a resource between its nodes'
  static override args = {resource_name: arg('name of the resource')}
  static override flags = {...pastableFlags, ...showPropsFlag('s')}

  async run(): Promise<void> {
    const list = (await this.get<ResourceConnection[]>(path`/v1/resource-definitions/${this.args.resource_name}/resource-connections`))
      .filter((c) => !c.flags?.includes('DELETED'))
    const {headers, rows} = withPropColumns(['Source', 'Target', 'Properties', 'Port'],
      list.map((c) => [c.node_a ?? '', c.node_b ?? '', connectionPropsText(c.props), c.port ? String(c.port) : '']),
      list.map((c) => c.props), this.flags['show-props'])
    this.table(list, headers, rows)
  }
}
