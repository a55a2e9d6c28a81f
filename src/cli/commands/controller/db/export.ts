import {Command, Flags} from '@oclif/core'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {toDump} from '../../../../controller/store/db-dump.ts'
import {readDatabase} from '../../../../controller/store/journal-store.ts'

export default class ControllerDbExport extends Command {
  static override summary = 'Write the whole cluster database as JSON (for backups and migration); safe while the controller runs'
  static override flags = {
    'data-dir': Flags.string({description: 'controller data directory', default: '/var/lib/cairn'}),
    output: Flags.string({char: 'o', description: 'file to write (default: standard output)'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ControllerDbExport)
    const state = await readDatabase(join(flags['data-dir'], 'db'))
    const text = JSON.stringify(toDump(state, new Date()), null, 1) + '\n'
    if (flags.output) {
      await writeFile(flags.output, text, {mode: 0o600, flag: 'wx'}).catch((e: NodeJS.ErrnoException) =>
        this.error(e.code === 'EEXIST' ? `${flags.output} exists; not overwriting it` : e.message, {exit: 1}))
      this.logToStderr(`exported ${Object.keys(state.rscDfns).length} resource definitions, ${Object.keys(state.nodes).length} nodes (seq ${state.seq}) to ${flags.output}`)
    } else process.stdout.write(text)
  }
}
