// What one satellite should have: its storage pools and the volumes of its resources. Pure.
import {nameKey} from '../../common/names.ts'
import {PROTOCOL_VERSION, type DesiredLuksVolume, type DesiredSnapshot, type DesiredState, type DesiredVolume} from '../../protocol/messages.ts'
import {desiredDrbdFor, drbdMetaKib} from './drbd-config.ts'
import {desiredExtFilesFor} from './external-file.ts'
import {LUKS2_HEADER_KIB, luksKeyOf} from './luks-keys.ts'
import {desiredNvmeFor} from './nvme-config.ts'
import {inherited, type Props} from './props.ts'
import {vlmDfnsOf} from './resource-definition.ts'
import {key2, type ClusterState} from './state.ts'
import {poolsOnNode, rscsOfDfn, rscsOnNode, snapsOfDfn, snapsOnNode} from './state-index.ts'
import {DISK_REMOVING, holdsDisk} from './toggle-disk.ts'
import {findRemote, s3TargetOf} from './remote.ts'
import {openerFor} from './remote-secret.ts'
import {desiredTransfersFor, isBeingReceived, type TransferSecrets} from './shipment.ts'

/**
 * `masterKey` (while unlocked) opens the LUKS keys of the node's encrypted volumes. With `only`
 * (keys of resource definitions), the per-resource lists hold those definitions' items alone:
 * the part of a delta (rsc-delta.ts) the controller found changed.
 */
export function desiredStateFor(state: ClusterState, nodeName: string, masterKey?: Buffer, only?: ReadonlySet<string>): DesiredState {
  const pools = poolsOnNode(state, nodeName)
    .map((p) => ({name: p.name, kind: p.kind, props: p.props}))
  const volumes: DesiredVolume[] = []
  const luks: DesiredLuksVolume[] = []
  const here = <T extends {node: string}>(xs: T[]): T[] => xs.filter((x) => nameKey(x.node) === nameKey(nodeName))
  const mine = only ? [...only].flatMap((rd) => here(rscsOfDfn(state, rd))) : rscsOnNode(state, nodeName)
  // The definitions of a group share its and its volume groups' properties: looked up once per group and volume.
  const groupProps = new Map<string, Map<number, (Props | undefined)[]>>()
  const groupPropsOf = (rg: string, vlmNr: number): (Props | undefined)[] => {
    let byNr = groupProps.get(rg)
    if (!byNr) groupProps.set(rg, (byNr = new Map()))
    let props = byNr.get(vlmNr)
    if (!props) byNr.set(vlmNr, (props = [state.vlmGrps[key2(rg, vlmNr)]?.props, state.rscGrps[nameKey(rg)]?.props]))
    return props
  }
  for (const r of mine) {
    // A replica giving up its disk (toggle-disk) keeps its volumes until DRBD has let go of them.
    if (!holdsDisk(r)) continue
    const deleting = r.flags.includes('DELETE') || r.flags.includes(DISK_REMOVING)
    const rd = state.rscDfns[nameKey(r.rscDfn)]
    // Under DRBD the backing volume also holds DRBD's metadata.
    const peerSlots = r.layerStack.includes('DRBD') ? rd?.drbd?.peerSlots : undefined
    // Under LUKS the storage volume also holds the LUKS2 header.
    const luksKib = r.layerStack.includes('LUKS') ? LUKS2_HEADER_KIB : 0
    for (const vd of vlmDfnsOf(state, r.rscDfn)) {
      const pool = r.pools[String(vd.vlmNr)]
      if (pool) {
        const sizeKib = (peerSlots === undefined ? vd.sizeKib : vd.sizeKib + drbdMetaKib(vd.sizeKib, peerSlots)) + luksKib
        const v: DesiredVolume = {rsc: r.rscDfn, vlmNr: vd.vlmNr, sizeKib, pool, present: !deleting && !vd.flags.includes('DELETE')}
        const crypt: DesiredLuksVolume | undefined = luksKib ? {rsc: r.rscDfn, vlmNr: vd.vlmNr, present: v.present} : undefined
        if (crypt?.present) {
          const key = luksKeyOf(vd, masterKey)
          if (key !== undefined) crypt.key = key
        }
        if (r.restoreFrom) v.source = r.restoreFrom.snap ? {rsc: r.restoreFrom.rscDfn, snap: r.restoreFrom.snap} : {rsc: r.restoreFrom.rscDfn}
        else if (peerSlots === undefined) {
          const [vgProps, rgProps] = groupPropsOf(rd?.rscGrp ?? '', vd.vlmNr)
          const chain = [vd.props, vgProps, rd?.props, rgProps]
          const type = inherited('FileSystem/Type', chain)
          // With LUKS the file system goes on the opened device, not on the ciphertext below it.
          if (type) (crypt ?? v).filesystem = {type, mkfsParams: inherited('FileSystem/MkfsParams', chain)}
        }
        if (r.rollbackTo) v.rollbackTo = r.rollbackTo
        volumes.push(v)
        if (crypt) luks.push(crypt)
      }
    }
  }
  const snapshots: DesiredSnapshot[] = []
  for (const s of only ? [...only].flatMap((rd) => here(snapsOfDfn(state, rd))) : snapsOnNode(state, nodeName)) {
    if (isBeingReceived(s)) continue
    const dfn = state.snapDfns[key2(s.rscDfn, s.snap)]
    for (const v of dfn?.vlms ?? []) {
      const pool = s.pools[String(v.vlmNr)]
      if (pool) snapshots.push({rsc: s.rscDfn, snap: s.snap, vlmNr: v.vlmNr, pool, present: !s.flags.includes('DELETE')})
    }
  }
  const files = desiredExtFilesFor(state, nodeName)
  const transfers = desiredTransfersFor(state, nodeName, transferSecrets(state, masterKey))
  const nvme = desiredNvmeFor(state, mine)
  return {protocol: PROTOCOL_VERSION, generation: state.seq, node: nodeName, pools, volumes, snapshots, drbd: desiredDrbdFor(state, nodeName, mine),
    ...(files.length ? {files} : {}), ...(luks.length ? {luks} : {}), ...(transfers.length ? {transfers} : {}), ...(nvme.length ? {nvme} : {})}
}

/** S3 remotes' keys, opened with the master key; none while the controller is locked. */
function transferSecrets(state: ClusterState, masterKey: Buffer | undefined): TransferSecrets {
  return {
    s3: (name) => {
      const r = findRemote(state, name)
      if (r?.kind !== 's3' || !masterKey) return undefined
      try {
        return s3TargetOf(r, openerFor(() => masterKey))
      } catch {
        return undefined
      }
    },
  }
}
