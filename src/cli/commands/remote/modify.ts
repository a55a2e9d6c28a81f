// `remote modify s3|linstor <name> [--field value …]`: only the given fields change. The key
// flags are also accepted as the linstor client spells them (--access_key, --secret_key).
import {Flags} from '@oclif/core'
import type {LinstorRemote, S3Remote} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export class RemoteModifyS3 extends BaseCommand<typeof RemoteModifyS3> {
  static override summary = 'Change an S3 remote'
  static override description = 'The remote is tried with the new settings before they are stored.'
  static override args = {name: arg('remote name')}
  static override flags = {
    endpoint: Flags.string({description: 'endpoint of the S3 remote'}),
    bucket: Flags.string({description: 'bucket of the S3 remote'}),
    region: Flags.string({description: 'region of the S3 remote'}),
    'access-key': Flags.string({aliases: ['access_key'], description: 'access key of the S3 remote'}),
    'secret-key': Flags.string({aliases: ['secret_key'], description: 'secret key of the S3 remote'}),
    'use-path-style': Flags.boolean({allowNo: true, description: 'address the bucket as endpoint/bucket (--no-use-path-style: bucket.endpoint)'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    const body: S3Remote = {endpoint: f.endpoint, bucket: f.bucket, region: f.region, access_key: f['access-key'], secret_key: f['secret-key'],
      use_path_style: f['use-path-style']}
    await this.mutate('PUT', path`/v1/remotes/s3/${this.args.name}`, body)
  }
}

export class RemoteModifyLinstor extends BaseCommand<typeof RemoteModifyLinstor> {
  static override summary = 'Change a remote for another cluster'
  static override args = {name: arg('remote name')}
  static override flags = {
    url: Flags.string({description: 'URL or address of the other cluster\'s controller'}),
    'cluster-id': Flags.string({description: 'UUID of the other cluster'}),
    passphrase: Flags.string({description: 'master passphrase of the other cluster'}),
  }

  async run(): Promise<void> {
    const body: LinstorRemote = {url: this.flags.url, cluster_id: this.flags['cluster-id'], passphrase: this.flags.passphrase}
    await this.mutate('PUT', path`/v1/remotes/linstor/${this.args.name}`, body)
  }
}
