import {Flags} from '@oclif/core'
import type {StoragePool} from '../../../api/wire.ts'
import {nodesFilterFlag, pastableFlags, propsFilterFlag, showPropsFlag, storagePoolsFilterFlag} from '../../args.ts'
import {isError, isWarning} from '../../../common/api-call-rc.ts'
import {BaseCommand} from '../../base-command.ts'
import {sizeKib, withPropColumns} from '../../format.ts'
import {formatReplies} from '../../replies.ts'
import type {Cell} from '../../table.ts'

/** The backing storage named in a pool's StorDriver/* properties ("vg/thinpool", a zpool, a directory). */
export const poolName = (sp: StoragePool): string => {
  const p = sp.props ?? {}
  if (p['StorDriver/StorPoolName']) return p['StorDriver/StorPoolName']
  return [p['StorDriver/LvmVg'], p['StorDriver/ThinPool'], p['StorDriver/ZPool'], p['StorDriver/ZPoolThin'], p['StorDriver/FileDir']]
    .filter(Boolean).join('/')
}

export default class StoragePoolList extends BaseCommand<typeof StoragePoolList> {
  static override summary = 'List storage pools with their free and total capacity'
  static override flags = {
    ...pastableFlags, ...storagePoolsFilterFlag, ...nodesFilterFlag, ...propsFilterFlag, ...showPropsFlag(),
    bytes: Flags.boolean({description: 'capacities as plain KiB numbers instead of human units'}),
  }

  async run(): Promise<void> {
    const pools = await this.get<StoragePool[]>('/v1/view/storage-pools',
      {nodes: this.flags.nodes, storage_pools: this.flags['storage-pools'], props: this.flags.props})
    const size = (kib?: number | bigint): string => (kib === undefined ? '' : this.flags.bytes ? String(kib) : sizeKib(kib))
    const hasSpace = (sp: StoragePool): boolean => sp.provider_kind !== 'DISKLESS' && sp.provider_kind !== 'EBS_TARGET'
    const state = (sp: StoragePool): Cell => (sp.reports?.some((r) => isError(r.ret_code))
      ? {text: 'Error', colour: 'red'} : sp.reports?.some((r) => isWarning(r.ret_code)) ? {text: 'Warning', colour: 'yellow'}
        : hasSpace(sp) && sp.free_capacity === undefined ? {text: 'Unknown', colour: 'yellow'} : {text: 'Ok', colour: 'green'})
    const {headers, rows} = withPropColumns(
      ['StoragePool', 'Node', 'Driver', 'PoolName', {name: 'FreeCapacity', right: true}, {name: 'TotalCapacity', right: true},
        'CanSnapshots', 'State', 'SharedName'],
      pools.map((sp) => [sp.storage_pool_name, sp.node_name ?? '', sp.provider_kind, poolName(sp),
        hasSpace(sp) ? size(sp.free_capacity) : '', hasSpace(sp) ? size(sp.total_capacity) : '',
        sp.supports_snapshots ? 'True' : 'False', state(sp), sp.free_space_mgr_name?.includes(':') ? '' : sp.free_space_mgr_name ?? '']),
      pools.map((sp) => sp.props), this.flags['show-props'])
    this.table(pools, headers, rows)
    const seen = new Set<string>()
    const reports = pools.flatMap((sp) => sp.reports ?? []).filter((r) => !seen.has(r.message) && seen.add(r.message))
    if (reports.length && !this.machineReadable) this.log(formatReplies(reports, this.colour))
  }
}
