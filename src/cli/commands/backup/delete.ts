// `backup delete all|id|filter|s3key <remote> …`: backups (their metadata and volume objects)
// removed from an S3 remote, selected as the linstor client selects them. A backup that
// incrementals are based on goes only together with them (--cascade); --dry-run lists what would go.
import {Flags, type Command} from '@oclif/core'
import type {Query} from '../../../api/client.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

const remoteArg = {remote: arg('S3 remote to delete backups from')}
const dryRunFlag = {'dry-run': Flags.boolean({aliases: ['dryrun'], description: 'delete nothing; list the objects that would be deleted'})}
const cascadeFlag = {cascade: Flags.boolean({aliases: ['cascading'], description: 'also delete the backups based on the selected ones'})}
/** Query switches are sent only when set. */
const on = (v: boolean | undefined): true | undefined => v || undefined

abstract class BackupDelete<T extends typeof Command> extends BaseCommand<T> {
  protected async remove(query: Query): Promise<void> {
    const remote = (this.args as {remote: string}).remote
    await this.mutate('DELETE', path`/v1/remotes/${remote}/backups`, undefined, {...query, dryrun: on((this.flags as {'dry-run'?: boolean})['dry-run'])})
  }
}

export class BackupDeleteAll extends BackupDelete<typeof BackupDeleteAll> {
  static override summary = 'Delete every backup on an S3 remote'
  static override description = 'Objects in the bucket that are not backups stay (see `backup delete s3key`).'
  static override args = remoteArg
  static override flags = {...dryRunFlag, cluster: Flags.boolean({char: 'c', description: 'only the backups this cluster made'})}

  async run(): Promise<void> {
    await this.remove({all: on(!this.flags.cluster), all_local_cluster: on(this.flags.cluster)})
  }
}

export class BackupDeleteId extends BackupDelete<typeof BackupDeleteId> {
  static override summary = 'Delete a backup by its id'
  static override args = {...remoteArg, id: arg('id of the backup, e.g. rsc_back_20210824_072543')}
  static override flags = {...dryRunFlag, ...cascadeFlag, prefix: Flags.boolean({description: 'delete every backup whose id starts with ID'})}

  async run(): Promise<void> {
    const {id} = this.args
    await this.remove({...(this.flags.prefix ? {id_prefix: id} : {id}), cascading: on(this.flags.cascade)})
  }
}

export class BackupDeleteFilter extends BackupDelete<typeof BackupDeleteFilter> {
  static override summary = 'Delete the backups of a resource, from a node, or made before a time'
  static override description = 'The filters combine: a backup is deleted when it matches all that are given.'
  static override args = remoteArg
  static override flags = {
    ...dryRunFlag, ...cascadeFlag,
    time: Flags.string({char: 't', aliases: ['timestamp'], description: 'backups made before this time (UTC), YYYYMMDD_HHMMSS'}),
    resource: Flags.string({char: 'r', description: 'backups of this resource'}),
    node: Flags.string({char: 'n', description: 'backups uploaded by this node'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    if (!f.time && !f.resource && !f.node) this.usage('At least one of --time, --resource or --node has to be used')
    if (f.time && !/^\d{8}_\d{6}$/.test(f.time)) this.usage(`--time '${f.time}': expected YYYYMMDD_HHMMSS`)
    await this.remove({timestamp: f.time, resource_name: f.resource, node_name: f.node, cascading: on(f.cascade)})
  }
}

export class BackupDeleteS3Key extends BackupDelete<typeof BackupDeleteS3Key> {
  static override summary = 'Delete one object from an S3 remote by its key'
  static override description = 'Nothing else is checked: deleting an object of a backup breaks that backup. Meant for objects that are ' +
    'no backup (`backup list --others`) and for the remains of broken backups.'
  static override args = {...remoteArg, s3key: arg('key of the object')}
  static override flags = dryRunFlag

  async run(): Promise<void> {
    await this.remove({s3key: this.args.s3key})
  }
}
