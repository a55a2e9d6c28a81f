import type {Node, ResourceWithVolumes, StoragePool} from '../../../api/wire.ts'
import {stringify} from '../../../common/json.ts'
import {optionalArg} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {sizeKib} from '../../format.ts'

interface Tree {name: string, description: string, children: Tree[]}

const DISKLESS_POOL = 'DfltDisklessStorPool'

/** Prints a tree as the linstor client does: "name (description)", children joined by │ ├─── └───. */
export function renderTree(t: Tree, utf8: boolean): string[] {
  const g = utf8 ? {cont: '   │', end: '    ', mid: '   ├───', last: '   └───'} : {cont: '   |', end: '    ', mid: '   |---', last: '   +---'}
  const walk = (n: Tree, connector: string, marker: string, prefix: string): string[] => [
    ...(connector ? [connector] : []),
    `${marker}${n.name} (${n.description})`,
    ...n.children.flatMap((c, i) => (i < n.children.length - 1
      ? walk(c, prefix + g.cont, prefix + g.mid, prefix + g.cont)
      : walk(c, prefix + g.cont, prefix + g.last, prefix + g.end))),
  ]
  return walk(t, '', '', '')
}

/** Node → storage pools → resources → volumes, as `linstor node describe` builds it. */
export function nodeTrees(nodes: Node[], pools: StoragePool[], rscs: ResourceWithVolumes[]): Tree[] {
  const trees = new Map(nodes.map((n) => [n.name, {name: n.name, description: 'node', children: [] as Tree[]}]))
  for (const sp of pools) trees.get(sp.node_name ?? '')?.children.push({name: sp.storage_pool_name, description: 'storage pool', children: []})
  for (const r of rscs) {
    const node = trees.get(r.node_name ?? '')
    if (!node) continue
    const byPool = new Map<string, NonNullable<ResourceWithVolumes['volumes']>>()
    for (const v of r.volumes ?? []) byPool.set(v.storage_pool_name ?? '', [...byPool.get(v.storage_pool_name ?? '') ?? [], v])
    for (const [pool, vols] of byPool) {
      let parent = node.children.find((c) => c.name === (pool === DISKLESS_POOL ? 'diskless resource' : pool))
      if (!parent && pool === DISKLESS_POOL) {
        parent = {name: 'diskless resource', description: 'resources may reside on other nodes', children: []}
        node.children.push(parent)
      }
      parent?.children.push({name: r.name ?? '', description: 'resource', children: vols.map((v) => {
        const drbd = v.layer_data_list?.find((l) => l.type === 'DRBD')?.data as {drbd_volume_definition?: {minor_number?: number}} | undefined
        const minor = drbd?.drbd_volume_definition?.minor_number
        return {name: `volume${v.volume_number ?? 0}`, description: `${minor === undefined ? '' : `minor number: ${minor}`}, size: ${sizeKib(v.allocated_size_kib ?? 0)}`,
          children: []}
      })})
    }
  }
  return [...trees.values()].sort((a, b) => a.name.localeCompare(b.name))
}

export default class NodeDescribe extends BaseCommand<typeof NodeDescribe> {
  static override summary = 'Show a tree of the storage pools, resources and volumes of a node (or of all nodes)'
  static override args = {name: optionalArg('node to describe; all nodes when left out')}

  async run(): Promise<void> {
    const [nodes, pools, rscs] = await Promise.all([this.get<Node[]>('/v1/nodes'), this.get<StoragePool[]>('/v1/view/storage-pools'),
      this.get<ResourceWithVolumes[]>('/v1/view/resources')])
    const wanted = this.args.name?.toLowerCase()
    const trees = nodeTrees(nodes, pools, rscs).filter((t) => !wanted || t.name.toLowerCase() === wanted)
    if (this.machineReadable) return this.log(stringify(trees))
    if (!trees.length && this.args.name) {
      process.stderr.write(`${this.args.name}: no such node\n`)
      return this.exit(3)
    }
    this.log(trees.map((t) => renderTree(t, !this.flags['no-utf8']).join('\n')).join('\n\n'))
  }
}
