// The CSI plugin process: Identity plus the Controller service, the Node service, or both (as
// linstor-csi's one binary, deployed as controller and node, or as a Nomad "monolith"), served on
// the CO's endpoint. Methods of a service this process does not run answer UNIMPLEMENTED.
import {LinstorClient} from '../../src/api/client.ts'
import type {Connection} from '../../src/api/connection.ts'
import type {Logger} from '../../src/common/log.ts'
import {createRun} from '../../src/satellite/exec.ts'
import {controllerHandlers} from './controller-service.ts'
import {CSI_METHODS} from './csi-schema.ts'
import {GrpcError, routesFor, serveGrpc, type GrpcServer, type Routes, type TypedHandlers} from './grpc-server.ts'
import {identityHandlers} from './identity.ts'
import {LinstorRest} from './linstor-rest.ts'
import {createMounter} from './mounter.ts'
import {nodeHandlers} from './node-service.ts'

export type CsiMode = 'controller' | 'node' | 'all'
export const CSI_MODES: readonly CsiMode[] = ['controller', 'node', 'all']

export interface CsiPluginOptions {
  /** `unix:///path` or `tcp://host:port`. */
  endpoint: string
  /** Base URL of the LINSTOR REST API. */
  /** The controller's URL, or a whole connection (several controllers, TLS, token). */
  controller: string | Connection
  mode: CsiMode
  /** This node's LINSTOR name; required for the node service. */
  node?: string
  propertyNamespace: string
  labelByStoragePool: boolean
  version: string
  log: Logger
}

export function csiHandlers(o: CsiPluginOptions, rest: LinstorRest): TypedHandlers<typeof CSI_METHODS> {
  const controller = o.mode !== 'node'
  const node = o.mode !== 'controller'
  if (node && !o.node) throw new Error(`the node service needs --node (this node's LINSTOR name); use --mode controller to run without it`)
  return {
    ...identityHandlers({rest, version: o.version, controller}),
    ...(controller ? controllerHandlers({rest, version: `cairn-${o.version}`, propertyNamespace: o.propertyNamespace, log: o.log.child({service: 'controller'})}) : {}),
    ...(node ? nodeHandlers({rest, node: o.node as string, mounter: createMounter(createRun(o.log)), log: o.log.child({service: 'node'}),
      propertyNamespace: o.propertyNamespace, labelByStoragePool: o.labelByStoragePool}) : {}),
  }
}

/**
 * linstor-csi reads `unix://csi/csi.sock` (Nomad's usual argument) as the relative path
 * csi/csi.sock; the gRPC transport wants that spelled `unix:csi/csi.sock`.
 */
export function normaliseEndpoint(endpoint: string): string {
  return /^unix:\/\/[^/]/.test(endpoint) ? `unix:${endpoint.slice('unix://'.length)}` : endpoint
}

/** Logs every call at debug level and every refused one (with its gRPC code) at warn level. */
function logged(routes: Routes, log: Logger): Routes {
  return Object.fromEntries(Object.entries(routes).map(([method, handler]) => [method, async (request: Uint8Array, call: Parameters<typeof handler>[1]) => {
    const started = Date.now()
    try {
      const reply = await handler(request, call)
      log.debug('call', {method, ms: Date.now() - started})
      return reply
    } catch (e) {
      if (e instanceof GrpcError) log.warn('call refused', {method, code: e.code, error: e.message, ms: Date.now() - started})
      throw e
    }
  }]))
}

export async function startCsiPlugin(o: CsiPluginOptions): Promise<GrpcServer> {
  const rest = new LinstorRest(new LinstorClient(o.controller))
  const routes = logged(routesFor(CSI_METHODS, csiHandlers(o, rest)), o.log)
  return serveGrpc(normaliseEndpoint(o.endpoint), routes, {onError: (error, method) => o.log.error('call failed', {method, error})})
}
