// Shell completion: what may come next on a command line, decided from the command manifest
// (command words with linstor's group aliases, flags and their choices, positional arguments). Names
// of nodes, resources, storage pools and resource groups come from the controller; this only says
// which are wanted. Pure.
import {commandWordChoices, commandWords, groupAliases, leadingGlobals, verbAliases} from './argv.ts'

export interface FlagInfo {
  name: string
  char?: string
  type: 'boolean' | 'option'
  options?: readonly string[]
  allowNo?: boolean
  hidden?: boolean
  summary?: string
  description?: string
}
export interface ArgInfo {name: string, options?: readonly string[], multiple?: boolean}
export interface CommandInfo {hidden?: boolean, summary?: string, description?: string, flags: Record<string, FlagInfo>, args: Record<string, ArgInfo>}
/** The manifest's commands by id ("node:list"), and the topics' descriptions by id ("node"). */
export interface CommandTable {commands: Record<string, CommandInfo>, topics: Record<string, {description?: string}>}

/** The hidden command the completion scripts call: `cairn __complete <words…>` (complete.ts). */
export const COMPLETE_COMMAND = '__complete'

/** Objects whose names the controller lists. */
export type NameKind = 'node' | 'resource-definition' | 'resource-group' | 'storage-pool'

export interface Candidate {word: string, description?: string}

export interface Completion {
  /** Candidates starting with the word being completed. */
  candidates: Candidate[]
  /** Names to fetch from the controller; those starting with `prefix` are candidates, after `lead`. */
  names: NameKind[]
  /** The word being completed, as typed; after `--flag=`, the value part. */
  prefix: string
  /** What a fetched name is written after: `--flag=` when completing an inline value. */
  lead: string
  /** A free value is expected (a path, a size): the shell may offer file names. */
  files: boolean
}

// oclif's own commands (help) word their summaries as templates of the binary's name.
const firstLine = (text?: string): string | undefined => text?.split('\n', 1)[0]?.replace(/<%= config\.bin %>/g, 'cairn')

const kindByName: [RegExp, NameKind][] = [
  [/^(node(_name)?(_[ab])?|nodes|node_list|node_names|exclude_nodes)$/, 'node'],
  [/^(resource_definition(_name|s)?|resource_names?|resources|source_resource|from_resource|to_resource)$/, 'resource-definition'],
  [/^(resource_group(_name|s)?)$/, 'resource-group'],
  [/^(storage_pools?|diskless_storage_pool)$/, 'storage-pool'],
]
/** In a group's commands, the argument `name` names an object of the group. */
const kindOfGroup: Record<string, NameKind> = {
  'node': 'node', 'resource-definition': 'resource-definition', 'resource-group': 'resource-group',
  'volume-group': 'resource-group', 'storage-pool': 'storage-pool',
}

/** Which names an argument or flag takes, judged by its name (`node_name`, `--storage-pool`, …). */
export function nameKindOf(name: string, commandId: string): NameKind | undefined {
  const n = name.replaceAll('-', '_')
  if (n === 'name') return kindOfGroup[commandId.split(':')[0] as string]
  return kindByName.find(([re]) => re.test(n))?.[1]
}

const startingWith = (prefix: string, list: Candidate[]): Candidate[] => list.filter((c) => c.word.startsWith(prefix))

function flagCandidates(cmd: CommandInfo): Candidate[] {
  return Object.values(cmd.flags).filter((f) => !f.hidden).flatMap((f) => {
    const description = firstLine(f.summary ?? f.description)
    return [{word: `--${f.name}`, description}, ...(f.allowNo ? [{word: `--no-${f.name}`, description}] : [])]
  })
}

const findFlag = (cmd: CommandInfo, word: string): FlagInfo | undefined => {
  if (word.startsWith('--')) {
    const name = word.slice(2).split('=')[0] as string
    return cmd.flags[name] ?? cmd.flags[name.replace(/^no-/, '')]
  }
  return /^-[^-]$/.test(word) ? Object.values(cmd.flags).find((f) => f.char === word[1]) : undefined
}

/** What a value of this flag or argument may be. */
function valueCompletion(prefix: string, id: string, entries: readonly {name: string, options?: readonly string[]}[]): Completion {
  const options = entries.flatMap((e) => e.options ?? [])
  const names = [...new Set(entries.map((e) => nameKindOf(e.name, id)).filter((k): k is NameKind => k !== undefined))]
  return {candidates: startingWith(prefix, options.map((word) => ({word}))), names, prefix, lead: '', files: !options.length && !names.length}
}

