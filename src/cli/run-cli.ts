// The CLI: every client command (and daemon help) through oclif, loaded from memory (a
// single-executable binary has no command files on disk).
import {Config, Plugin, flush, handle, run} from '@oclif/core'
import pjson from '../../package.json' with {type: 'json'}
import {resolveArgv} from './argv.ts'
import {COMMANDS} from './commands.ts'
import {buildInfo} from '../version.ts'

export async function runCli(argv: string[]): Promise<void> {
  try {
    const root = process.cwd()
    const manifest = {...pjson, version: buildInfo.version} as unknown as ConstructorParameters<typeof Plugin>[0]['pjson']
    const plugin = new Plugin({root, pjson: manifest, isRoot: true, ignoreManifest: true})
    ;(plugin as unknown as {commandCache: unknown}).commandCache = COMMANDS
    await plugin.load()
    const config = await Config.load({root, pjson: manifest, plugins: new Map([[plugin.name, plugin]])})
    await run(resolveArgv(argv, Object.keys(COMMANDS)), config)
    await flush()
  } catch (error) {
    await handle(error as Error)
  }
}
