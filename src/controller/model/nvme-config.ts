// The NVMe layer as one node must run it (LINSTOR's NVME layer): the diskful resource of a
// definition whose stack has NVME is the target and exports its volumes; the NVMe initiators
// (diskless in the layer) connect to it. Pure.
import {nameKey} from '../../common/names.ts'
import type {DesiredNvmeResource} from '../../protocol/messages.ts'
import {ctrlPropsOf} from './controller-props.ts'
import {satelliteInterface, type NodeRec} from './node.ts'
import {inherited} from './props.ts'
import {vlmDfnsOf, type RscDfnRec} from './resource-definition.ts'
import {isActive} from './resource-activation.ts'
import {isDiskless, rscsOf, type RscRec} from './resource.ts'
import type {ClusterState} from './state.ts'

/** LINSTOR's defaults: NVMe-oF over RDMA on the IANA port. */
const DEFAULT_TRANSPORT = 'rdma'
const DEFAULT_TRSVCID = '4420'

const hasNvme = (r: RscRec): boolean => r.layerStack.includes('NVME')

/** The target's address: the net interface `NVMe/PrefNic` names (resource, node, controller), else the satellite's. */
function targetAddress(state: ClusterState, target: RscRec): string | undefined {
  const node: NodeRec | undefined = state.nodes[nameKey(target.node)]
  if (!node) return undefined
  const pref = inherited('NVMe/PrefNic', [target.props, node.props, ctrlPropsOf(state)])
  return ((pref ? node.netIfs.find((n) => nameKey(n.name) === nameKey(pref)) : undefined) ?? satelliteInterface(node))?.address
}

/** The resource whose volumes hold the data: LINSTOR takes the first one that is not diskless. */
export function nvmeTargetOf(state: ClusterState, rd: string): RscRec | undefined {
  return rscsOf(state, rd).find((r) => hasNvme(r) && !isDiskless(r) && !r.flags.includes('DELETE'))
}

export function desiredNvmeFor(state: ClusterState, mine: readonly RscRec[]): DesiredNvmeResource[] {
  const out: DesiredNvmeResource[] = []
  for (const r of mine) {
    if (!hasNvme(r)) continue
    const rd: RscDfnRec | undefined = state.rscDfns[nameKey(r.rscDfn)]
    if (!rd) continue
    // `NVMe/TRType` and `NVMe/Port`: definition, group, controller.
    const chain = [rd.props, state.rscGrps[nameKey(rd.rscGrp)]?.props, ctrlPropsOf(state)]
    const role = isDiskless(r) ? 'initiator' : 'target'
    const target = role === 'target' ? r : nvmeTargetOf(state, rd.name)
    const address = target && targetAddress(state, target)
    out.push({
      rsc: rd.name, role, present: !r.flags.includes('DELETE') && isActive(r),
      transport: (inherited('NVMe/TRType', chain) ?? DEFAULT_TRANSPORT).toLowerCase(), trsvcid: inherited('NVMe/Port', chain) ?? DEFAULT_TRSVCID,
      ...(address ? {address} : {}),
      // A target exports the volumes it has; an initiator sees every volume of the definition.
      volumes: vlmDfnsOf(state, rd.name).filter((vd) => !vd.flags.includes('DELETE') && (role === 'initiator' || r.pools[String(vd.vlmNr)]))
        .map((vd) => vd.vlmNr),
    })
  }
  return out
}
