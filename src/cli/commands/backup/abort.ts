// `backup abort <remote> <resource>`: stops the running backup (--create) or restore (--restore)
// of a resource, or both when neither is named, as the linstor client sends it.
import {Flags} from '@oclif/core'
import type {BackupAbort} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class BackupAbortCommand extends BaseCommand<typeof BackupAbortCommand> {
  static override summary = 'Abort the running backup or restore of a resource'
  static override description = 'Without --create or --restore, both are aborted. The snapshot of an aborted shipment is dropped.'
  static override args = {remote: arg('remote the shipment goes to or comes from'), resource_name: arg('resource whose shipment to abort')}
  static override flags = {
    restore: Flags.boolean({char: 'r', description: 'only abort a restore'}),
    create: Flags.boolean({char: 'c', description: 'only abort a backup being made'}),
  }

  async run(): Promise<void> {
    const body: BackupAbort = {rsc_name: this.args.resource_name, create: this.flags.create || undefined, restore: this.flags.restore || undefined}
    await this.mutate('POST', path`/v1/remotes/${this.args.remote}/backups/abort`, body)
  }
}
