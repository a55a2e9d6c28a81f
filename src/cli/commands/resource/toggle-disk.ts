import {Flags} from '@oclif/core'
import type {LayerType, ToggleDiskRequest} from '../../../api/wire.ts'
import {arg, asyncFlag, layerList, layerListFlag} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class ResourceToggleDisk extends BaseCommand<typeof ResourceToggleDisk> {
  static override summary = 'Give a diskless DRBD resource a disk, or take the disk of a diskful one'
  static override description = 'Without --diskless the resource gets a disk in --storage-pool (or where StorPoolName or the autoplacer says); ' +
    'DRBD syncs it from the peers. With --diskless its disk is detached and deleted; another replica must be UpToDate.'
  static override args = {node_name: arg('node of the resource'), resource_name: arg('name of the resource definition')}
  static override flags = {
    ...layerListFlag, ...asyncFlag,
    'storage-pool': Flags.string({char: 's', description: 'storage pool for the disk (a diskless pool with --diskless)'}),
    // linstor's explicit way of leaving --storage-pool out.
    'default-storage-pool': Flags.boolean({aliases: ['dflt'], exclusive: ['storage-pool', 'diskless'],
      description: 'take the storage pool from StorPoolName (or the autoplacer), as without --storage-pool'}),
    diskless: Flags.boolean({char: 'd', description: 'make the resource diskless'}),
    'migrate-from': Flags.string({description: 'delete the resource on this node once the new disk is up to date', exclusive: ['diskless']}),
  }

  async run(): Promise<void> {
    const body: ToggleDiskRequest = {operation: this.flags.diskless ? 'INTO_DRBD_DISKLESS' : 'INTO_DRBD_DISKFUL',
      storage_pool: this.flags['storage-pool'], migrate_from: this.flags['migrate-from'], layer_list: layerList(this.flags['layer-list']) as LayerType[] | undefined}
    await this.mutate('PUT', path`/v1/resource-definitions/${this.args.resource_name}/resources/${this.args.node_name}/toggle-disk`, body)
  }
}
