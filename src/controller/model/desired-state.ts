// What one satellite should have: its storage pools and the volumes of its resources. Pure.
import {nameKey} from '../../common/names.ts'
import {PROTOCOL_VERSION, type DesiredState, type DesiredVolume} from '../../protocol/messages.ts'
import {vlmDfnsOf} from './resource-definition.ts'
import type {ClusterState} from './state.ts'

export function desiredStateFor(state: ClusterState, nodeName: string): DesiredState {
  const nk = nameKey(nodeName)
  const pools = Object.values(state.storPools).filter((p) => nameKey(p.node) === nk)
    .map((p) => ({name: p.name, kind: p.kind, props: p.props}))
  const volumes: DesiredVolume[] = []
  for (const r of Object.values(state.rscs)) {
    if (nameKey(r.node) !== nk || r.flags.includes('DISKLESS')) continue
    const deleting = r.flags.includes('DELETE')
    for (const vd of vlmDfnsOf(state, r.rscDfn)) {
      const pool = r.pools[String(vd.vlmNr)]
      if (pool) volumes.push({rsc: r.rscDfn, vlmNr: vd.vlmNr, sizeKib: vd.sizeKib, pool, present: !deleting && !vd.flags.includes('DELETE')})
    }
  }
  return {protocol: PROTOCOL_VERSION, generation: state.seq, node: nodeName, pools, volumes}
}
