// `backup info <remote> --resource R | --id ID`: what restoring that backup downloads and needs,
// and with -n how much room it leaves in the target node's pools; the linstor client's two tables.
import {Flags} from '@oclif/core'
import {ApiError} from '../../../api/client.ts'
import type {ApiCallRc} from '../../../common/api-call-rc.ts'
import {omitEmpty} from '../../../common/json.ts'
import type {BackupInfo, BackupInfoRequest} from '../../../api/wire.ts'
import {arg, pastableFlags} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {sizeKib} from '../../format.ts'
import type {Cell} from '../../table.ts'
import {backupSource, backupSourceFlags} from './source-flags.ts'

const size = (kib: number | bigint | undefined): string => (kib ? sizeKib(kib) : '-')

function remaining(kib: number | bigint | undefined): Cell {
  if (kib === undefined) return {text: '-'}
  const n = Number(kib)
  return n < 0 ? {text: `-${sizeKib(-n)}`, colour: 'red'} : {text: sizeKib(n)}
}

export default class BackupInfoCommand extends BaseCommand<typeof BackupInfoCommand> {
  static override summary = 'Show what restoring a backup downloads and needs'
  static override description = 'Name the backup with --resource (its latest backup) or --id. With -n, the remaining free space of ' +
    'the target pools on that node is shown; --storpool-rename maps the backup\'s pools to that node\'s.'
  static override args = {remote: arg('S3 remote that holds the backup')}
  static override flags = {
    ...pastableFlags, ...backupSourceFlags,
    node: Flags.string({char: 'n', aliases: ['target_node', 'target-node'], description: 'node to restore to, for its remaining free space'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    const body: BackupInfoRequest = {...this.checked(() => backupSource(f)), node_name: f.node}
    const {status, data} = await this.api.request<BackupInfo | ApiCallRc[]>('POST', path`/v1/remotes/${this.args.remote}/backups/info`, omitEmpty(body))
    // The controller answers a refusal with its error list (status 200).
    if (Array.isArray(data)) throw new ApiError(status, data)
    if (this.machineReadable) return this.table(data, [], [])
    this.log(this.render(['Resource', 'Snapshot', 'Full Backup', 'Latest Backup', 'Backup Count', 'Download Size', 'Allocated Size'],
      [[data.rsc, data.snap ?? '', data.full, data.latest, String(data.count ?? ''), size(data.dl_size_kib), size(data.alloc_size_kib)]]))
    const target = f.node !== undefined
    this.log(this.render(['Origin StorPool (Type)', ...(target ? ['Target Pool', 'Remaining Free Space'] : []), 'Volume to Download', 'Type',
      'Download Size', 'Allocated Size', 'Usable Size'], data.storpools.map((p) => [
      `${p.name} (${p.provider_kind ?? ''})`, ...(target ? [p.target_name ?? '', remaining(p.remaining_space_kib)] : []),
      p.vlms.map((v) => v.name || '-').join('\n'), p.vlms.map((v) => v.layer_type).join('\n'), p.vlms.map((v) => size(v.dl_size_kib)).join('\n'),
      p.vlms.map((v) => size(v.alloc_size_kib)).join('\n'), p.vlms.map((v) => size(v.usable_size_kib)).join('\n'),
    ])))
  }
}
