import {Flags} from '@oclif/core'
import type {ResourceWithVolumes, Volume} from '../../../api/wire.ts'
import {isError} from '../../../common/api-call-rc.ts'
import {nodesFilterFlag, pastableFlags, propsFilterFlag, resourcesFilterFlag, showPropsFlag} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {timestamp, withPropColumns} from '../../format.ts'
import type {Cell, Colour, Header, Row} from '../../table.ts'

/** `-n`/`-r` filters of `resource list` and `volume list`. */
export const resourceFilterFlags = {...nodesFilterFlag, ...resourcesFilterFlag}

/**
 * A volume's state as linstor's tables show it. Without DRBD on top linstor says "Created"; Cairn
 * says "Failed" when the satellite could not create the volume and "Unknown" before it reported on it.
 */
export function volumeState(v: Volume, rscFlags: readonly string[] = []): Cell {
  const prefix = v.flags?.includes('RESIZE') ? 'Resizing, ' : ''
  const disk = v.state?.disk_state
  if (v.layer_data_list?.[0]?.type !== 'DRBD') {
    if (!disk) return {text: `${prefix}Unknown`, colour: 'yellow'}
    return disk === 'Failed' ? {text: `${prefix}Failed`, colour: 'red'} : {text: `${prefix}Created`, colour: 'green'}
  }
  if (!disk) return {text: `${prefix}Unknown`, colour: 'yellow'}
  if (disk === 'DUnknown') return {text: `${prefix}Unknown`, colour: 'yellow'}
  if (disk === 'Diskless') {
    if (!rscFlags.includes('DISKLESS')) return {text: `${prefix}Diskless`, colour: 'red'}
    if (rscFlags.includes('TIE_BREAKER')) return {text: 'TieBreaker', colour: 'none'}
    return {text: `${prefix}Diskless`, colour: 'green'}
  }
  if (['Inconsistent', 'Failed', 'To: Creating', 'To: Attachable', 'To: Attaching'].includes(disk)) return {text: prefix + disk, colour: 'red'}
  if (['UpToDate', 'Created', 'Attached'].includes(disk)) return {text: prefix + disk, colour: 'green'}
  return {text: prefix + disk, colour: 'yellow'}
}

/** InUse (yellow when more than one node uses the resource) or Unused; empty before the satellite reported. */
export function usage(r: ResourceWithVolumes, all: readonly ResourceWithVolumes[]): Cell {
  if (r.state?.in_use === undefined) return {text: ''}
  if (!r.state.in_use) return {text: 'Unused'}
  const users = all.filter((x) => x.name === r.name && x.state?.in_use).length
  return {text: 'InUse', colour: users > 1 ? 'yellow' : 'green'}
}

/** linstor's "no colour override": the column's own green, or none. */
const healthy = (c: Cell): boolean => c.colour === 'green' || c.colour === 'none'

/** The resource's state column and whether its DRBD connections are all up ("Ok") or which failed. */
export function resourceState(r: ResourceWithVolumes): {state: Cell, conns: Cell} {
  const flags = r.flags ?? []
  let state: Cell = {text: 'Unknown', colour: 'yellow'}
  if (flags.includes('DELETE') || flags.includes('DRBD_DELETE')) state = {text: 'DELETING', colour: 'red'}
  else if (flags.includes('INACTIVE')) state = {text: 'INACTIVE', colour: 'yellow'}
  else if (r.state) {
    for (const v of r.volumes ?? []) {
      state = volumeState(v, flags)
      if (flags.includes('EVACUATE')) state = {...state, text: `${state.text}, Evacuating`}
      if (!healthy(state)) break
    }
  }
  if (state.text === 'Unknown') return {state, conns: {text: ''}}
  const failed = new Map<string, string[]>()
  for (const [peer, c] of Object.entries(r.layer_object?.drbd?.connections ?? {})) {
    if (!c.connected) failed.set(c.message ?? 'Unknown', [...failed.get(c.message ?? 'Unknown') ?? [], peer])
  }
  if (!failed.size) return {state, conns: {text: 'Ok'}}
  return {state: {...state, colour: 'red'}, conns: {text: [...failed].map(([m, peers]) => `${m}(${peers.join(',')})`).join(','), colour: 'red'}}
}

export function layerNames(l?: ResourceWithVolumes['layer_object']): string[] {
  return l?.type ? [l.type, ...layerNames(l.children?.[0])] : []
}

export default class ResourceList extends BaseCommand<typeof ResourceList> {
  static override summary = 'List resources (a resource definition deployed on a node)'
  static override flags = {
    ...pastableFlags, ...resourceFilterFlags, ...propsFilterFlag, ...showPropsFlag('s'),
    all: Flags.boolean({char: 'a', description: 'show all resources'}),
    faulty: Flags.boolean({description: 'only show faulty resources'}),
    'show-drbd-ports': Flags.boolean({description: "show the 'DRBD Ports' column"}),
  }

  async run(): Promise<void> {
    const all = await this.get<ResourceWithVolumes[]>('/v1/view/resources',
      {nodes: this.flags.nodes, resources: this.flags.resources, props: this.flags.props})
    const shown = this.flags.faulty ? all.filter((r) => faulty(resourceState(r))) : all
    const {headers, rows} = resourceTable(shown, all, {ports: this.flags['show-drbd-ports'], showProps: this.flags['show-props']})
    this.table(shown, headers, rows)
  }
}

const faulty = ({state, conns}: {state: Cell, conns: Cell}): boolean => !healthy(state) || (conns.text !== 'Ok' && conns.text !== '')

/** linstor's resource table of `shown`, out of `all` the resources listed (which the Usage column looks at). */
export function resourceTable(shown: readonly ResourceWithVolumes[], all: readonly ResourceWithVolumes[],
  opts: {ports?: boolean, showProps?: readonly string[]} = {}): {headers: Header[], rows: Row[]} {
  const ports = opts.ports === true
  return withPropColumns(
    ['ResourceName', 'Node', ...(ports ? ['DRBD Ports'] : []), 'Layers', 'Usage', 'Conns', {name: 'State', right: true}, 'CreatedOn'],
    shown.map((r) => {
      const {state, conns} = resourceState(r)
      return [r.name ?? '', r.node_name ?? '', ...(ports ? [(r.layer_object?.drbd?.tcp_ports ?? []).join(', ')] : []),
        [...new Set(layerNames(r.layer_object))].join(','), usage(r, all), conns, state, timestamp(r.create_timestamp)]
    }), shown.map((r) => r.props), opts.showProps)
}

/** A volume's replication to its peers: "Established(2)" when all are, else one line per peer. */
export function replicationCell(v: Volume): Cell {
  const states = Object.entries(v.state?.replication_states ?? {})
  if (!states.length) return {text: ''}
  if (states.every(([, s]) => s.replication_state === 'Established')) return {text: `Established(${states.length})`, colour: 'green'}
  const colour: Colour = states.some(([, s]) => s.replication_state === 'VerifyT') ? 'none' : 'yellow'
  return {colour, text: states.map(([peer, s]) => {
    const pct = s.done_percentage === undefined ? '?' : `${s.done_percentage.toFixed(2)}%`
    return ['SyncTarget', 'PausedSyncS', 'PausedSyncT', 'VerifyT'].includes(s.replication_state ?? '')
      ? `${peer}: ${s.replication_state}(${pct})` : `${peer}: ${s.replication_state}`
  }).join('\n')}
}

export const hasErrors = (v: Volume): boolean => (v.reports ?? []).some((x) => isError(x.ret_code))
