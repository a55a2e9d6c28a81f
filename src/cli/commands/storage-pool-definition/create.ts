import type {StoragePoolDefinition} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'

export default class StoragePoolDefinitionCreate extends BaseCommand<typeof StoragePoolDefinitionCreate> {
  static override summary = 'Create a storage pool definition: the name and properties pools of that name share on every node'
  static override args = {name: arg('name of the new storage pool definition')}

  async run(): Promise<void> {
    const body: StoragePoolDefinition = {storage_pool_name: this.args.name}
    await this.mutate('POST', '/v1/storage-pool-definitions', body)
  }
}
