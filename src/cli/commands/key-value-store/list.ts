import type {KeyValueStore} from '../../../api/wire.ts'
import {pastableFlags} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'

export default class KeyValueStoreList extends BaseCommand<typeof KeyValueStoreList> {
  static override summary = 'List the key-value store instances'
  static override flags = pastableFlags

  async run(): Promise<void> {
    const list = await this.get<KeyValueStore[]>('/v1/key-value-store')
    this.table(list, ['Name'], list.map((k) => [k.name ?? '']))
  }
}
