// `resource involved <node>`: every replica of the resources that have one on a node, in `resource
// list`'s table: what work on that node touches. The filters are the linstor client's.
import {Flags} from '@oclif/core'
import type {ResourceWithVolumes} from '../../../api/wire.ts'
import {arg, pastableFlags, showPropsFlag} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {resourceTable} from './list.ts'

export interface InvolvedFilter {inUse?: boolean, disklessInUse?: boolean, minDiskful?: number}

const isDiskless = (r: ResourceWithVolumes): boolean => r.flags?.includes('DISKLESS') === true
const inUse = (r: ResourceWithVolumes): boolean => r.state?.in_use === true

/** The replicas of the resources with one on `node` whose replicas together pass the filter. Pure. */
export function involvedResources(all: readonly ResourceWithVolumes[], node: string, f: InvolvedFilter = {}): ResourceWithVolumes[] {
  const kept = new Set([...Map.groupBy(all, (r) => r.name ?? '')].filter(([, rs]) =>
    rs.some((r) => r.node_name?.toLowerCase() === node.toLowerCase())
    && (!f.inUse || rs.some(inUse))
    && (!f.disklessInUse || rs.some((r) => isDiskless(r) && inUse(r)))
    && (f.minDiskful === undefined || rs.filter((r) => !isDiskless(r)).length < f.minDiskful)).map(([name]) => name))
  return all.filter((r) => kept.has(r.name ?? ''))
}

export default class ResourceInvolved extends BaseCommand<typeof ResourceInvolved> {
  static override summary = 'List every replica of the resources that have one on a node'
  static override args = {node: arg('node whose resources to list')}
  static override flags = {
    ...pastableFlags, ...showPropsFlag('s'),
    inuse: Flags.boolean({char: 'i', description: 'only resources in use on some node'}),
    'diskless-inuse': Flags.boolean({char: 'd', description: 'only resources in use on a diskless replica'}),
    // No -m: that is --machine-readable here.
    'min-diskful': Flags.integer({min: 0, description: 'only resources with fewer diskful replicas than this'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    const all = await this.get<ResourceWithVolumes[]>('/v1/view/resources')
    const shown = involvedResources(all, this.args.node, {inUse: f.inuse, disklessInUse: f['diskless-inuse'], minDiskful: f['min-diskful']})
    const {headers, rows} = resourceTable(shown, all, {showProps: f['show-props']})
    this.table(shown, headers, rows)
  }
}