/** The command words that may follow `path` and start with `prefix` (with the group aliases). */
function nextWords(path: readonly string[], prefix: string, table: CommandTable, ids: readonly string[]): Candidate[] {
  const depth = path.length
  const choices = commandWordChoices(path, ids)
  const describe = (word: string): string | undefined => {
    const full = [...path, word].join(':')
    return firstLine(table.topics[full]?.description ?? table.commands[full]?.summary ?? table.commands[full]?.description)
  }
  const words: Candidate[] = choices.map((word) => ({word, description: describe(word)}))
  for (const [alias, full] of Object.entries(depth ? verbAliases : groupAliases)) {
    // Group aliases are offered as words of their own; a verb abbreviation only once typed out (`r lp`).
    if (choices.includes(full) && (!depth || alias === prefix)) words.push({word: depth ? full : alias, description: describe(full)})
  }
  return [...new Map(words.filter((c) => c.word.startsWith(prefix) || (depth > 0 && verbAliases[prefix] === c.word)).map((c) => [c.word, c])).values()]
    .sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
}

/**
 * `words` are the words after the program name up to the cursor; the last is the word being
 * completed (empty right after a space).
 */
export function completion(words: readonly string[], table: CommandTable): Completion {
  const prefix = words.at(-1) ?? ''
  // Global options before the command words (`cairn --controllers x r l`) are no part of the command.
  const before = words.slice(leadingGlobals(words.slice(0, -1)), -1)
  const ids = Object.keys(table.commands).filter((id) => !table.commands[id]?.hidden)
  const {words: resolved, depth} = commandWords(before, ids)
  const path = resolved.slice(0, depth)
  const id = path.join(':')
  const cmd = table.commands[id]
  const none: Completion = {candidates: [], names: [], prefix, lead: '', files: false}

  // `help <command words>`: the words of a command, and nothing after them.
  if (id === 'help') {
    const inner = commandWords(before.slice(1), ids)
    const within = inner.depth === before.length - 1 && !prefix.startsWith('-')
    return {...none, candidates: within ? nextWords(inner.words.slice(0, inner.depth), prefix, table, ids) : []}
  }
  // Still among the command words: the next word of the command tree.
  if (depth === before.length && !prefix.startsWith('-')) {
    const next = nextWords(path, prefix, table, ids)
    if (next.length || !cmd) return {...none, candidates: next}
  }
  if (!cmd) return none

  // After `--`, words are arguments; before it, a word after a flag that takes a value is its value.
  const rest = resolved.slice(depth)
  const dashes = rest.indexOf('--')
  if (prefix.startsWith('-') && dashes < 0) {
    const inline = /^(--[^=]+)=(.*)$/.exec(prefix)
    const flag = inline && findFlag(cmd, inline[1] as string)
    if (inline && flag?.type === 'option') {
      const lead = `${inline[1]}=`
      const values = valueCompletion(inline[2] as string, id, [flag])
      return {...values, lead, candidates: values.candidates.map((c) => ({word: lead + c.word}))}
    }
    return {...none, candidates: startingWith(prefix, flagCandidates(cmd))}
  }
  let positional = 0
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string
    if (dashes >= 0 && i > dashes) positional++
    else if (word === '--') continue
    else if (word.startsWith('-') && word !== '-') {
      const flag = findFlag(cmd, word)
      if (flag?.type === 'option' && !word.includes('=')) {
        if (i === rest.length - 1) return valueCompletion(prefix, id, [flag])
        i++
      }
    } else positional++
  }
  const args = Object.values(cmd.args)
  const variadic = args.findIndex((a) => a.multiple)
  // A variadic argument takes every word up to the arguments after it (`r c n1 n2 rsc`): offer both.
  const at = variadic >= 0 && positional >= variadic ? [args[variadic], args[variadic + 1]] : [args[positional]]
  const entries = at.filter((a): a is ArgInfo => a !== undefined)
  return entries.length ? valueCompletion(prefix, id, entries) : none
}

/**
 * The answer of `cairn __complete`: one candidate a line, a tab before its description, and a last
 * line `:files` or `:words` saying whether the shell may fall back to file names.
 */
export function formatCompletion(candidates: readonly Candidate[], files: boolean): string {
  const lines = candidates.map((c) => (c.description ? `${c.word}\t${c.description.replaceAll('\t', ' ')}` : c.word))
  return [...lines, files && !candidates.length ? ':files' : ':words'].join('\n') + '\n'
}
