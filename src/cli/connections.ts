// What node connections and resource connections share: the Properties column of their lists and
// the `path create/delete/list` commands, which are `Paths/<name>/<node>` properties on the connection.
import type {Command} from '@oclif/core'
import type {ArgInput} from '@oclif/core/interfaces'
import type {NodeConnection, Properties} from '../api/wire.ts'
import {arg} from './args.ts'
import {BaseCommand} from './base-command.ts'
import {listPropertiesCommand} from './props.ts'

/** "key=value,…" with namespaces stripped, cut at 30 characters, as linstor lists connections. */
export function connectionPropsText(props: Properties = {}): string {
  const text = Object.entries(props).map(([k, v]) => `${k.slice(k.lastIndexOf('/') + 1)}=${v}`).join(',')
  return text.length < 30 ? text : `${text.slice(0, 30)}...`
}

type Names = Record<string, string>
type Get = <R>(p: string) => Promise<R>

/** The properties of the connection between two nodes; undefined when it has none. */
export async function nodeConnectionProps(get: Get, a: string, b: string): Promise<Properties | undefined> {
  const q = new URLSearchParams({node_a: a, node_b: b})
  return (await get<NodeConnection[]>(`/v1/node-connections?${q}`))[0]?.props
}

export interface PathSpec {
  /** The arguments naming the connection (node_a, node_b[, resource_name]). */
  target: ArgInput
  /** Where the connection is modified. */
  modifyPath: (a: Names) => string
  /** The connection's properties (undefined when it does not exist). */
  props: (get: Get, a: Names) => Promise<Properties | undefined>
  what: string
}

const pathKeys = (a: Names): string[] => [`Paths/${a.path_name}/${a.node_a}`, `Paths/${a.path_name}/${a.node_b}`]

export function pathCommands(spec: PathSpec): {create: typeof Command, delete: typeof Command, list: typeof Command} {
  class PathCreate extends BaseCommand<typeof Command> {
    static override summary = `Create a network path of a ${spec.what}: which interface each node uses`
    static override args = {...spec.target, path_name: arg('name of the path'),
      netinterface_a: arg('net interface of the first node'), netinterface_b: arg('net interface of the second node')}

    async run(): Promise<void> {
      const a = this.args as Names
      const [ka, kb] = pathKeys(a) as [string, string]
      await this.mutate('PUT', spec.modifyPath(a), {override_props: {[ka]: a.netinterface_a, [kb]: a.netinterface_b}})
    }
  }
  class PathDelete extends BaseCommand<typeof Command> {
    static override summary = `Delete a network path of a ${spec.what}`
    static override args = {...spec.target, path_name: arg('name of the path')}

    async run(): Promise<void> {
      await this.mutate('PUT', spec.modifyPath(this.args as Names), {delete_props: pathKeys(this.args as Names)})
    }
  }
  const PathList = listPropertiesCommand({summary: `List the network paths of a ${spec.what}`, target: spec.target,
    props: async (get, a) => {
      const props = await spec.props(get, a)
      return props && Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('Paths/')))
    }})
  return {create: PathCreate, delete: PathDelete, list: PathList}
}
