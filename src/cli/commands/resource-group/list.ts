import {Flags} from '@oclif/core'
import type {AutoSelectFilter, ResourceGroup, VolumeGroup} from '../../../api/wire.ts'
import {pastableFlags, propsFilterFlag, showPropsFlag} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {pyDict, pyList, withPropColumns} from '../../format.ts'

/** A select filter the way linstor prints it: one "Name: value" line per set field. */
export function selectFilterText(f: AutoSelectFilter = {}): string {
  const pools = f.storage_pool_list ?? (f.storage_pool ? [f.storage_pool] : [])
  return [
    f.place_count ? `PlaceCount: ${f.place_count}` : '',
    pools.length ? `StoragePool(s): ${pools.join(', ')}` : '',
    f.diskless_on_remaining !== undefined ? `DisklessOnRemaining: ${f.diskless_on_remaining ? 'True' : 'False'}` : '',
    f.not_place_with_rsc?.length ? `NotPlaceWithRsc: ${pyList(f.not_place_with_rsc)}` : '',
    f.not_place_with_rsc_regex ? `NotPlaceWithRscRegex: ${f.not_place_with_rsc_regex}` : '',
    f.replicas_on_same?.length ? `ReplicasOnSame: ${pyList(f.replicas_on_same)}` : '',
    f.replicas_on_different?.length ? `ReplicasOnDifferent: ${pyList(f.replicas_on_different)}` : '',
    f.x_replicas_on_different_map && Object.keys(f.x_replicas_on_different_map).length
      ? `XReplicasOnDifferent: ${pyDict(f.x_replicas_on_different_map)}` : '',
    f.layer_stack?.length ? `LayerStack: ${pyList(f.layer_stack)}` : '',
    f.provider_list?.length ? `ProviderList: ${pyList(f.provider_list)}` : '',
  ].filter(Boolean).join('\n')
}

export default class ResourceGroupList extends BaseCommand<typeof ResourceGroupList> {
  static override summary = 'List resource groups'
  static override flags = {
    ...pastableFlags, ...propsFilterFlag, ...showPropsFlag('s'),
    'resource-groups': Flags.string({char: 'r', multiple: true, description: 'filter by list of resource groups'}),
  }

  async run(): Promise<void> {
    const groups = await this.get<ResourceGroup[]>('/v1/resource-groups', {resource_groups: this.flags['resource-groups'], props: this.flags.props})
    if (this.machineReadable) return this.table(groups, [], [])
    const vgs = await Promise.all(groups.map((g) => this.get<VolumeGroup[]>(path`/v1/resource-groups/${g.name ?? ''}/volume-groups`)))
    const {headers, rows} = withPropColumns(['ResourceGroup', 'SelectFilter', 'VlmNrs', 'Description'], groups.map((g, i) => [
      g.name ?? '', selectFilterText(g.select_filter), (vgs[i] ?? []).map((v) => String(v.volume_number ?? 0)).join(','), g.description ?? '',
    ]), groups.map((g) => g.props), this.flags['show-props'])
    this.table(groups, headers, rows)
  }
}
