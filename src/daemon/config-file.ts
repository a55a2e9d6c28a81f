// Reads cairn.toml: the default path may be absent; a path the user named must exist.
import {readFile} from 'node:fs/promises'
import {ConfigError} from '../common/config.ts'
import {parseToml, type TomlTable} from '../common/toml.ts'

export const DEFAULT_CONFIG = '/etc/cairn/cairn.toml'

export async function readConfigFile(path: string | undefined): Promise<TomlTable> {
  const file = path ?? DEFAULT_CONFIG
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    if (path === undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`)
  }
  try {
    return parseToml(text)
  } catch (e) {
    throw new ConfigError(`${file}: ${(e as Error).message}`)
  }
}
