// The string maps that carry a volume's node-side settings from CreateVolume to the node (volume
// context) and the attachment from ControllerPublish to the node (publish context), with the keys
// linstor-csi uses, so volumes provisioned by either plugin mount the same way. Volumes older
// than the volume context keep their parameters in the RD property Aux/csi-volume-annotations.
import {CSI_DRIVER_NAME} from '../nomad/csi-names.ts'
import {REMOTE_ACCESS_ANYWHERE, REMOTE_ACCESS_LOCAL_ONLY, type CsiParameters, type RemoteAccessRule} from '../nomad/csi-parameters.ts'

export const VOLUME_CONTEXT_MARKER = `${CSI_DRIVER_NAME}/uses-volume-context`
export const MOUNT_OPTIONS = `${CSI_DRIVER_NAME}/mount-options`
export const POST_MOUNT_XFS_OPTS = `${CSI_DRIVER_NAME}/post-mount-xfs-opts`
export const REMOTE_ACCESS_POLICY = `${CSI_DRIVER_NAME}/remote-access-policy`

export const PUBLISH_CONTEXT_MARKER = `${CSI_DRIVER_NAME}/uses-publish-context`
export const DEVICE_PATH = `${CSI_DRIVER_NAME}/device-path`
export const FS_TYPE = `${CSI_DRIVER_NAME}/fs-type`

export const LEGACY_PARAMETERS_PROP = 'Aux/csi-volume-annotations'
export const PROVISIONED_BY_PROP = 'Aux/csi-provisioning-completed-by'
const QOS_PREFIX = 'qos.linbit.com/'

export interface VolumeContext {
  mountOptions: string[]
  postMountXfsOpts: string
}

const sameRules = (a: readonly RemoteAccessRule[], b: readonly RemoteAccessRule[]): boolean =>
  a.length === b.length && a.every((r, i) => r.fromSame.join('\0') === b[i]?.fromSame.join('\0'))

/** linstor-csi writes the two common policies as booleans, any other as YAML. */
export function remoteAccessPolicyText(policy: readonly RemoteAccessRule[]): string {
  if (sameRules(policy, REMOTE_ACCESS_ANYWHERE)) return 'true'
  if (sameRules(policy, REMOTE_ACCESS_LOCAL_ONLY)) return 'false'
  return policy.map((r) => (r.fromSame.length === 0 ? '- {}\n' : `- fromSame:\n${r.fromSame.map((k) => `    - ${k}\n`).join('')}`)).join('')
}

const splitOptions = (text: string): string[] => (text === '' ? [] : text.split(','))

export function volumeContextFor(p: Pick<CsiParameters, 'mountOpts' | 'postMountXfsOpts' | 'allowRemoteVolumeAccess'>): Record<string, string> {
  return {
    [VOLUME_CONTEXT_MARKER]: 'true',
    [MOUNT_OPTIONS]: splitOptions(p.mountOpts).join(','),
    [POST_MOUNT_XFS_OPTS]: p.postMountXfsOpts,
    [REMOTE_ACCESS_POLICY]: remoteAccessPolicyText(p.allowRemoteVolumeAccess),
  }
}

/** The node-side settings, or undefined when the map is not a volume context (older volumes). */
export function readVolumeContext(context: Readonly<Record<string, string>>): VolumeContext | undefined {
  if (!(VOLUME_CONTEXT_MARKER in context)) return undefined
  return {mountOptions: splitOptions(context[MOUNT_OPTIONS] ?? ''), postMountXfsOpts: context[POST_MOUNT_XFS_OPTS] ?? ''}
}

/** The parameters an old linstor-csi stored on the RD as `{"parameters": {...}}`, if any. */
export function legacyParameters(rdProps: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const raw = rdProps[LEGACY_PARAMETERS_PROP]
  if (raw === undefined) return undefined
  let decoded: unknown
  try {
    decoded = JSON.parse(raw)
  } catch {
    return undefined
  }
  const params = (decoded as {parameters?: unknown} | null)?.parameters
  if (typeof params !== 'object' || params === null) return {}
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string'))
}

export interface PublishContext {
  devicePath: string
  /** Empty for block volumes. */
  fsType: string
}

/**
 * What the node needs to use the attachment. IO limits (RD props Aux/qos.linbit.com/*) go along
 * with the device they apply to, for the nri-volume-qos plugin.
 */
export function publishContextFor(publish: PublishContext, rdProps: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = {[PUBLISH_CONTEXT_MARKER]: 'true', [DEVICE_PATH]: publish.devicePath, [FS_TYPE]: publish.fsType}
  const qos = Object.entries(rdProps).filter(([k]) => k.startsWith(`Aux/${QOS_PREFIX}`))
  if (qos.length > 0) {
    out[`${QOS_PREFIX}device`] = publish.devicePath
    for (const [k, v] of qos) out[k.slice('Aux/'.length)] = v
  }
  return out
}

export function readPublishContext(context: Readonly<Record<string, string>>): PublishContext | undefined {
  if (!(PUBLISH_CONTEXT_MARKER in context)) return undefined
  return {devicePath: context[DEVICE_PATH] ?? '', fsType: context[FS_TYPE] ?? ''}
}

/** The RD properties linstor-csi sets once a volume is fully provisioned (plus IO limits). */
export function provisionedProps(version: string, qos: Readonly<Record<string, number | undefined>>, pvc?: {name: string, namespace: string}): Record<string, string> {
  const props: Record<string, string> = {[PROVISIONED_BY_PROP]: `linstor-csi/${version}`}
  if (pvc) {
    props['Aux/csi.storage.k8s.io/pvc/name'] = pvc.name
    props['Aux/csi.storage.k8s.io/pvc/namespace'] = pvc.namespace
  }
  for (const [k, v] of Object.entries(qos)) if (v !== undefined && v > 0) props[`Aux/${QOS_PREFIX}${k}`] = String(v)
  return props
}
