import type {Node} from '../../../api/wire.ts'
import {nodesFilterFlag, pastableFlags} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {Flags} from '@oclif/core'
import type {Cell} from '../../table.ts'

const providerColumns: [string, string[]][] = [
  ['Diskless', ['DISKLESS']], ['LVM', ['LVM']], ['LVMThin', ['LVM_THIN']], ['ZFS/Thin', ['ZFS', 'ZFS_THIN']],
  ['File/Thin', ['FILE', 'FILE_THIN']], ['SPDK', ['SPDK']], ['Remote_SPDK', ['REMOTE_SPDK']],
  ['Storage_Spaces', ['STORAGE_SPACES']], ['Storage_Spaces/Thin', ['STORAGE_SPACES_THIN']],
]
const layerColumns: [string, string][] = [
  ['DRBD', 'DRBD'], ['LUKS', 'LUKS'], ['NVMe', 'NVME'], ['Cache', 'CACHE'], ['BCache', 'BCACHE'], ['WriteCache', 'WRITECACHE'], ['Storage', 'STORAGE'],
]

const mark = (ok: boolean): Cell => (ok ? {text: '+', colour: 'green'} : {text: '-', colour: 'red'})

export default class NodeInfo extends BaseCommand<typeof NodeInfo> {
  static override summary = 'Show which storage providers and resource layers each satellite supports'
  static override flags = {
    ...pastableFlags, ...nodesFilterFlag,
    full: Flags.boolean({char: 'f', description: 'also show why providers and layers are unsupported'}),
  }

  async run(): Promise<void> {
    const all = await this.get<Node[]>('/v1/nodes', {nodes: this.flags.nodes})
    if (this.machineReadable) return this.table(all, [], [])
    const nodes = all.filter((n) => ['SATELLITE', 'COMBINED'].includes(n.type.toUpperCase()))
    this.log(this.render(['Node', ...providerColumns.map(([h]) => h)], nodes.map((n) =>
      [n.name, ...providerColumns.map(([, kinds]) => mark(kinds.some((k) => (n.storage_providers as string[] | undefined)?.includes(k))))])))
    if (this.flags.full) this.unsupported('Unsupported storage providers:', nodes, (n) => n.unsupported_providers)
    this.log('')
    this.log(this.render(['Node', ...layerColumns.map(([h]) => h)], nodes.map((n) =>
      [n.name, ...layerColumns.map(([, l]) => mark((n.resource_layers as string[] | undefined)?.includes(l) ?? false))])))
    if (this.flags.full) this.unsupported('Unsupported resource layers:', nodes, (n) => n.unsupported_layers)
  }

  private unsupported(title: string, nodes: Node[], of: (n: Node) => Record<string, string[]> | undefined): void {
    const lines = nodes.flatMap((n) => {
      if (n.connection_status !== 'ONLINE') return [` ${n.name}: NODE IS OFFLINE!`]
      const map = of(n) ?? {}
      return Object.keys(map).length ? [` ${n.name}: `, ...Object.entries(map).flatMap(([k, reasons]) => reasons.map((r) => `  ${k}: ${r}`))] : []
    })
    if (lines.length) this.log([title, ...lines].join('\n'))
  }
}
