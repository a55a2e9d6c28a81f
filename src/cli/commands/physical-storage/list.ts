import type {PhysicalStorage, PhysicalStorageDevice} from '../../../api/wire.ts'
import {pastableFlags} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'

/** "/dev/sdb(serial,wwn)": a device with whatever identifies it. */
const deviceText = (d: PhysicalStorageDevice): string => {
  const ids = [d.serial, d.wwn].filter(Boolean)
  return `${d.device ?? ''}${ids.length ? `(${ids.join(',')})` : ''}`
}

/** The Nodes column as linstor shows it: one line per node, "node[/dev/sdb(serial),/dev/sdc]". */
export const physicalNodesText = (nodes: PhysicalStorage['nodes']): string =>
  Object.entries(nodes ?? {}).map(([node, devices]) => `${node}[${devices.map(deviceText).join(',')}]`).join('\n')

export default class PhysicalStorageList extends BaseCommand<typeof PhysicalStorageList> {
  static override summary = 'List the unused disks of the online nodes, grouped by size and kind'
  static override description = 'A disk is listed when it is a whole disk of more than 1 GiB without partitions, '
    + 'file system or other signature, not mounted and not a DRBD device. Size is in bytes.'
  static override flags = pastableFlags

  async run(): Promise<void> {
    const groups = await this.get<PhysicalStorage[]>('/v1/physical-storage')
    this.table(groups, ['Size', 'Rotational', 'Nodes'], groups.map((g) => [
      String(g.size ?? ''), g.rotational === undefined ? '' : g.rotational ? 'True' : 'False', physicalNodesText(g.nodes),
    ]))
  }
}
