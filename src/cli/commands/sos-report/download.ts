import {writeFile} from 'node:fs/promises'
import {basename, join} from 'node:path'
import {Flags} from '@oclif/core'
import {optionalArg} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {sosFlags, sosQuery} from './query.ts'

export default class SosReportDownload extends BaseCommand<typeof SosReportDownload> {
  static override summary = 'Make an SOS report and save it here (or in the directory given), under the name the controller gives it'
  static override args = {path: optionalArg('directory to save the report in (default: the current directory)')}
  static override flags = {
    ...sosFlags,
    path: Flags.string({char: 'p', description: 'directory to save the report in (as the argument)'}),
  }

  async run(): Promise<void> {
    const query = this.checked(() => sosQuery(this.flags, Date.now()))
    const {filename, data} = await this.api.download('/v1/sos-report/download', query)
    // The server's name, without any directory part it might carry.
    const target = join(this.args.path ?? this.flags.path ?? '.', basename(filename ?? `sos_${Date.now()}.tar.gz`))
    await writeFile(target, data, {mode: 0o600})
    this.log(`SOS report saved as ${target}`)
  }
}
