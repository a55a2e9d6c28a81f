// `cairn __complete <words…>`, what the completion scripts ask at every Tab: answered from the
// command manifest without loading oclif, and for names of nodes, resources, storage pools and
// resource groups from the controller, briefly. A controller that is slow, down or refusing gives
// no names, never an error: completion must not get in the way of typing.
import {resolveConnection, type ConnectionInputs} from '../api/connection.ts'
import {httpCall} from '../api/http.ts'
import {parse} from '../common/json.ts'
import {readClientFiles} from './client-files.ts'
import {completion, formatCompletion, type CommandTable, type NameKind} from './completion.ts'

const NAME_TIMEOUT_MS = 1000

const listings: Record<NameKind, {path: string, field: string}> = {
  'node': {path: '/v1/nodes', field: 'name'},
  'resource-definition': {path: '/v1/resource-definitions', field: 'name'},
  'resource-group': {path: '/v1/resource-groups', field: 'name'},
  'storage-pool': {path: '/v1/view/storage-pools', field: 'storage_pool_name'},
}

const connectionOptions = ['controllers', 'cafile', 'certfile', 'keyfile', 'user', 'password'] as const

/** The connection flags already on the line (`--controllers x`, `--cafile=y`). */
export function connectionFlags(words: readonly string[]): ConnectionInputs['flags'] {
  const flags: Record<string, string | boolean> = {}
  words.forEach((word, i) => {
    const [name, inline] = word.startsWith('--') ? [word.slice(2).split('=')[0] as string, word.split('=').slice(1).join('=')] : ['', '']
    if ((connectionOptions as readonly string[]).includes(name)) {
      const value = word.includes('=') ? inline : words[i + 1]
      if (value !== undefined) flags[name] = value
    } else if (name === 'allow-insecure-auth') flags[name] = true
  })
  return flags
}

async function names(kind: NameKind, words: readonly string[]): Promise<string[]> {
  const conn = resolveConnection({flags: connectionFlags(words), env: process.env, ...readClientFiles()})
  const {path, field} = listings[kind]
  const res = await httpCall(`${conn.urls[0]}${path}`, {timeoutMs: NAME_TIMEOUT_MS, tls: conn.tls,
    headers: conn.authorization ? {authorization: conn.authorization} : {}})
  const list = res.status === 200 ? parse(res.text) : []
  return Array.isArray(list) ? list.map((x) => (x as Record<string, unknown>)[field]).filter((n): n is string => typeof n === 'string') : []
}

export async function runComplete(words: readonly string[], table: CommandTable): Promise<void> {
  const c = completion(words.length ? words : [''], table)
  const fetched = await Promise.all(c.names.map((kind) => names(kind, words.slice(0, -1)).catch(() => [])))
  const named = [...new Set(fetched.flat())].filter((n) => n.startsWith(c.prefix)).sort().map((n) => ({word: c.lead + n}))
  process.stdout.write(formatCompletion([...c.candidates, ...named], c.files))
}
