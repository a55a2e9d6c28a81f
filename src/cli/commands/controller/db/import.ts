import {Args, Command, Flags} from '@oclif/core'
import {mkdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {DumpError, fromDump} from '../../../../controller/store/db-dump.ts'
import {readDatabase, writeDatabase} from '../../../../controller/store/journal-store.ts'
import {runningController} from '../../../../daemon/pid-lock.ts'

export default class ControllerDbImport extends Command {
  static override summary = 'Replace the cluster database with an export (the controller must be stopped)'
  static override args = {file: Args.string({required: true, description: 'file written by `cairn controller db export`'})}
  static override flags = {
    'data-dir': Flags.string({description: 'controller data directory', default: '/var/lib/cairn'}),
    force: Flags.boolean({description: 'replace a database that already holds objects'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ControllerDbImport)
    const pid = await runningController(flags['data-dir'])
    if (pid) this.error(`a controller (pid ${pid}) is running on ${flags['data-dir']}; stop it before importing`, {exit: 1})
    let state
    try {
      state = fromDump(JSON.parse(await readFile(args.file, 'utf8')))
    } catch (e) {
      this.error(`${args.file}: ${e instanceof DumpError || e instanceof SyntaxError ? e.message : (e as Error).message}`, {exit: 1})
    }
    const dir = join(flags['data-dir'], 'db')
    await mkdir(dir, {recursive: true, mode: 0o700})
    const current = await readDatabase(dir)
    if (!flags.force && (Object.keys(current.nodes).length || Object.keys(current.rscDfns).length)) {
      this.error(`${dir} already holds ${Object.keys(current.nodes).length} nodes and ${Object.keys(current.rscDfns).length} resource definitions; ` +
        'use --force to replace them', {exit: 1})
    }
    await writeDatabase(dir, state)
    this.log(`imported ${Object.keys(state.rscDfns).length} resource definitions and ${Object.keys(state.nodes).length} nodes into ${dir}`)
  }
}
