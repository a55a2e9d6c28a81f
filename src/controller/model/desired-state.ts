// What one satellite should have: its storage pools and the volumes of its resources. Pure.
import {PROTOCOL_VERSION, type DesiredState, type DesiredVolume} from '../../protocol/messages.ts'
import {vlmDfnsOf} from './resource-definition.ts'
import type {ClusterState} from './state.ts'
import {poolsOnNode, rscsOnNode} from './state-index.ts'

export function desiredStateFor(state: ClusterState, nodeName: string): DesiredState {
  const pools = poolsOnNode(state, nodeName)
    .map((p) => ({name: p.name, kind: p.kind, props: p.props}))
  const volumes: DesiredVolume[] = []
  for (const r of rscsOnNode(state, nodeName)) {
    if (r.flags.includes('DISKLESS')) continue
    const deleting = r.flags.includes('DELETE')
    for (const vd of vlmDfnsOf(state, r.rscDfn)) {
      const pool = r.pools[String(vd.vlmNr)]
      if (pool) volumes.push({rsc: r.rscDfn, vlmNr: vd.vlmNr, sizeKib: vd.sizeKib, pool, present: !deleting && !vd.flags.includes('DELETE')})
    }
  }
  return {protocol: PROTOCOL_VERSION, generation: state.seq, node: nodeName, pools, volumes}
}
