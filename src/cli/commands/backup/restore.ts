// `backup restore <remote> <node> <target-resource> --resource R | --id ID`: downloads the backup
// (the chain from its full backup on) into a snapshot of a new resource on the node and, unless
// --download-only, restores the resource from it. Waits until the resource is ready.
import {Flags} from '@oclif/core'
import type {BackupRestore, ResourceWithVolumes, Snapshot} from '../../../api/wire.ts'
import {arg, waitFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {backupRestored} from '../../backup-progress.ts'
import {backupSource, backupSourceFlags} from './source-flags.ts'

export default class BackupRestoreCommand extends BaseCommand<typeof BackupRestoreCommand> {
  static override summary = 'Restore a backup from an S3 remote into a new resource'
  static override description = 'Name the backup with --resource (its latest backup) or --id. The target resource must not exist, or ' +
    'have no resources, snapshots or volumes yet. Storage pools of the backup that have another name on the node are mapped with --storpool-rename.'
  static override args = {
    remote: arg('S3 remote that holds the backup'),
    node_name: arg('node to restore to'),
    target_resource: arg('resource to restore into'),
  }
  static override flags = {
    ...backupSourceFlags, ...waitFlags,
    'download-only': Flags.boolean({description: 'only download the backup into a snapshot; make no resource'}),
  }

  async run(): Promise<void> {
    const {remote, node_name: node, target_resource: target} = this.args
    const downloadOnly = this.flags['download-only']
    const body: BackupRestore = {...this.checked(() => backupSource(this.flags)), target_rsc_name: target, node_name: node, download_only: downloadOnly}
    const replies = await this.send('POST', path`/v1/remotes/${remote}/backups/restore`, body)
    this.replies(replies)
    const refs = replies.find((r) => r.obj_refs?.Snapshot)?.obj_refs
    if (!refs?.Snapshot) return
    const t = {rd: refs.RscDfn ?? target, snap: refs.Snapshot, node, downloadOnly}
    await this.waitFor(async () => backupRestored(t, await this.getIfExists<Snapshot>(path`/v1/resource-definitions/${t.rd}/snapshots/${t.snap}`),
      () => this.get<ResourceWithVolumes[]>('/v1/view/resources', {resources: [t.rd]})))
  }
}
