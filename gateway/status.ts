// The status a gateway target reports, computed like upstream from LINSTOR's view of the resource:
// which node has it in use, the disk states per volume, and whether the promoter file is attached.

export type ResourceState = 'OK' | 'Degraded' | 'Bad' | 'Unknown'
export type ServiceState = 'Started' | 'Stopped'

export interface VolumeState {
  number: number
  state: ResourceState
}

export interface ResourceStatus {
  state: ResourceState
  service: ServiceState
  primary: string
  nodes: string[]
  volumes: VolumeState[]
}

/** One node's resource as the resource view shows it. */
export interface DeployedResourceState {
  node: string
  inUse: boolean
  volumes: readonly {number: number, diskState: string}[]
}

export interface StatusFacts {
  /** The promoter file is attached to the resource definition (the definition's files<path> property, src/protocol/ext-file-path.ts). */
  fileAttached: boolean
  /** The resource group's place count: how many diskful replicas "OK" needs. */
  placeCount: number
  resources: readonly DeployedResourceState[]
}

// Worse states win when volumes are combined.
const SEVERITY: Record<ResourceState, number> = {Unknown: 0, OK: 1, Degraded: 2, Bad: 3}

/**
 * A volume is OK when every replica is UpToDate or Diskless and there are at least placeCount
 * UpToDate ones; Degraded when some replica is still usable; otherwise Bad.
 */
function volumeState(diskStates: readonly string[], placeCount: number): ResourceState {
  const upToDate = diskStates.filter((s) => s === 'UpToDate').length
  const usable = diskStates.filter((s) => s === 'UpToDate' || s === 'Diskless').length
  if (usable > 0 && usable === diskStates.length && upToDate >= placeCount) return 'OK'
  return usable > 0 ? 'Degraded' : 'Bad'
}

export function targetStatus(facts: StatusFacts): ResourceStatus {
  const primary = facts.resources.filter((r) => r.inUse).map((r) => r.node).at(-1) ?? ''
  const byNumber = new Map<number, string[]>()
  for (const r of facts.resources) {
    for (const v of r.volumes) byNumber.set(v.number, [...(byNumber.get(v.number) ?? []), v.diskState])
  }
  const volumes = [...byNumber.entries()]
    .sort(([a], [b]) => a - b)
    .map(([number, states]) => ({number, state: volumeState(states, facts.placeCount)}))
  const state = volumes.reduce<ResourceState>((worst, v) => (SEVERITY[v.state] > SEVERITY[worst] ? v.state : worst), 'Unknown')
  return {
    state,
    service: facts.fileAttached && primary !== '' ? 'Started' : 'Stopped',
    primary,
    nodes: facts.resources.map((r) => r.node),
    volumes,
  }
}
