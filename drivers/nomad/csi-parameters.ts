// linstor-csi's volume parameters (a Kubernetes StorageClass's `parameters`, a Nomad volume
// spec's `parameters {}`), parsed as linstor-csi parses them, with every problem reported at once.
//
// Spellings: parameter names in any case, bare or as `linstor.csi.linbit.com/<name>`;
// `DrbdOptions/<...>` and `property.linstor.csi.linbit.com/<LINSTOR key>` become resource group
// properties; `qos.linbit.com/{rbps,wbps,riops,wiops}` are IO limits; `csi.storage.k8s.io/fstype`
// is the filesystem (Kubernetes only: Nomad has mount_options). Other namespaces are ignored.
//
// Stricter than linstor-csi where it would go wrong later anyway: empty list entries, unknown
// placement policies, both autoPlace and placementCount with different values, nodeList next to
// a placement count, the same property given twice with different values.

import {nameProblem} from '../../src/common/names.ts'
import {CSI_DRIVER_NAME, csiDerivedResourceGroupName} from './csi-names.ts'
import {parseYaml, type YamlValue} from './csi-yaml.ts'
import {parseQuantity} from './kube-quantity.ts'

export type CsiLayer = 'DRBD' | 'STORAGE' | 'LUKS' | 'NVME' | 'CACHE' | 'WRITECACHE'
export type CsiPlacementPolicy = 'AutoPlaceTopology' | 'AutoPlace' | 'FollowTopology' | 'Manual' | 'Balanced'
export interface RemoteAccessRule {fromSame: string[]}

export const LAYERS: readonly CsiLayer[] = ['DRBD', 'STORAGE', 'LUKS', 'NVME', 'CACHE', 'WRITECACHE']
export const PLACEMENT_POLICIES: readonly CsiPlacementPolicy[] = ['AutoPlaceTopology', 'AutoPlace', 'FollowTopology', 'Manual', 'Balanced']
export const DEFAULT_DISKLESS_POOL = 'DfltDisklessStorPool'
export const LINSTOR_NODE_KEY = 'linbit.com/hostname'
/** Remote access from anywhere, and from the replica's own node only. */
export const REMOTE_ACCESS_ANYWHERE: readonly RemoteAccessRule[] = [{fromSame: []}]
export const REMOTE_ACCESS_LOCAL_ONLY: readonly RemoteAccessRule[] = [{fromSame: [LINSTOR_NODE_KEY]}]

export interface CsiParameters {
  resourceGroup: string
  /** No resourceGroup was given: the name is linstor-csi's `sc-<uuid>` for these parameters. */
  resourceGroupDerived: boolean
  /** Total replicas; 0 with manual placement (nodeList/clientList). */
  placementCount: number
  storagePools: string[]
  disklessStoragePool: string
  layerList: CsiLayer[]
  placementPolicy: CsiPlacementPolicy
  allowRemoteVolumeAccess: RemoteAccessRule[]
  nodeList: string[]
  clientList: string[]
  /** With the topology prefix (Aux/ by default) added to keys that lack it. */
  replicasOnSame: string[]
  replicasOnDifferent: string[]
  xReplicasOnDifferent: Record<string, number>
  doNotPlaceWithRegex: string
  disklessOnRemaining: boolean
  /** Parsed but unused by linstor-csi: encryption comes from a LUKS layer in layerList. */
  encryption: boolean
  fsType: string | undefined
  fsOpts: string
  mountOpts: string
  postMountXfsOpts: string
  usePvcName: boolean
  overProvision: number | undefined
  nfs: {configTemplate: string, serviceName: string, squash: string, recoveryVolumeBytes: number}
  /** Resource group properties. */
  properties: Record<string, string>
  qos: {rbps?: number, wbps?: number, riops?: number, wiops?: number}
  /** Keys linstor-csi ignores (other namespaces, and the legacy sizeKiB). */
  ignored: string[]
}

export type CsiParseResult = {ok: true, parameters: CsiParameters} | {ok: false, errors: string[]}

