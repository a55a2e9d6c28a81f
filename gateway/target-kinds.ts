// The three kinds of gateway target behind one shape, so that create, list, start, stop, delete
// and the volume commands are written once. Pure: each kind's own module does the work.
import type {DeploymentFacts, TargetDefinition} from './deployment-facts.ts'
import type {GatewayKind} from './gateway-file.ts'
import {parseTargetIqn, targetIqnProblem} from './iqn.ts'
import {iscsiDefaults, iscsiFromPromoter, iscsiPromoter, validateIscsiConfig, type IscsiResourceConfig} from './iscsi-target.ts'
import {nfsDefaults, nfsFromPromoter, nfsPromoter, validateNfsConfig, type NfsResourceConfig} from './nfs-export.ts'
import {nqnProblem, parseNqn} from './nqn.ts'
import {targetNameProblem} from './target-name.ts'
import {freeNvmetPortId, nvmeDefaults, nvmeFromPromoter, nvmePromoter, nvmetPortIdOf, validateNvmeConfig, type NvmeOfResourceConfig} from './nvme-target.ts'
import type {PromoterConfig} from './reactor-options.ts'
import type {VolumeConfig} from './volume-config.ts'

export type AnyConfig = IscsiResourceConfig | NfsResourceConfig | NvmeOfResourceConfig

export interface TargetKind<C extends AnyConfig> {
  kind: GatewayKind
  /** How users name a target of this kind (IQN, name, NQN); used in messages. */
  noun: string
  defaults(input: Partial<C>): C
  validate(config: C): string | undefined
  /** The user's identifier (IQN, NFS name, NQN). */
  idOf(config: C): string
  /** Why a user's identifier is malformed, or undefined. */
  idProblem(id: string): string | undefined
  /** The resource name for a (well-formed) identifier. */
  resourceOfId(id: string): string
  /** The LINSTOR resource definition (and DRBD resource) name. */
  resourceOf(config: C): string
  /** `others` are the promoter configs of the cluster's other targets (NVMe-oF picks its port id from them). */
  promoter(config: C, facts: DeploymentFacts, others: readonly PromoterConfig[], previous?: PromoterConfig): PromoterConfig
  fromPromoter(promoter: PromoterConfig, definition?: TargetDefinition): C
  /** Volumes may be added to a stopped target (NFS cannot: LINSTOR does not format a volume added later). */
  canAddVolumes: boolean
}

export const iscsiKind: TargetKind<IscsiResourceConfig> = {
  kind: 'iscsi', noun: 'iqn', canAddVolumes: true,
  defaults: iscsiDefaults, validate: validateIscsiConfig,
  idOf: (c) => c.iqn, resourceOf: (c) => parseTargetIqn(c.iqn).unique,
  idProblem: targetIqnProblem, resourceOfId: (id) => parseTargetIqn(id).unique,
  promoter: (c, facts) => iscsiPromoter(c, facts),
  fromPromoter: iscsiFromPromoter,
}

export const nfsKind: TargetKind<NfsResourceConfig> = {
  kind: 'nfs', noun: 'name', canAddVolumes: false,
  defaults: nfsDefaults, validate: validateNfsConfig,
  idOf: (c) => c.name, resourceOf: (c) => c.name,
  idProblem: (id) => { const p = targetNameProblem(id); return p && `invalid NFS name '${id}': ${p}` }, resourceOfId: (id) => id,
  promoter: (c, facts) => nfsPromoter(c, facts),
  fromPromoter: nfsFromPromoter,
}

export const nvmeKind: TargetKind<NvmeOfResourceConfig> = {
  kind: 'nvmeof', noun: 'nqn', canAddVolumes: true,
  defaults: nvmeDefaults, validate: validateNvmeConfig,
  idOf: (c) => c.nqn, resourceOf: (c) => parseNqn(c.nqn).subsystem,
  idProblem: nqnProblem, resourceOfId: (id) => parseNqn(id).subsystem,
  // A target keeps its port id when its config is rewritten; a new one takes a free id.
  promoter: (c, facts, others, previous) =>
    nvmePromoter(c, {...facts, portId: previous ? nvmetPortIdOf(previous) : freeNvmetPortId(others.filter(isNvmePromoter))}),
  fromPromoter: nvmeFromPromoter,
}

function isNvmePromoter(p: PromoterConfig): boolean {
  return Object.values(p.resources).some((o) => (o.start ?? []).some((s) => s.startsWith('ocf:heartbeat:nvmet-subsystem ')))
}

/** The resource-definition properties every target gets: drbd-reactor decides who is primary. */
export const TARGET_DRBD_PROPS: Readonly<Record<string, string>> = {
  'DrbdOptions/Resource/auto-promote': 'no',
  'DrbdOptions/Resource/quorum': 'majority',
  'DrbdOptions/Resource/on-no-quorum': 'io-error',
  'DrbdOptions/Resource/on-suspended-primary-outdated': 'force-secondary',
}

/** Volume-definition properties: LINSTOR makes the file system (and its root's owner) for volumes that have one. */
export function volumeProps(v: VolumeConfig): Record<string, string> {
  if (!v.file_system) return {}
  const owner = v.file_system_root_owner
  return {'FileSystem/Type': v.file_system, ...(owner.User ? {'FileSystem/User': owner.User} : {}), ...(owner.Group ? {'FileSystem/Group': owner.Group} : {})}
}

/** Two configs describe the same target (a repeated create is then answered with the existing one). */
export function sameTarget<C extends AnyConfig>(a: C, b: C): boolean {
  return canonical({...a, status: undefined, resource_timeout: undefined}) === canonical({...b, status: undefined, resource_timeout: undefined})
}

/** JSON with sorted keys and without undefined members, so that key order does not matter. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object') {
    return `{${Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`
  }
  return JSON.stringify(v)
}
