// `rg query-max-volume-size` (the group's placement rules) and `spd query-max-volume-size` (rules
// given as flags): per storage pool, the largest volume the autoplacer could place and where.
import type {MaxVolumeSizes} from '../../api/wire.ts'
import {arg, pastableFlags} from '../args.ts'
import {BaseCommand, path} from '../base-command.ts'
import {sizeKib} from '../format.ts'
import {placeCountFlag, selectFilter, selectFlags} from '../placement.ts'
import type {Header} from '../table.ts'

function sizesTable(sizes: MaxVolumeSizes): {headers: Header[], rows: string[][]} {
  return {headers: ['StoragePool', {name: 'MaxVolumeSize', right: true}, 'Provisioning', 'Nodes'],
    rows: (sizes.candidates ?? []).map((c) => [c.storage_pool ?? '', sizeKib(Number(c.max_volume_size_kib ?? 0)), c.all_thin ? 'Thin' : 'Thick',
      (c.node_names ?? []).join(', ')])}
}

export class ResourceGroupQueryMaxVolumeSize extends BaseCommand<typeof ResourceGroupQueryMaxVolumeSize> {
  static override summary = 'Show the largest volume a resource group could spawn in each storage pool, and on which nodes'
  static override args = {resource_group_name: arg('resource group whose placement rules to use')}
  static override flags = {...pastableFlags}

  async run(): Promise<void> {
    const sizes = await this.get<MaxVolumeSizes>(path`/v1/resource-groups/${this.args.resource_group_name}/query-max-volume-size`)
    const {headers, rows} = sizesTable(sizes)
    this.table(sizes, headers, rows)
  }
}

export class StoragePoolDefinitionQueryMaxVolumeSize extends BaseCommand<typeof StoragePoolDefinitionQueryMaxVolumeSize> {
  static override summary = 'Show the largest volume that could be placed in each storage pool under the given rules, and on which nodes'
  static override flags = {...pastableFlags, ...placeCountFlag, ...selectFlags(false)}

  async run(): Promise<void> {
    const {data} = await this.api.request<MaxVolumeSizes>('OPTIONS', '/v1/query-max-volume-size', this.checked(() => selectFilter(this.flags)))
    const {headers, rows} = sizesTable(data)
    this.table(data, headers, rows)
  }
}
