// The linstor client's short forms: group aliases (`rg`, `r`, `sp`), verb aliases (`l`, `c`, `d`)
// and unambiguous prefixes (`node li`), rewritten to full command words before oclif parses.
// Pure: it sees only the argv and the list of command ids ("node:list").

export const groupAliases: Record<string, string> = {
  n: 'node', sp: 'storage-pool', spd: 'storage-pool-definition', rg: 'resource-group', vg: 'volume-group',
  rd: 'resource-definition', vd: 'volume-definition', r: 'resource', v: 'volume', s: 'snapshot', c: 'controller',
  kv: 'key-value-store', err: 'error-reports', ps: 'physical-storage', nc: 'node-connection', rc: 'resource-connection',
  e: 'encryption', sos: 'sos-report', b: 'backup', sched: 'schedule',
}

/** The linstor client's short subcommand names (its `Subcommands.*.SHORT`), plus `ls` and `del`. */
export const verbAliases: Record<string, string> = {
  l: 'list', ls: 'list', c: 'create', d: 'delete', del: 'delete', sp: 'set-property', lp: 'list-properties', m: 'modify',
  v: 'version', s: 'show', lv: 'list-volumes', mkavail: 'make-available', ap: 'auto-place', i: 'interface', lo: 'lost',
  rc: 'reconnect', dsc: 'describe', r: 'resource', vd: 'volume-definition', rst: 'restore', size: 'set-size',
  qsi: 'query-size-info', qmvs: 'query-max-volume-size', spawn: 'spawn-resources', cln: 'clone', cm: 'create-multiple',
  rb: 'rollback', p: 'path', ws: 'wait-sync', adj: 'adjust', evac: 'evacuate', td: 'toggle-disk', opt: 'drbd-options',
  popt: 'drbd-peer-options', act: 'activate', deact: 'deactivate', inv: 'involved', cdp: 'create-device-pool',
  cp: 'create-passphrase', ep: 'enter-passphrase', mp: 'modify-passphrase',
  sched: 'schedule', en: 'enable', dis: 'disable', lbr: 'list-by-resource', lbd: 'list-by-resource-details',
}

/**
 * Words that mean something else under one group: `backup s` is linstor's `backup ship` (elsewhere
 * `s` is `show`); the User Guide sets a connection's DRBD options with `rc drbd-options`.
 */
const groupVerbAliases: Record<string, Record<string, string>> = {
  'backup': {s: 'ship'},
  'resource-connection': {'drbd-options': 'drbd-peer-options'},
}

function resolveWord(word: string, choices: readonly string[], aliases: Record<string, string>): string | undefined {
  if (choices.includes(word)) return word
  const alias = aliases[word]
  if (alias && choices.includes(alias)) return alias
  const prefixed = choices.filter((c) => c.startsWith(word))
  return prefixed.length === 1 ? prefixed[0] : undefined
}

/** linstor's `--diskless-on-remaining [true|false]` takes an optional word; oclif wants `--[no-]diskless-on-remaining`. */
function optionalBooleans(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string
    const next = argv[i + 1]?.toLowerCase()
    if (word === '--diskless-on-remaining' && next !== undefined && ['true', 'false', 'yes', 'no'].includes(next)) {
      out.push(next === 'false' || next === 'no' ? '--no-diskless-on-remaining' : word)
      i++
    } else out.push(word)
  }
  return out
}

/** Global options the linstor client takes before the command (`linstor --controllers x n l`). */
const globalValueFlags = new Set(['--controllers', '--cafile', '--certfile', '--keyfile', '--user', '--password'])
const globalSwitches = new Set(['-m', '--machine-readable', '--no-color', '--no-utf8', '--allow-insecure-auth', '--warn-as-error'])

/** How many words at the start of `argv` are global options and their values. */
export function leadingGlobals(argv: readonly string[]): number {
  let i = 0
  while (i < argv.length) {
    const word = argv[i] as string
    const name = word.split('=')[0] as string
    if (globalSwitches.has(word)) i += 1
    else if (globalValueFlags.has(name)) i += word.includes('=') ? 1 : 2
    else break
  }
  return Math.min(i, argv.length)
}

/** Moves leading global options behind the command words, where oclif expects flags. */
function globalsLast(argv: string[]): string[] {
  const i = leadingGlobals(argv)
  return i === 0 ? argv : [...argv.slice(i), ...argv.slice(0, i)]
}

/** The choices for the command word at `depth` under the full words before it ("node", "interface"). */
export function commandWordChoices(prefix: readonly string[], ids: readonly string[]): string[] {
  const paths = ids.map((id) => id.split(':')).filter((p) => p.length > prefix.length && prefix.every((w, i) => p[i] === w))
  return [...new Set(paths.map((p) => p[prefix.length] as string))]
}

/**
 * The leading command words of `argv` rewritten to full ones (`r l` → `resource list`), and how
 * many words were command words. The walk ends at the first flag or at a word that names no
 * deeper command: from there on, words are arguments.
 */
export function commandWords(argv: readonly string[], ids: readonly string[]): {words: string[], depth: number} {
  const out = [...argv]
  let depth = 0
  for (; depth < out.length; depth++) {
    const word = out[depth] as string
    if (word.startsWith('-')) break
    const aliases = depth === 0 ? groupAliases : {...verbAliases, ...(depth === 1 ? groupVerbAliases[out[0] as string] : undefined)}
    const hit = resolveWord(word, commandWordChoices(out.slice(0, depth), ids), aliases)
    if (!hit) break
    out[depth] = hit
  }
  return {words: out, depth}
}

/** `argv` without the global options and their values, wherever they stand. */
function withoutGlobals(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string
    const name = word.split('=')[0] as string
    if (globalValueFlags.has(name) && !word.includes('=')) i++
    else if (!globalSwitches.has(word) && !globalValueFlags.has(name)) out.push(word)
  }
  return out
}

export function resolveArgv(argv: readonly string[], ids: readonly string[]): string[] {
  const {words, depth} = commandWords(optionalBooleans(globalsLast([...argv])), ids)
  // `help r l` asks for the help of `resource list`: the words after `help` are a command's, and
  // oclif's help takes none of the global options a linstor habit may put there.
  return words[0] === 'help' && depth === 1 ? ['help', ...commandWords(withoutGlobals(words.slice(1)), ids).words] : words
}
