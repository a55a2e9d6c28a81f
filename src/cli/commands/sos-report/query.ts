// What `sos-report create` and `sos-report download` share: the node, resource and time flags,
// and the query they make for /v1/sos-report.
import {Flags} from '@oclif/core'
import type {Query} from '../../../api/client.ts'
import {csv} from '../../args.ts'
import {parseTimeArg} from '../../time.ts'

export const sosFlags = {
  since: Flags.string({char: 's', description: 'logs from this time on: a span back from now (1h, 3d, 1d10h) or a date, UTC (2024-05-01, "2024-05-01 13:40:00"); default: since the last boot'}),
  nodes: Flags.string({char: 'n', multiple: true, description: 'only these nodes'}),
  resources: Flags.string({char: 'r', multiple: true, description: 'only the nodes that hold one of these resources'}),
  'exclude-nodes': Flags.string({char: 'e', multiple: true, description: 'leave these nodes out'}),
  'no-controller': Flags.boolean({description: 'leave the controller\'s own part (state, settings, error reports, logs) out'}),
}

export interface SosFlagValues {since?: string, nodes?: string[], resources?: string[], 'exclude-nodes'?: string[], 'no-controller'?: boolean}

/** The REST query; throws on a time that does not parse. */
export function sosQuery(f: SosFlagValues, now: number): Query {
  return {
    nodes: csv(f.nodes), rscs: csv(f.resources), exclude: csv(f['exclude-nodes']),
    'include-ctrl': f['no-controller'] ? false : undefined,
    since: f.since === undefined ? undefined : parseTimeArg(f.since, now, 'start'),
  }
}
