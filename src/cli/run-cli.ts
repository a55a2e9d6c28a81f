// The CLI: every client command (and daemon help) through oclif, with the command manifest
// (manifest.ts) standing in for the command classes until one is run. Shell completion answers
// from the manifest alone, without loading oclif.
import {resolveArgv} from './argv.ts'
import {COMPLETE_COMMAND} from './completion.ts'
import {commandManifest, cliPjson, cliPlugin} from './manifest.ts'

export async function runCli(argv: string[]): Promise<void> {
  const manifest = await commandManifest()
  if (argv[0] === COMPLETE_COMMAND) {
    const {runComplete} = await import('./complete.ts')
    return runComplete(argv.slice(1), {commands: manifest.commands, topics: cliPjson().oclif.topics ?? {}})
  }
  const [{Config, flush, handle, Plugin, run}, {helpAddition}, {CairnHelp}] = await Promise.all([
    import('@oclif/core'), import('@oclif/core/run'), import('./help.ts')])
  try {
    const plugin = cliPlugin(Plugin, manifest)
    await plugin.load()
    const config = await Config.load({root: plugin.root, pjson: cliPjson(), plugins: new Map([[plugin.name, plugin]])})
    const resolved = resolveArgv(argv, Object.keys(manifest.commands))
    // oclif's error handler shows the command's help for process.argv: give it the resolved words,
    // or a usage error after an abbreviation (`s rb r`) ends in "Command s:rb:r not found", exit 1.
    process.argv = [...process.argv.slice(0, 2), ...resolved]
    // `--help` anywhere, as oclif's run would, but with the help that skips needless templating.
    if (helpAddition(resolved, config)) await new CairnHelp(config, config.pjson.oclif.helpOptions).showHelp(resolved)
    else await run(resolved, config)
    await flush()
  } catch (error) {
    await handle(error as Error)
  }
}
