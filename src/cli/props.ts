// `<group> set-property <object…> <key> [<value>]` and `<group> list-properties <object…>` for
// every object that has properties. The commands differ only in the arguments that name the
// object and in its REST path, so each is one line in commands/properties.ts.
import {Flags, type Command} from '@oclif/core'
import type {ArgInput, FlagInput} from '@oclif/core/interfaces'
import type {Properties} from '../api/wire.ts'
import {stringify} from '../common/json.ts'
import {arg, optionalArg, pastableFlags} from './args.ts'
import {BaseCommand} from './base-command.ts'

type Names = Record<string, string>

/** A property change as the REST API takes it: an empty value removes the key. */
export function propChange(key: string, value: string | undefined): {override_props?: Properties, delete_props?: string[]} {
  return value ? {override_props: {[key]: value}} : {delete_props: [key]}
}

export interface SetPropertySpec {
  summary: string
  /** The arguments naming the object, in order (`node_name`, `name`, …). */
  target: ArgInput
  /** The modify call for the object; the body is `{override_props}` or `{delete_props}`. */
  call: (names: Names) => {method: 'PUT' | 'POST', path: string}
  /** No `--aux` flag (the key-value store takes plain keys). */
  noAux?: boolean
}

export function setPropertyCommand(spec: SetPropertySpec): typeof Command {
  return class SetProperty extends BaseCommand<typeof Command> {
    static override summary = spec.summary
    static override description = 'An empty or missing value removes the property.'
    static override args = {...spec.target, key: arg('property key'), value: optionalArg('new value; leave out to remove the property')}
    static override flags: FlagInput = spec.noAux ? {} : {aux: Flags.boolean({description: 'the key is an auxiliary property (Aux/<key>)'})}

    async run(): Promise<void> {
      const names = this.args as Names
      const key = (this.flags as {aux?: boolean}).aux ? `Aux/${names.key}` : names.key as string
      const {method, path} = spec.call(names)
      await this.mutate(method, path, propChange(key, names.value))
    }
  }
}

export interface ListPropertiesSpec {
  summary: string
  target: ArgInput
  /** Reads the object's properties; undefined when the object has none to show. */
  props: (get: <R>(path: string) => Promise<R>, names: Names) => Promise<Properties | undefined>
}

export function listPropertiesCommand(spec: ListPropertiesSpec): typeof Command {
  return class ListProperties extends BaseCommand<typeof Command> {
    static override summary = spec.summary
    static override args = spec.target
    static override flags = pastableFlags

    async run(): Promise<void> {
      const props = await spec.props((p) => this.get(p), this.args as Names)
      this.printProps(props)
    }

    /** Key/Value table sorted by key; with -m the linstor client's [[{key, value}]]. */
    printProps(props: Properties | undefined): void {
      if (this.machineReadable) {
        this.log(props ? stringify([Object.entries(props).map(([key, value]) => ({key, value}))]) : '')
        return
      }
      if (!props) {
        this.log('No property map found for this entry.')
        return
      }
      this.log(this.render(['Key', 'Value'], Object.keys(props).sort().map((k) => [k, props[k] ?? ''])))
    }
  }
}
