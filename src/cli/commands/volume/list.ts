import {formatSize} from '../../../common/units.ts'
import {BaseCommand} from '../../base-command.ts'
import {resourceFilterFlags} from '../resource/list.ts'

export default class VolumeList extends BaseCommand<typeof VolumeList> {
  static override summary = 'List volumes with their devices, pools and sizes'
  static override flags = resourceFilterFlags

  async run(): Promise<void> {
    const rs = await this.api.resources({nodes: this.flags.nodes, resources: this.flags.resources})
    const rows = rs.flatMap((r) => (r.volumes ?? []).map((v) => [
      r.node_name ?? '', r.name ?? '', v.storage_pool_name ?? '', String(v.volume_number ?? 0), v.device_path ?? '',
      v.allocated_size_kib === undefined ? '' : formatSize(Number(v.allocated_size_kib) * 1024),
      r.state ? (r.state.in_use ? 'InUse' : 'Unused') : '',
      v.state?.disk_state === 'Failed' ? {text: 'Failed', colour: 'red' as const}
        : v.state?.disk_state ? {text: v.state.disk_state, colour: 'green' as const} : {text: 'Unknown', colour: 'yellow' as const},
    ]))
    this.table(rs, ['Node', 'Resource', 'StoragePool', 'VolNr', 'DeviceName', 'Allocated', 'InUse', 'State'], rows)
  }
}