// The names linstor-csi knows, lower-cased, with the spelling its documentation uses.
const NAMES: Record<string, string> = Object.fromEntries([
  'allowRemoteVolumeAccess', 'autoPlace', 'clientList', 'disklessOnRemaining', 'disklessStoragePool', 'doNotPlaceWithRegex',
  'encryption', 'fsOpts', 'layerList', 'mountOpts', 'nodeList', 'placementCount', 'placementPolicy', 'replicasOnDifferent',
  'replicasOnSame', 'sizeKiB', 'storagePool', 'postMountXfsOpts', 'resourceGroup', 'usePvcName', 'overProvision',
  'xReplicasOnDifferent', 'nfsConfigTemplate', 'nfsServiceName', 'nfsSquash', 'nfsRecoveryVolumeSize',
].map((n) => [n.toLowerCase(), n]))

const PROPERTY_NAMESPACE = `property.${CSI_DRIVER_NAME}`
const QOS = ['rbps', 'wbps', 'riops', 'wiops'] as const

export function parseCsiParameters(params: Record<string, string>, options: {topologyPrefix?: string} = {}): CsiParseResult {
  const prefix = options.topologyPrefix ?? 'Aux'
  const errors: string[] = []
  const given = new Map<string, {key: string, value: string}>()
  const propertySource = new Map<string, string>()
  const p: CsiParameters = {
    resourceGroup: '', resourceGroupDerived: false, placementCount: 1, storagePools: [], disklessStoragePool: DEFAULT_DISKLESS_POOL,
    layerList: ['DRBD', 'STORAGE'], placementPolicy: 'AutoPlaceTopology', allowRemoteVolumeAccess: [], nodeList: [], clientList: [],
    replicasOnSame: [], replicasOnDifferent: [], xReplicasOnDifferent: {}, doNotPlaceWithRegex: '', disklessOnRemaining: false,
    encryption: false, fsType: undefined, fsOpts: '', mountOpts: '', postMountXfsOpts: '', usePvcName: false, overProvision: undefined,
    nfs: {configTemplate: '/etc/nfs-helper/default-config.tmpl', serviceName: 'linstor-csi-nfs', squash: 'no_root_squash',
      recoveryVolumeBytes: 300 * 1024 * 1024},
    properties: {}, qos: {}, ignored: [],
  }
  let remoteAccess: RemoteAccessRule[] | undefined

  for (const [key, value] of Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const slash = key.indexOf('/')
    const namespace = slash < 0 ? '' : key.slice(0, slash)
    const rest = slash < 0 ? key : key.slice(slash + 1)
    if (namespace === 'DrbdOptions' || namespace === PROPERTY_NAMESPACE) {
      const prop = namespace === 'DrbdOptions' ? key : rest
      if (rest === '') errors.push(`${key}: the property name is missing`)
      else if (propertySource.has(prop) && p.properties[prop] !== value) {
        errors.push(`${key}: property '${prop}' is also set by ${propertySource.get(prop)} to a different value`)
      } else {
        p.properties[prop] = value
        propertySource.set(prop, key)
      }
    } else if (namespace === 'qos.linbit.com' && (QOS as readonly string[]).includes(rest)) {
      try {
        p.qos[rest as typeof QOS[number]] = nonNegative(parseQuantity(value.trim()))
      } catch (e) {
        errors.push(`${key}: ${(e as Error).message}`)
      }
    } else if (key === 'csi.storage.k8s.io/fstype') {
      p.fsType = value
    } else if (namespace === CSI_DRIVER_NAME || namespace === '') {
      const name = NAMES[rest.toLowerCase()]
      if (name === undefined) errors.push(`unknown parameter '${key}'`)
      else {
        // autoPlace is an alias of placementCount; a prefixed and a bare spelling are the same parameter.
        const id = name === 'autoPlace' ? 'placementCount' : name
        const earlier = given.get(id)
        if (earlier && earlier.value !== value) errors.push(`${key}: '${earlier.key}' already sets this parameter to '${earlier.value}'`)
        else given.set(id, {key, value})
      }
    } else {
      p.ignored.push(key)
    }
  }

  for (const [name, {key, value}] of given) {
    const problem = (message: string): void => void errors.push(`${key}: ${message}`)
    const list = (): string[] => {
      if (value.trim() === '') problem('the list is empty')
      return value.trim() === '' ? [] : value.trim().split(/\s+/)
    }
    switch (name) {
      case 'nodeList': p.nodeList = checked(list(), 'node', problem); break
      case 'clientList': p.clientList = checked(list(), 'node', problem); break
      case 'storagePool': p.storagePools = checked(list(), 'storage pool', problem); break
      case 'disklessStoragePool': p.disklessStoragePool = checked([value], 'storage pool', problem)[0] ?? value; break
      case 'resourceGroup': p.resourceGroup = checked([value], 'resource group', problem)[0] ?? value; break
      case 'replicasOnSame': p.replicasOnSame = withPrefix(prefix, list()); break
      case 'replicasOnDifferent': p.replicasOnDifferent = withPrefix(prefix, list()); break
      case 'xReplicasOnDifferent': p.xReplicasOnDifferent = xReplicas(prefix, value, problem); break
      case 'layerList': p.layerList = layers(value, problem); break
      case 'placementCount': {
        const count = value === '' ? 1 : /^[+-]?\d+$/.test(value) ? Number(value) : NaN
        if (!Number.isInteger(count) || count < 1 || count > 2 ** 31 - 1) problem(`'${value}' is not a positive 32 bit integer`)
        else p.placementCount = count
        break
      }
      case 'doNotPlaceWithRegex':
        try {
          new RegExp(value)
          p.doNotPlaceWithRegex = value
        } catch {
          problem(`'${value}' is not a regular expression`)
        }
        break
      case 'encryption': p.encryption = goBool(value, problem); break
      case 'disklessOnRemaining': p.disklessOnRemaining = goBool(value, problem); break
      case 'usePvcName': p.usePvcName = goBool(value, problem); break
      case 'allowRemoteVolumeAccess': remoteAccess = remoteAccessPolicy(value, problem); break
      case 'placementPolicy': {
        const policy = PLACEMENT_POLICIES.find((pp) => pp.toLowerCase() === value.toLowerCase())
        if (policy) p.placementPolicy = policy
        else problem(`'${value}' is not one of ${PLACEMENT_POLICIES.join(', ')}`)
        break
      }
      case 'mountOpts': p.mountOpts = value; break
      case 'fsOpts': p.fsOpts = value; break
      case 'postMountXfsOpts': p.postMountXfsOpts = value; break
      case 'overProvision': {
        const f = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value) ? Number(value) : NaN
        if (!(f > 0) || !Number.isFinite(f)) problem(`'${value}' is not a positive number`)
        else p.overProvision = f
        break
      }
      case 'nfsConfigTemplate': p.nfs.configTemplate = value; break
      case 'nfsServiceName': p.nfs.serviceName = value; break
      case 'nfsSquash': p.nfs.squash = value; break
      case 'nfsRecoveryVolumeSize':
        try {
          p.nfs.recoveryVolumeBytes = nonNegative(parseQuantity(value))
        } catch (e) {
          problem((e as Error).message)
        }
        break
      case 'sizeKiB': p.ignored.push(key); break
    }
  }

  const manual = p.nodeList.length + p.clientList.length > 0
  if (manual) {
    const count = given.get('placementCount')
    if (count) errors.push(`${count.key}: cannot be combined with nodeList or clientList, which place the volume by hand`)
    const policy = given.get('placementPolicy')
    if (policy && p.placementPolicy !== 'Manual') {
      errors.push(`${policy.key}: nodeList and clientList need placementPolicy Manual, not '${policy.value}'`)
    }
  } else if (p.placementPolicy === 'Manual') {
    errors.push(`${given.get('placementPolicy')?.key}: placementPolicy Manual needs nodeList or clientList`)
  }
  if (errors.length > 0) return {ok: false, errors: errors.sort()}

  if (p.resourceGroup === '') {
    // linstor-csi derives the name before it clears the automatic placement for nodeList/clientList.
    p.resourceGroup = csiDerivedResourceGroupName(p)
    p.resourceGroupDerived = true
  }
  p.allowRemoteVolumeAccess = remoteAccess ??
    [...(p.layerList.includes('DRBD') || p.layerList.includes('NVME') ? REMOTE_ACCESS_ANYWHERE : REMOTE_ACCESS_LOCAL_ONLY)]
  if (manual) {
    p.placementCount = 0
    p.replicasOnSame = []
    p.replicasOnDifferent = []
    p.doNotPlaceWithRegex = ''
    p.placementPolicy = 'Manual'
  }
  return {ok: true, parameters: p}
}

