// `backup ship <remote> <src-rsc> <dst-rsc>`: a snapshot of a local resource shipped to another
// Cairn or LINSTOR cluster (a LINSTOR remote, which may point back to this cluster), where it is
// restored into <dst-rsc> unless that resource is deployed there already or --download-only.
import {Flags} from '@oclif/core'
import type {BackupShip} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {renames} from '../../schedule-args.ts'

export default class BackupShipCommand extends BaseCommand<typeof BackupShipCommand> {
  static override summary = 'Ship a snapshot of a resource to another cluster'
  static override description = 'Incremental on the last snapshot shipped to that remote, where there is one. The other cluster needs a ' +
    'remote back to this one with --cluster-id set to this cluster\'s id.'
  static override args = {
    remote: arg('LINSTOR remote to ship to'),
    source_resource: arg('local resource to ship'),
    target_resource: arg('resource name on the other cluster'),
  }
  static override flags = {
    'source-node': Flags.string({description: 'node to prefer for sending'}),
    'target-node': Flags.string({description: 'node of the other cluster to receive'}),
    'target-storage-pool': Flags.string({description: 'storage pool of the other cluster to receive into'}),
    'storpool-rename': Flags.string({multiple: true, description: 'rename storage pools: oldname=newname'}),
    'download-only': Flags.boolean({description: 'only receive the snapshot; restore no resource from it'}),
    'force-full': Flags.boolean({aliases: ['full'], description: 'ship the whole snapshot even where an incremental one could go'}),
    'source-snapshot': Flags.string({description: 'name of the snapshot taken for the shipment (it must not exist yet)'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    const body: BackupShip = {src_rsc_name: this.args.source_resource, dst_rsc_name: this.args.target_resource, src_node_name: f['source-node'],
      dst_node_name: f['target-node'], dst_stor_pool: f['target-storage-pool'], stor_pool_rename: this.checked(() => renames(f['storpool-rename'] ?? [])),
      download_only: f['download-only'] || undefined, allow_incremental: f['force-full'] ? false : undefined, src_snap_name: f['source-snapshot']}
    await this.mutate('POST', path`/v1/remotes/${this.args.remote}/backups/ship`, body)
  }
}
