import type {ResourceConnection} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {pathCommands} from '../../connections.ts'

const rcPath = (a: Record<string, string>): string =>
  path`/v1/resource-definitions/${a.resource_name as string}/resource-connections/${a.node_a as string}/${a.node_b as string}`

export const ResourceConnectionPath = pathCommands({
  what: 'resource connection',
  target: {node_a: arg('first node of the connection'), node_b: arg('second node of the connection'), resource_name: arg('name of the resource')},
  modifyPath: rcPath,
  props: async (get, a) => (await get<ResourceConnection>(rcPath(a))).props ?? {},
})
