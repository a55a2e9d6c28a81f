import {Flags} from '@oclif/core'
import type {StoragePool} from '../../../api/wire.ts'
import {formatSize} from '../../../common/units.ts'
import {BaseCommand} from '../../base-command.ts'
import type {Cell} from '../../table.ts'

const poolName = (sp: StoragePool): string => {
  const p = sp.props ?? {}
  return [p['StorDriver/LvmVg'], p['StorDriver/ThinPool'], p['StorDriver/ZPool'], p['StorDriver/ZPoolThin'], p['StorDriver/FileDir']]
    .filter(Boolean).join('/')
}

export default class StoragePoolList extends BaseCommand<typeof StoragePoolList> {
  static override summary = 'List storage pools with their free and total capacity'
  static override flags = {
    nodes: Flags.string({char: 'n', multiple: true, description: 'only pools on these nodes'}),
    'storage-pools': Flags.string({char: 's', multiple: true, description: 'only these pools'}),
    bytes: Flags.boolean({description: 'capacities in KiB instead of human units'}),
  }

  async run(): Promise<void> {
    const pools = await this.api.storagePools({nodes: this.flags.nodes, storage_pools: this.flags['storage-pools']})
    const size = (kib?: number | bigint): string => {
      if (kib === undefined) return ''
      if (this.flags.bytes) return String(kib)
      return typeof kib === 'bigint' || kib >= Number.MAX_SAFE_INTEGER ? '' : formatSize(kib * 1024)
    }
    const state = (sp: StoragePool): Cell => (sp.reports?.length ? {text: 'Error', colour: 'red'}
      : sp.provider_kind !== 'DISKLESS' && sp.free_capacity === undefined ? {text: 'Unknown', colour: 'yellow'} : {text: 'Ok', colour: 'green'})
    this.table(pools, ['StoragePool', 'Node', 'Driver', 'PoolName', 'FreeCapacity', 'TotalCapacity', 'CanSnapshots', 'State', 'SharedName'],
      pools.map((sp) => [sp.storage_pool_name, sp.node_name ?? '', sp.provider_kind, poolName(sp),
        sp.provider_kind === 'DISKLESS' ? '' : size(sp.free_capacity), sp.provider_kind === 'DISKLESS' ? '' : size(sp.total_capacity),
        String(sp.supports_snapshots ?? false), state(sp), sp.free_space_mgr_name ?? '']))
    for (const sp of pools) for (const r of sp.reports ?? []) this.warn(`${sp.node_name}/${sp.storage_pool_name}: ${r.message}`)
  }
}
