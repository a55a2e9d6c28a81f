import {Flags} from '@oclif/core'
import type {ResourceWithVolumes} from '../../../api/wire.ts'
import {pastableFlags, showPropsFlag, storagePoolsFilterFlag} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {sizeKib, withPropColumns} from '../../format.ts'
import {formatReplies} from '../../replies.ts'
import type {Cell, Header, Row} from '../../table.ts'
import {hasErrors, replicationCell, resourceFilterFlags, usage, volumeState} from '../resource/list.ts'

export default class VolumeList extends BaseCommand<typeof VolumeList> {
  static override summary = 'List volumes with their devices, pools, sizes and states'
  static override flags = {
    ...pastableFlags, ...resourceFilterFlags, ...storagePoolsFilterFlag, ...showPropsFlag(),
    all: Flags.boolean({char: 'a', description: 'show all resources'}),
    'hide-replication-states': Flags.boolean({aliases: ['hrep'], description: 'hide the replication states column'}),
  }

  async run(): Promise<void> {
    const rs = await this.get<ResourceWithVolumes[]>('/v1/view/resources',
      {nodes: this.flags.nodes, resources: this.flags.resources, storage_pools: this.flags['storage-pools']})
    const repl = !this.flags['hide-replication-states']
    const shown = rs.filter((r) => !r.flags?.includes('INACTIVE') || r.flags.includes('EVICTED'))
    const vols = shown.flatMap((r) => (r.volumes ?? []).map((v) => ({r, v})))
    const rows: Row[] = vols.map(({r, v}) => {
      const drbd = r.layer_object?.drbd
      let state: Cell = r.flags?.includes('INACTIVE') ? {text: 'INACTIVE', colour: 'yellow'} : volumeState(v, r.flags)
      if (drbd && Object.values(drbd.connections ?? {}).some((c) => !c.connected)) state = {...state, colour: 'red'}
      if (hasErrors(v)) state = {text: 'Error', colour: 'red'}
      const minor = v.layer_data_list?.find((l) => l.type === 'DRBD')
      const minorNr = (minor?.data as {drbd_volume_definition?: {minor_number?: number}} | undefined)?.drbd_volume_definition?.minor_number
      return [r.name ?? '', r.node_name ?? '', v.storage_pool_name ?? '', String(v.volume_number ?? 0), minorNr === undefined ? '' : String(minorNr),
        v.device_path ?? '', v.allocated_size_kib ? sizeKib(v.allocated_size_kib) : '', usage(r, rs), state, ...(repl ? [replicationCell(v)] : [])]
    })
    const base: Header[] = ['Resource', 'Node', 'StoragePool', {name: 'VolNr', right: true}, {name: 'MinorNr', right: true}, 'DeviceName',
      {name: 'Allocated', right: true}, 'InUse', {name: 'State', right: true}, ...(repl ? ['Repl'] : [])]
    const {headers, rows: all} = withPropColumns(base, rows, vols.map(({v}) => v.props), this.flags['show-props'])
    this.table(rs, headers, all)
    const reports = vols.flatMap(({v}) => v.reports ?? [])
    if (reports.length && !this.machineReadable) this.log(formatReplies(reports, this.colour))
  }
}

/** `resource list-volumes`: the same listing under the resource group. */
export class ResourceListVolumes extends VolumeList {
  static override summary = 'List the volumes of resources (as `volume list`)'
}