/** linstor-csi's maybeAddTopologyPrefix: keys already under Aux/ stay as they are. */
export function withPrefix(prefix: string, keys: string[]): string[] {
  return keys.map((k) => (k.startsWith('Aux/') ? k : `${prefix}/${k}`))
}

function checked(names: string[], kind: 'node' | 'storage pool' | 'resource group', problem: (m: string) => void): string[] {
  for (const n of names) {
    const why = nameProblem(kind, n)
    if (why) problem(`'${n}' is not a ${kind} name (${why})`)
  }
  return names
}

/** strconv.ParseBool */
function goBool(value: string, problem: (m: string) => void): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true
  if (!['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) problem(`'${value}' is not a boolean (true or false)`)
  return false
}

/** Space-separated in linstor-csi; the LINSTOR guide also writes them comma-separated, so both work. */
function layers(value: string, problem: (m: string) => void): CsiLayer[] {
  const names = value.split(/[\s,]+/).filter((l) => l !== '')
  if (names.length === 0) problem('the list is empty')
  return names.flatMap((l) => {
    const layer = LAYERS.find((k) => k === l.toUpperCase())
    if (!layer) problem(`unknown layer '${l}' (known: ${LAYERS.map((k) => k.toLowerCase()).join(', ')})`)
    return layer ? [layer] : []
  })
}

function xReplicas(prefix: string, value: string, problem: (m: string) => void): Record<string, number> {
  const parsed = yaml(value, problem)
  if (parsed === undefined) return {}
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    problem('expected a map of node property to replica count, e.g. "zone: 2"')
    return {}
  }
  const result: Record<string, number> = {}
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1) problem(`the count for '${k}' is not a positive integer`)
    else result[withPrefix(prefix, [k])[0] as string] = Number(v)
  }
  return result
}

