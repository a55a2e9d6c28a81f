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
    const resolved = resolveArgv(argv, Object.keys(COMMANDS))
    // oclif's error handler shows the command's help for process.argv: give it the resolved words,
    // or a usage error after an abbreviation (`s rb r`) ends in "Command s:rb:r not found", exit 1.
    process.argv = [...process.argv.slice(0, 2), ...resolved]
    await run(resolved, config)
    await flush()
  } catch (error) {
    await handle(error as Error)
  }
}
