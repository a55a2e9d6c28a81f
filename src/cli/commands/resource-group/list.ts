import {BaseCommand} from '../../base-command.ts'

export default class ResourceGroupList extends BaseCommand<typeof ResourceGroupList> {
  static override summary = 'List resource groups'

  async run(): Promise<void> {
    const groups = await this.api.resourceGroups()
    this.table(groups, ['ResourceGroup', 'SelectFilter', 'VlmNrs', 'Description'], groups.map((g) => {
      const f = g.select_filter ?? {}
      const parts = [
        f.place_count !== undefined ? `PlaceCount: ${f.place_count}` : '',
        f.storage_pool_list?.length ? `StoragePool(s): ${f.storage_pool_list.join(', ')}` : f.storage_pool ? `StoragePool(s): ${f.storage_pool}` : '',
        f.layer_stack?.length ? `LayerStack: ${f.layer_stack.join(', ')}` : '',
        f.provider_list?.length ? `ProviderList: ${f.provider_list.join(', ')}` : '',
        f.diskless_on_remaining ? 'DisklessOnRemaining: True' : '',
      ].filter(Boolean)
      return [g.name ?? '', parts.join('\n') || '', '', g.description ?? '']
    }))
  }
}
