// `drbd-options` and `drbd-peer-options`: one flag per DRBD option the object takes, built from the
// table generated from the contract (drbd-option-table.ts) and spelled as the linstor client spells
// them: --<option>, --handler-<handler>, --drbd-timeout (linstor keeps --timeout for itself), and a
// hidden --unset-<flag> that removes the option. Each sets or removes a DrbdOptions/<Section>/<option>
// property through the object's modify call.
import {Flags, type Command} from '@oclif/core'
import type {ArgInput, FlagInput} from '@oclif/core/interfaces'
import {BaseCommand} from './base-command.ts'
import {DRBD_OPTION_KEYS, DRBD_OPTION_SPECS, type DrbdOptionSpec} from './drbd-option-table.ts'
import {DRBD_UNIT_SUFFIXES, drbdAmount} from './drbd-units.ts'
import type {SetPropertySpec} from './props.ts'

export type DrbdObject = keyof typeof DRBD_OPTION_KEYS

/** The flag of an option (`DrbdOptions/Net/max-buffers` → max-buffers), as the linstor client names it. */
export function drbdFlagName(key: string): string {
  const [, section, name] = key.split('/') as [string, string, string]
  if (section === 'Handlers') return `handler-${name}`
  return name === 'timeout' ? 'drbd-timeout' : name
}

const specs = new Map(DRBD_OPTION_SPECS.map((s) => [s.key, s]))
export const drbdOptionsOf = (object: DrbdObject): DrbdOptionSpec[] => DRBD_OPTION_KEYS[object].map((k) => specs.get(k) as DrbdOptionSpec)

const inRange = (spec: DrbdOptionSpec, n: number): boolean => n >= (spec.min ?? -Infinity) && n <= (spec.max ?? Infinity)
const unitOf = (spec: DrbdOptionSpec): string => (spec.unit ? ` ${spec.unit}` : '')
const rangeOf = (spec: DrbdOptionSpec): string => `a number from ${spec.min} to ${spec.max}${unitOf(spec)}`

/** A range option that also takes a size with a unit (`250M`), converted to the option's own unit. */
function scaledValue(spec: DrbdOptionSpec, scale: number, raw: string): string {
  const amount = drbdAmount(raw, scale)
  if (amount !== undefined && inRange(spec, amount)) return String(amount)
  const converted = amount === undefined || /^\s*\d+\s*$/.test(raw) ? '' : ` (${amount}${unitOf(spec)})`
  const units = amount === undefined ? ` or one with a unit: ${DRBD_UNIT_SUFFIXES}` : ''
  throw new Error(`'${raw}'${converted} is not ${rangeOf(spec)}${units}`)
}

/** A value as the option takes it; throws with the reason when it does not. Pure. */
export function drbdValue(spec: DrbdOptionSpec, raw: string): string {
  if (spec.type === 'range' && spec.scale !== undefined) return scaledValue(spec, spec.scale, raw)
  const value = spec.type === 'boolean' ? raw.toLowerCase() : raw
  const number = /^-?\d+$/.test(value) && inRange(spec, Number(value))
  const words = spec.type === 'boolean' ? ['yes', 'no'] : spec.values ?? []
  const ok = spec.type === 'string' ? value !== '' : spec.type === 'range' ? number
    : spec.type === 'numeric-or-symbol' ? number || words.includes(value) : words.includes(value)
  if (ok) return value
  const expected = spec.type === 'string' ? 'a value' : spec.type === 'range' ? rangeOf(spec)
    : `${spec.type === 'numeric-or-symbol' ? `${rangeOf(spec)} or ` : ''}one of ${words.join(', ')}`
  throw new Error(`'${raw}' is not ${expected}`)
}

function help(spec: DrbdOptionSpec): string {
  const range = `${spec.min}-${spec.max}${unitOf(spec)}${spec.scale !== undefined ? ', or with a unit (K, M, G, T; s: sectors)' : ''}`
  const what = spec.type === 'boolean' ? 'yes or no' : spec.type === 'range' ? range
    : spec.type === 'numeric-or-symbol' ? `${spec.min}-${spec.max} or ${(spec.values ?? []).join(', ')}` : spec.type === 'enum' ? '' : 'text'
  return `${what ? `${what}; ` : ''}sets ${spec.key}`
}

/** The option flags of an object, each with its hidden --unset- twin. */
export function drbdOptionFlags(object: DrbdObject): FlagInput {
  return Object.fromEntries(drbdOptionsOf(object).flatMap((spec) => {
    const name = drbdFlagName(spec.key)
    const flag = spec.type === 'enum'
      ? Flags.string({options: [...spec.values ?? []], description: help(spec), helpGroup: 'DRBD OPTIONS'})
      : Flags.string({description: help(spec), helpGroup: 'DRBD OPTIONS', parse: async (v) => drbdValue(spec, v)})
    return [[name, flag], [`unset-${name}`, Flags.boolean({hidden: true, description: `remove ${spec.key}`})]]
  }))
}

/** The properties to set and to remove for the flags given. Pure. */
export function drbdOptionChanges(object: DrbdObject, flags: Readonly<Record<string, unknown>>):
  {override_props: Record<string, string>, delete_props: string[]} {
  const out = {override_props: {} as Record<string, string>, delete_props: [] as string[]}
  for (const spec of drbdOptionsOf(object)) {
    const name = drbdFlagName(spec.key)
    const value = flags[name]
    if (value !== undefined && flags[`unset-${name}`]) throw new Error(`--${name} and --unset-${name} contradict each other`)
    if (typeof value === 'string') out.override_props[spec.key] = value
    else if (flags[`unset-${name}`]) out.delete_props.push(spec.key)
  }
  return out
}

export interface DrbdOptionsSpec extends Omit<SetPropertySpec, 'noAux'> {
  /** Whose option list: drbd-peer-options of nodes and resources take the resource connection's. */
  object: DrbdObject
  target: ArgInput
}

export function drbdOptionsCommand(spec: DrbdOptionsSpec): typeof Command {
  return class DrbdOptions extends BaseCommand<typeof Command> {
    static override summary = spec.summary
    static override description = 'Each option sets a DrbdOptions/<section>/<option> property; --unset-<option> removes it. '
      + 'Sizes and rates also take a unit (--c-max-rate 250M, --c-fill-target 1M; s: 512-byte sectors), converted to the option\'s own.'
    static override args = spec.target
    static override flags = drbdOptionFlags(spec.object)
    // oclif's generated usage would list every option; they are listed below it anyway.
    static override usage = `${Object.keys(spec.target).map((a) => a.toUpperCase()).join(' ')} [--OPTION VALUE]... [--unset-OPTION]...`

    async run(): Promise<void> {
      const change = this.checked(() => drbdOptionChanges(spec.object, this.flags as Record<string, unknown>))
      if (!Object.keys(change.override_props).length && !change.delete_props.length) this.usage('No DRBD option given; see --help for the options.')
      const {method, path} = spec.call(this.args as Record<string, string>)
      await this.mutate(method, path, change)
    }
  }
}
