// A CSI volume as seen in LINSTOR: one volume definition of a resource definition. Read as
// linstor-csi reads it, so that its volumes are recognised: a definition still being cloned does
// not exist yet, and the fs type comes from FileSystem/Type on the VD (or, for old volumes, the RD).
import type {Resource, ResourceDefinition, ResourceLayer, VolumeDefinition} from '../../src/api/wire.ts'
import type {VolumeId} from './volume-id.ts'

export interface CsiVolume {
  id: VolumeId
  /** Size of this volume in bytes. */
  sizeBytes: number
  resourceGroup: string
  /** Empty when no filesystem is set (block volumes, or volumes from before FileSystem/Type). */
  fsType: string
  /** The RD's Aux/* properties. */
  auxProps: Record<string, string>
  /** linstor-csi (or this plugin) finished provisioning it. */
  provisioned: boolean
}

const num = (v: number | bigint | undefined): number => Number(v ?? 0)

export function csiVolumeOf(id: VolumeId, rd: ResourceDefinition, vds: readonly VolumeDefinition[]): CsiVolume | undefined {
  if ((rd.flags ?? []).includes('CLONING')) return undefined
  const vd = vds.find((v) => (v.volume_number ?? 0) === id.volumeNumber)
  if (!vd) return undefined
  const props = rd.props ?? {}
  const auxProps = Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('Aux/')))
  return {
    id,
    sizeBytes: num(vd.size_kib) * 1024,
    resourceGroup: rd.resource_group_name ?? '',
    fsType: vd.props?.['FileSystem/Type'] || props['FileSystem/Type'] || '',
    auxProps,
    provisioned: (auxProps['Aux/csi-provisioning-completed-by'] ?? '').startsWith('linstor-csi'),
  }
}

/** Why an existing volume of the same name cannot be returned for this CreateVolume, if it cannot. */
export function createConflict(existing: CsiVolume, wanted: {requiredBytes: number, limitBytes: number, resourceGroup: string, fsType: string}): string | undefined {
  if (existing.fsType !== '' && wanted.fsType !== '' && existing.fsType !== wanted.fsType) {
    return `fs type differs: existing '${existing.fsType}', requested '${wanted.fsType}'`
  }
  // Compatible with the capacity range, as the CSI spec asks: at least required, at most the limit (0 = none).
  if (existing.sizeBytes < wanted.requiredBytes || (wanted.limitBytes > 0 && existing.sizeBytes > wanted.limitBytes)) {
    return `size differs: existing ${existing.sizeBytes} bytes, requested ${wanted.requiredBytes}..${wanted.limitBytes || 'unlimited'} bytes`
  }
  if (existing.resourceGroup !== wanted.resourceGroup) {
    return `resource group differs: existing '${existing.resourceGroup}', requested '${wanted.resourceGroup}'`
  }
  return undefined
}

/**
 * Health from the volume's resources, as linstor-csi reports it: a replica without state (its
 * satellite never reported it) or whose DRBD cannot be promoted is abnormal.
 */
export function volumeCondition(resources: readonly Resource[]): {abnormal: boolean, message: string} {
  const bad = resources.filter((r) => r.state === undefined || promotionScore(r.layer_object) === 0).map((r) => r.node_name ?? '?')
  return bad.length === 0 ? {abnormal: false, message: 'Volume healthy'} : {abnormal: true, message: `Resource with issues on node(s): ${bad.join(',')}`}
}

function promotionScore(layer: ResourceLayer | undefined): number | undefined {
  for (let l = layer; l; l = l.children?.length === 1 ? l.children[0] : undefined) {
    if (l.type === 'DRBD') return l.drbd?.promotion_score
  }
  return undefined
}
