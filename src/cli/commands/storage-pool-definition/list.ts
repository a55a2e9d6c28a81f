import type {StoragePoolDefinition} from '../../../api/wire.ts'
import {pastableFlags, showPropsFlag} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {withPropColumns} from '../../format.ts'

export default class StoragePoolDefinitionList extends BaseCommand<typeof StoragePoolDefinitionList> {
  static override summary = 'List the storage pool definitions'
  static override flags = {...pastableFlags, ...showPropsFlag('s')}

  async run(): Promise<void> {
    const dfns = await this.get<StoragePoolDefinition[]>('/v1/storage-pool-definitions')
    const {headers, rows} = withPropColumns(['StoragePool'], dfns.map((d) => [d.storage_pool_name ?? '']), dfns.map((d) => d.props), this.flags['show-props'])
    this.table(dfns, headers, rows)
  }
}
