import type {RemoteList} from '../../../api/wire.ts'
import {pastableFlags} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'

export default class RemoteListCommand extends BaseCommand<typeof RemoteListCommand> {
  static override summary = 'List the remotes (backup and shipping targets)'
  static override flags = pastableFlags

  async run(): Promise<void> {
    const r = await this.get<RemoteList>('/v1/remotes')
    this.table(r, ['Name', 'Type', 'Info'], [
      ...(r.s3_remotes ?? []).map((s) => [s.remote_name ?? '', 'S3', `${s.region ?? ''}.${s.endpoint ?? ''}/${s.bucket ?? ''}`]),
      ...(r.linstor_remotes ?? []).map((l) => [l.remote_name ?? '', 'Linstor', l.url ?? '']),
      ...(r.ebs_remotes ?? []).map((e) => [e.remote_name ?? '', 'EBS', `${e.endpoint ?? ''}, AZ: ${e.availability_zone ?? ''}`]),
    ])
  }
}
