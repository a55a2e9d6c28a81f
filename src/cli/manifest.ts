// The command manifest: every command's id, summary, flags and arguments as plain data (oclif's
// cached form), so that help, completion and argv resolution need no command class and a run
// loads only the class it runs. The binary carries the manifest, built from the classes at build
// time (packaging/cli-manifest.ts, baked in by packaging/esbuild.mjs); a run from the sources
// builds it from the classes on the fly.
import type {Command, Interfaces, Plugin} from '@oclif/core'
import pjson from '../../package.json' with {type: 'json'}
import {buildInfo} from '../version.ts'
import {COMMANDS, type CommandEntry} from './commands.ts'

declare const CAIRN_CLI_MANIFEST: string | undefined

export type Manifest = Interfaces.Manifest

/** oclif's view of package.json, with the version of the build. */
export const cliPjson = (): Interfaces.PJSON => ({...pjson, version: buildInfo.version}) as unknown as Interfaces.PJSON

/** A command class, loaded on first use unless the entry is the class itself. */
export async function loadCommand(entry: CommandEntry): Promise<Command.Class> {
  // A class has a static run(); a loader is a plain function.
  return 'run' in entry ? entry : entry()
}

/** The binary's own plugin: commands come from COMMANDS, loaded by id when oclif asks for one. */
export function cliPlugin(PluginClass: typeof Plugin, manifest?: Manifest): Plugin {
  const plugin = new PluginClass({root: process.cwd(), pjson: cliPjson(), isRoot: true, ignoreManifest: true})
  const find = async (id: string, opts?: {must: boolean}): Promise<Command.Class | undefined> => {
    const entry = COMMANDS[id]
    if (!entry) {
      if (opts?.must) throw new Error(`command ${id} not found`)
      return undefined
    }
    const cmd = await loadCommand(entry)
    cmd.id = id
    cmd.plugin = plugin
    return cmd
  }
  plugin.findCommand = find as Plugin['findCommand']
  // oclif builds the manifest by loading every class unless it is handed one.
  if (manifest) (plugin as unknown as {_manifest(): Promise<Manifest>})._manifest = async () => manifest
  return plugin
}

/**
 * The manifest as the build stores it: every distinct flag once (most commands share the global
 * flags), commands naming theirs by index. A third of the size, and of the time to parse it.
 */
export interface PackedManifest {version: string, flags: unknown[], commands: Record<string, {flags: number[]} & Record<string, unknown>>}

export function packManifest(m: Manifest): PackedManifest {
  const flags: unknown[] = []
  const index = new Map<string, number>()
  const commands = Object.fromEntries(Object.entries(m.commands).map(([id, c]) => [id, {...c, flags: Object.values(c.flags).map((f) => {
    const key = JSON.stringify(f)
    if (!index.has(key)) index.set(key, flags.push(f) - 1)
    return index.get(key) as number
  })}]))
  return {version: m.version, flags, commands}
}

/** Unpacks in place (`p` is freshly parsed and used for nothing else): it runs at every start. */
export function unpackManifest(p: PackedManifest): Manifest {
  for (const c of Object.values(p.commands)) {
    const flags: Record<string, unknown> = {}
    for (const i of c.flags) flags[(p.flags[i] as {name: string}).name] = p.flags[i]
    ;(c as Record<string, unknown>).flags = flags
  }
  return {version: p.version, commands: p.commands} as unknown as Manifest
}

/** The manifest built from the command classes. */
export async function buildManifest(): Promise<Manifest> {
  const {Plugin: PluginClass} = await import('@oclif/core')
  const plugin = cliPlugin(PluginClass)
  const classes = await Promise.all(Object.entries(COMMANDS).map(async ([id, entry]) => [id, await loadCommand(entry)] as const))
  ;(plugin as unknown as {commandCache: unknown}).commandCache = Object.fromEntries(classes)
  await plugin.load()
  return plugin.manifest
}

export async function commandManifest(): Promise<Manifest> {
  return typeof CAIRN_CLI_MANIFEST !== 'undefined' ? unpackManifest(JSON.parse(CAIRN_CLI_MANIFEST) as PackedManifest) : buildManifest()
}
