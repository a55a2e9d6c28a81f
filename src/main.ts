// The one entry point of the binary: every mode and every client command goes through oclif,
// loaded from memory (a single-executable binary has no command files on disk).
import {Config, Plugin, flush, handle, run} from '@oclif/core'
import pjson from '../package.json' with {type: 'json'}
import {resolveArgv} from './cli/argv.ts'
import {COMMANDS} from './cli/commands.ts'
import {buildInfo} from './version.ts'

async function main(): Promise<void> {
  const root = process.cwd()
  const manifest = {...pjson, version: buildInfo.version} as unknown as ConstructorParameters<typeof Plugin>[0]['pjson']
  const plugin = new Plugin({root, pjson: manifest, isRoot: true, ignoreManifest: true})
  ;(plugin as unknown as {commandCache: unknown}).commandCache = COMMANDS
  await plugin.load()
  const config = await Config.load({root, pjson: manifest, plugins: new Map([[plugin.name, plugin]])})
  await run(resolveArgv(process.argv.slice(2), Object.keys(COMMANDS)), config)
  await flush()
}

main().catch(async (error: unknown) => handle(error as Error))
