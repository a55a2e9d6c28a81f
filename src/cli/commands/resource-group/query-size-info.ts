import {ApiError} from '../../../api/client.ts'
import type {QuerySizeInfoResponse} from '../../../api/wire.ts'
import {isError} from '../../../common/api-call-rc.ts'
import {arg, pastableFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {sizeKib} from '../../format.ts'
import {placeCountFlag, selectFilter, selectFlags} from '../../placement.ts'

export default class ResourceGroupQuerySizeInfo extends BaseCommand<typeof ResourceGroupQuerySizeInfo> {
  static override summary = 'Show how large a volume spawned from a resource group can be, and where it would go'
  static override args = {resource_group_name: arg('resource group whose placement rules to use')}
  static override flags = {...pastableFlags, ...placeCountFlag, ...selectFlags(false)}

  async run(): Promise<void> {
    const {status, data} = await this.api.request<QuerySizeInfoResponse>('POST',
      path`/v1/resource-groups/${this.args.resource_group_name}/query-size-info`, {select_filter: this.checked(() => selectFilter(this.flags))})
    const reports = data.reports ?? []
    if (reports.some((r) => isError(r.ret_code))) throw new ApiError(status, reports)
    if (this.machineReadable) return this.table(data, [], [])
    if (reports.length) this.replies(reports)
    const info = data.space_info
    if (!info) return
    const next = info.next_spawn_result?.length ? info.next_spawn_result.map((x) => `${x.stor_pool_name} on ${x.node_name}`).join('\n') : '-'
    this.log(this.render(
      [{name: 'MaxVolumeSize', right: true}, {name: 'AvailableSize', right: true}, {name: 'Capacity', right: true}, 'Next Spawn Result'],
      [[sizeKib(info.max_vlm_size_in_kib), sizeKib(info.available_size_in_kib ?? 0), sizeKib(info.capacity_in_kib ?? 0), next]]))
  }
}
