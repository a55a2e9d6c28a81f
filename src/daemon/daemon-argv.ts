// `cairn combined|controller|satellite --flag value ...` read without oclif: a daemon then never
// loads the CLI framework (tens of MB and milliseconds it would keep for its whole life).
// Anything this does not understand (help, unknown or incomplete flags) is left to oclif,
// which prints the proper message. Pure.
import {settingNames, type Settings} from '../common/config.ts'
import type {Mode} from './run-daemon.ts'

const MODES: readonly string[] = ['combined', 'controller', 'satellite']
const NAMES: readonly string[] = [...settingNames, 'config']

export interface DaemonInvocation {mode: Mode, flags: Partial<Record<keyof Settings, string>>, config?: string}

export function daemonInvocation(argv: readonly string[]): DaemonInvocation | undefined {
  const [mode, ...rest] = argv
  if (!mode || !MODES.includes(mode)) return undefined
  const values: Record<string, string> = {}
  for (let i = 0; i < rest.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(rest[i] as string)
    if (!m || !NAMES.includes(m[1] as string)) return undefined
    const value = m[2] ?? rest[++i]
    if (value === undefined || (m[2] === undefined && value.startsWith('--'))) return undefined
    values[m[1] as string] = value
  }
  const {config, ...flags} = values
  return {mode: mode as Mode, flags, config}
}
