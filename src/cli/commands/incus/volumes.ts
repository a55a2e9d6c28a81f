// `cairn incus volumes [POOL]`: which resource definition holds which Incus volume (their names are
// a prefix and a UUID), with its size, snapshots and the nodes it is deployed on.
import type {ResourceDefinition, ResourceWithVolumes} from '../../../api/wire.ts'
import {incusVolumeRows, type IncusPoolRef, type IncusVolumeRow} from '../../../../drivers/incus/volume-table.ts'
import {AUX_TYPE} from '../../../../drivers/incus/volume-spawn.ts'
import {optionalArg, pastableFlags} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {sizeKib} from '../../format.ts'
import {incusPoolOf, poolFlags} from './pool-flags.ts'

export default class IncusVolumes extends BaseCommand<typeof IncusVolumes> {
  static override summary = 'List Incus volumes and the resource definitions that hold them'
  static override description = 'Without POOL, every resource definition Incus tagged is listed, by resource group. '
    + 'With POOL, only the volumes of that pool\'s resource group (the pool name unless --resource-group says otherwise).'

  static override args = {pool: optionalArg('Incus storage pool name')}
  static override flags = {...pastableFlags, ...poolFlags}

  async run(): Promise<void> {
    const {pool: poolName} = this.args
    let refs: IncusPoolRef[] = []
    if (poolName !== undefined) {
      const pool = this.checked(() => incusPoolOf(poolName, this.flags))
      // An explicit prefix is stripped as given; otherwise it is read off each resource name.
      refs = [{pool: poolName, resourceGroup: pool.resourceGroup, ...(this.flags.prefix !== undefined ? {volumePrefix: pool.volumePrefix} : {})}]
    }
    const definitions = await this.get<ResourceDefinition[]>('/v1/resource-definitions', {props: [AUX_TYPE], with_volume_definitions: true})
    const rows = incusVolumeRows(definitions, refs)
    const resources = rows.length === 0 ? []
      : await this.get<ResourceWithVolumes[]>('/v1/view/resources', {resources: rows.map((r) => r.resource)})
    const nodes = (rd: string): string[] => resources.filter((r) => r.name === rd)
      .map((r) => `${r.node_name ?? ''}${r.flags?.includes('DISKLESS') ? ' (diskless)' : ''}`).sort()
    const arrow = this.flags['no-utf8'] || this.flags.pastable ? '->' : '→'
    this.table(rows.map((r) => ({...r, nodes: nodes(r.resource)})),
      [poolName !== undefined ? 'Pool' : 'ResourceGroup', 'Volume', 'Type', 'Content', 'Snapshots', 'ResourceDefinition',
        {name: 'Size', right: true}, 'Nodes'],
      rows.map((r) => [r.pool ?? r.resourceGroup, volumeName(r), r.type, r.contentType,
        r.snapshots.map((s) => `${s.incus} ${arrow} ${s.linstor}`).join('\n'), r.resource,
        r.sizesKib.map(sizeKib).join(', '), nodes(r.resource).join(', ')]))
  }
}

/** The name Incus shows, with the project when it is not the default one. */
const volumeName = (r: IncusVolumeRow): string => (r.project !== undefined && r.project !== 'default' ? `${r.volume} (${r.project})` : r.volume)
