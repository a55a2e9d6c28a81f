// `backup create <remote> <resource>`: a snapshot shipped to an S3 remote, incremental on the
// last backup of the resource there unless --full (the controller falls back to full when there
// is nothing to base it on). Waits until the remote lists the backup as complete.
import {Flags} from '@oclif/core'
import type {BackupCreate, BackupList} from '../../../api/wire.ts'
import {arg, waitFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {backupShipped} from '../../backup-progress.ts'

export default class BackupCreateCommand extends BaseCommand<typeof BackupCreateCommand> {
  static override summary = 'Back up a resource to an S3 remote'
  static override description = 'Incremental on the last backup of the resource on that remote whose snapshot still exists, unless --full.'
  static override args = {remote: arg('S3 remote to ship the backup to'), resource_name: arg('resource to back up')}
  static override flags = {
    ...waitFlags,
    full: Flags.boolean({char: 'f', description: 'make a full backup'}),
    node: Flags.string({char: 'n', description: 'node to prefer for uploading the backup'}),
    snapshot: Flags.string({char: 's', description: 'name of the local snapshot to create'}),
  }

  async run(): Promise<void> {
    const {remote, resource_name: resource} = this.args
    const body: BackupCreate = {rsc_name: resource, node_name: this.flags.node, incremental: !this.flags.full, snap_name: this.flags.snapshot}
    const replies = await this.send('POST', path`/v1/remotes/${remote}/backups`, body)
    this.replies(replies)
    const id = replies.map((r) => r.obj_refs?.BackupId).find((x) => x !== undefined)
    if (!id) return
    // A backup that finishes between the controller's reading of the bucket and of its running
    // shipments is missing from that one answer: look twice before calling it gone.
    const listed = async (): Promise<BackupList['linstor']> => (await this.get<BackupList>(path`/v1/remotes/${remote}/backups`, {rsc_name: resource})).linstor
    await this.waitFor(async () => backupShipped(remote, id, (await listed())?.[id] ?? (await listed())?.[id]))
  }
}
