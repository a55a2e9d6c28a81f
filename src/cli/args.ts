// Positional arguments and flag sets that many commands share, spelled as the linstor client
// spells them. Arguments never fall back to reading standard input (oclif would otherwise read
// a missing argument from a pipe).
import {Args, Flags} from '@oclif/core'

export const arg = (description: string) => Args.string({required: true, ignoreStdin: true, description})
export const optionalArg = (description: string) => Args.string({required: false, ignoreStdin: true, description})
export const numberArg = (description: string) => Args.integer({required: true, ignoreStdin: true, min: 0, description})
/** One or more (`required`) or any number of values; all other arguments of the command must be required. */
export const variadicArg = (description: string, required: boolean) =>
  Args.string({multiple: true, required, ignoreStdin: true, description})

/** A variadic argument's value: oclif gives an array, a single string or nothing. */
export function listOf(value: unknown): string[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value.map(String) : [String(value)]
}

/** Splits comma-separated and repeated values: `-n a,b -n c` → [a, b, c]; undefined when not given. */
export function csv(values: readonly string[] | string | undefined): string[] | undefined {
  if (values === undefined) return undefined
  return (Array.isArray(values) ? values : [values]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)
}

export const pastableFlags = {
  pastable: Flags.boolean({char: 'p', description: 'generate pastable output (plain ASCII, no colours)'}),
}

/** `-s/--show-props Key[=Title]`: extra columns with property values. */
export const showPropsFlag = (char?: 's') => ({
  'show-props': Flags.string({...(char ? {char} : {}), multiple: true,
    description: 'show these properties as columns; Key=Title names the column'}),
})

export const propsFilterFlag = {
  props: Flags.string({multiple: true, description: 'only objects with this property (Key=Value, or Key to require it)'}),
}

export const nodesFilterFlag = {
  nodes: Flags.string({char: 'n', multiple: true, description: 'filter by list of nodes'}),
}

export const resourcesFilterFlag = {
  resources: Flags.string({char: 'r', multiple: true, description: 'filter by list of resources'}),
}

export const storagePoolsFilterFlag = {
  'storage-pools': Flags.string({char: 's', multiple: true, description: 'filter by list of storage pools'}),
}

/** Accepted and ignored, as by the linstor client (every call waits for the controller's answer). */
export const asyncFlag = {
  async: Flags.boolean({description: 'deprecated, kept for compatibility', hidden: true}),
}

/**
 * Long operations (spawn, create, snapshot, resize) wait, as linstor's do, until the devices are
 * ready; see BaseCommand.waitFor.
 */
export const waitFlags = {
  async: Flags.boolean({description: 'return with the controller\'s answer, without waiting until the devices are ready'}),
  'wait-timeout': Flags.integer({min: 0, default: 300, description: 'give up waiting after this many seconds (0: no limit)'}),
}

export const layerListFlag = {
  'layer-list': Flags.string({char: 'l', description: 'comma-separated layer list, top-most first, e.g. drbd,storage'}),
}

export const layerList = (v: string | undefined): string[] | undefined => csv(v)?.map((l) => l.toUpperCase())
