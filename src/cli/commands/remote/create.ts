// `remote create s3|linstor …`, with the linstor client's arguments: an S3 secret key left out
// is asked for on the terminal without echo (or read from standard input), so that it stays
// out of the shell's history.
import {Flags} from '@oclif/core'
import type {LinstorRemote, S3Remote} from '../../../api/wire.ts'
import {arg, optionalArg} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {readPassphrases} from '../../passphrase-input.ts'

export class RemoteCreateS3 extends BaseCommand<typeof RemoteCreateS3> {
  static override summary = 'Create an S3 remote (a bucket to keep backups in)'
  static override description = 'Virtual-host style (bucket.endpoint) unless --use-path-style (endpoint/bucket). ' +
    'An endpoint without http:// or https:// is reached over https. The keys are stored encrypted with the master passphrase, ' +
    'which must exist and be entered.'
  static override args = {
    name: arg('remote name'),
    endpoint: arg('endpoint of the S3 remote, e.g. s3.us-west-2.amazonaws.com or http://10.0.0.5:9000'),
    bucket: arg('bucket of the S3 remote'),
    region: arg('region of the S3 remote, e.g. us-west-2'),
    access_key: arg('access key of the S3 remote'),
    secret_key: optionalArg('secret key of the S3 remote; asked for (or read from standard input) when left out'),
  }
  static override flags = {
    'use-path-style': Flags.boolean({description: 'address the bucket as endpoint/bucket instead of bucket.endpoint'}),
  }

  async run(): Promise<void> {
    const a = this.args
    const [secret] = await readPassphrases([{prompt: 'Secret-key: '}], [a.secret_key]).catch((e: Error) => this.usage(e.message))
    const body: S3Remote = {remote_name: a.name, endpoint: a.endpoint, bucket: a.bucket, region: a.region, access_key: a.access_key,
      secret_key: secret, use_path_style: this.flags['use-path-style']}
    await this.mutate('POST', '/v1/remotes/s3', body)
  }
}

export class RemoteCreateLinstor extends BaseCommand<typeof RemoteCreateLinstor> {
  static override summary = 'Create a remote for another Cairn or LINSTOR cluster (snapshot shipping)'
  static override description = 'The URL defaults to http and port 3370 (3371 for https). The target cluster needs a remote back ' +
    'to this one with --cluster-id set to this cluster\'s id.'
  static override args = {name: arg('remote name'), url: arg('URL or address of the other cluster\'s controller')}
  static override flags = {
    'cluster-id': Flags.string({description: 'UUID of the other cluster (its Cluster/LocalID controller property)'}),
    passphrase: Flags.string({description: 'master passphrase of the other cluster (needed to ship LUKS volumes)'}),
  }

  async run(): Promise<void> {
    const body: LinstorRemote = {remote_name: this.args.name, url: this.args.url, cluster_id: this.flags['cluster-id'], passphrase: this.flags.passphrase}
    await this.mutate('POST', '/v1/remotes/linstor', body)
  }
}