function remoteAccessPolicy(value: string, problem: (m: string) => void): RemoteAccessRule[] | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return [...REMOTE_ACCESS_ANYWHERE]
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return [...REMOTE_ACCESS_LOCAL_ONLY]
  const parsed = yaml(value, problem)
  if (parsed === undefined) return undefined
  const expected = 'expected true, false or a list of {fromSame: [labels]}'
  if (!Array.isArray(parsed)) return void problem(expected)
  const rules: RemoteAccessRule[] = []
  for (const rule of parsed) {
    if (rule === '' || (typeof rule === 'object' && !Array.isArray(rule) && Object.keys(rule).length === 0)) {
      rules.push({fromSame: []})
      continue
    }
    const from = typeof rule === 'object' && !Array.isArray(rule) && Object.keys(rule).length === 1 ? rule['fromSame'] : undefined
    if (from === undefined || !(Array.isArray(from) || from === '') || (Array.isArray(from) && from.some((f) => typeof f !== 'string'))) {
      return void problem(expected)
    }
    rules.push({fromSame: Array.isArray(from) ? (from as string[]) : []})
  }
  return rules
}

function yaml(value: string, problem: (m: string) => void): YamlValue | undefined {
  try {
    return parseYaml(value)
  } catch (e) {
    problem(`not valid YAML: ${(e as Error).message}`)
    return undefined
  }
}

function nonNegative(n: number): number {
  if (n < 0) throw new Error(`${n} is negative`)
  return n
}
