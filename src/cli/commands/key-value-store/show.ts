import type {KeyValueStore} from '../../../api/wire.ts'
import {arg, pastableFlags} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'

export default class KeyValueStoreShow extends BaseCommand<typeof KeyValueStoreShow> {
  static override summary = 'List the keys and values of a key-value store instance'
  static override description = 'An instance without keys does not exist; it shows as an empty table, as in the linstor client.'
  static override args = {instance: arg('key-value store instance')}
  static override flags = pastableFlags

  async run(): Promise<void> {
    const all = await this.get<KeyValueStore[]>('/v1/key-value-store')
    const kvs = all.filter((k) => k.name?.toLowerCase() === this.args.instance.toLowerCase())
    const props = kvs[0]?.props ?? {}
    this.table(kvs, ['Key', 'Value'], Object.keys(props).sort().map((k) => [k, props[k] ?? '']))
  }
}
