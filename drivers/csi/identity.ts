// The CSI Identity service: the plugin's name (linstor-csi's, so existing StorageClasses and Nomad
// jobs keep working), its capabilities, and a probe that is healthy while the LINSTOR controller
// answers.
import {CSI_DRIVER_NAME} from '../nomad/csi-names.ts'
import {PluginServiceType, VolumeExpansionType, type CSI_METHODS} from './csi-schema.ts'
import type {TypedHandlers} from './grpc-server.ts'
import {grpcErrorFor} from './linstor-errors.ts'
import type {LinstorRest} from './linstor-rest.ts'

export const PLUGIN_NAME = CSI_DRIVER_NAME

export interface IdentityDeps {
  rest: LinstorRest
  /** Cairn's version. */
  version: string
  /** Whether this process serves the Controller service. */
  controller: boolean
}

export function identityHandlers(deps: IdentityDeps): TypedHandlers<typeof CSI_METHODS> {
  return {
    '/csi.v1.Identity/GetPluginInfo': () => ({name: PLUGIN_NAME, vendorVersion: deps.version}),
    '/csi.v1.Identity/GetPluginCapabilities': () => ({capabilities: [
      ...(deps.controller ? [{service: {type: PluginServiceType.CONTROLLER_SERVICE}}] : []),
      {service: {type: PluginServiceType.VOLUME_ACCESSIBILITY_CONSTRAINTS}},
      {volumeExpansion: {type: VolumeExpansionType.ONLINE}},
    ]}),
    '/csi.v1.Identity/Probe': async () => {
      try {
        await deps.rest.version()
      } catch (e) {
        throw grpcErrorFor(e, 'probe')
      }
      return {ready: {value: true}}
    },
  }
}
