// `backup list <remote>`: the backups on an S3 remote in the linstor client's columns, or with
// --others the objects in the bucket that are no backup.
import {Flags} from '@oclif/core'
import type {Backup, BackupList} from '../../../api/wire.ts'
import {arg, pastableFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {timestamp} from '../../format.ts'
import type {Cell} from '../../table.ts'

function status(b: Backup): Cell {
  if (b.shipping) return {text: 'Shipping', colour: 'yellow'}
  if (!b.restorable) return {text: 'Not restorable', colour: 'red'}
  return {text: 'Success', colour: 'green'}
}

export default class BackupListCommand extends BaseCommand<typeof BackupListCommand> {
  static override summary = 'List the backups on an S3 remote'
  static override args = {remote: arg('S3 remote to list the backups of')}
  static override flags = {
    ...pastableFlags,
    resource: Flags.string({char: 'r', description: 'only backups of this resource'}),
    snapshot: Flags.string({char: 's', description: 'only backups with this snapshot name'}),
    others: Flags.boolean({char: 'o', aliases: ['other'], description: 'only the objects in the bucket that are not backups'}),
    'show-id': Flags.boolean({char: 'i', description: 'add a column with each backup\'s id'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    const list = await this.get<BackupList>(path`/v1/remotes/${this.args.remote}/backups`, {rsc_name: f.resource, snap_name: f.snapshot})
    if (f.others) return this.table(list, ['S3 Key'], (list.other?.files ?? []).map((k) => [k]))
    const backups = Object.values(list.linstor ?? {}).sort((a, b) => Number(a.start_timestamp ?? 0) - Number(b.start_timestamp ?? 0))
    this.table(list, ['Resource', 'Snapshot', 'Finished at', 'Based On', 'Status', ...(f['show-id'] ? ['Backup Name(ID)'] : [])], backups.map((b) => [
      b.origin_rsc, b.origin_snap ?? '', timestamp(b.finished_timestamp), b.based_on_id ?? '', status(b), ...(f['show-id'] ? [b.id] : []),
    ]))
  }
}
