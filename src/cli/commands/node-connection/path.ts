import {arg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {nodeConnectionProps, pathCommands} from '../../connections.ts'

export const NodeConnectionPath = pathCommands({
  what: 'node connection',
  target: {node_a: arg('first node of the connection'), node_b: arg('second node of the connection')},
  modifyPath: (a) => path`/v1/node-connections/${a.node_a as string}/${a.node_b as string}`,
  props: (get, a) => nodeConnectionProps(get, a.node_a as string, a.node_b as string),
})
