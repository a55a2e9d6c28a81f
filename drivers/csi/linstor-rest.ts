// The LINSTOR REST calls the CSI services make, typed, over LinstorClient. Reads of one object
// answer undefined for 404 (as linstor-csi's nil404); every failure is an ApiError or
// ConnectionError for linstor-errors.ts to turn into a gRPC status.
import {ApiError, type LinstorClient, type Query} from '../../src/api/client.ts'
import type {
  ApiCallRc, AutoPlaceRequest, Node, Resource, ResourceCreate, ResourceDefinition, ResourceDefinitionCloneRequest, ResourceDefinitionCreate,
  ResourceDefinitionModify, ResourceGroup, ResourceGroupModify, ResourceMakeAvailable, ResourceWithVolumes, Snapshot, SnapshotRestore, StoragePool,
  Volume, VolumeDefinition, VolumeDefinitionCreate, VolumeDefinitionModify,
} from '../../src/api/wire.ts'

/** A REST path with every interpolated name URL-encoded. */
const p = (parts: TemplateStringsArray, ...values: (string | number)[]): string =>
  parts.reduce((out, part, i) => out + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '')

export class LinstorRest {
  readonly client: LinstorClient

  constructor(client: LinstorClient) {
    this.client = client
  }

  private async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.client.request<T>('GET', path, undefined, query)).data
  }

  /** A GET of one object: undefined when LINSTOR answers 404. */
  private async find<T>(path: string, query?: Query): Promise<T | undefined> {
    try {
      return await this.get<T>(path, query)
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined
      throw e
    }
  }

  private send(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<ApiCallRc[]> {
    return this.client.mutate(method, path, body)
  }

  version = (): Promise<{version: string}> => this.get('/v1/controller/version')

  node = (name: string): Promise<Node | undefined> => this.find(p`/v1/nodes/${name}`)
  nodes = (query: {nodes?: string[], props?: string[]} = {}): Promise<Node[]> => this.get('/v1/nodes', query)
  storagePools = (query: {nodes?: string[], storage_pools?: string[]} = {}): Promise<StoragePool[]> => this.get('/v1/view/storage-pools', query)
  nodeStoragePools = (node: string): Promise<StoragePool[]> => this.get(p`/v1/nodes/${node}/storage-pools`)

  resourceGroup = (name: string): Promise<ResourceGroup | undefined> => this.find(p`/v1/resource-groups/${name}`)
  createResourceGroup = (body: ResourceGroup): Promise<ApiCallRc[]> => this.send('POST', '/v1/resource-groups', body)
  modifyResourceGroup = (name: string, body: ResourceGroupModify): Promise<ApiCallRc[]> => this.send('PUT', p`/v1/resource-groups/${name}`, body)
  deleteResourceGroup = (name: string): Promise<ApiCallRc[]> => this.send('DELETE', p`/v1/resource-groups/${name}`)

  resourceDefinition = (rd: string): Promise<ResourceDefinition | undefined> => this.find(p`/v1/resource-definitions/${rd}`)
  resourceDefinitions = (): Promise<ResourceDefinition[]> => this.get('/v1/resource-definitions', {with_volume_definitions: true})
  createResourceDefinition = (body: ResourceDefinitionCreate): Promise<ApiCallRc[]> => this.send('POST', '/v1/resource-definitions', body)
  modifyResourceDefinition = (rd: string, body: ResourceDefinitionModify): Promise<ApiCallRc[]> => this.send('PUT', p`/v1/resource-definitions/${rd}`, body)
  deleteResourceDefinition = (rd: string): Promise<ApiCallRc[]> => this.send('DELETE', p`/v1/resource-definitions/${rd}`)

  volumeDefinitions = (rd: string): Promise<VolumeDefinition[] | undefined> => this.find(p`/v1/resource-definitions/${rd}/volume-definitions`)
  volumeDefinition = (rd: string, nr: number): Promise<VolumeDefinition | undefined> => this.find(p`/v1/resource-definitions/${rd}/volume-definitions/${nr}`)
  createVolumeDefinition = (rd: string, body: VolumeDefinitionCreate): Promise<ApiCallRc[]> =>
    this.send('POST', p`/v1/resource-definitions/${rd}/volume-definitions`, body)
  modifyVolumeDefinition = (rd: string, nr: number, body: VolumeDefinitionModify): Promise<ApiCallRc[]> =>
    this.send('PUT', p`/v1/resource-definitions/${rd}/volume-definitions/${nr}`, body)
  deleteVolumeDefinition = (rd: string, nr: number): Promise<ApiCallRc[]> => this.send('DELETE', p`/v1/resource-definitions/${rd}/volume-definitions/${nr}`)

  resources = (rd: string): Promise<Resource[] | undefined> => this.find(p`/v1/resource-definitions/${rd}/resources`)
  resourceView = (query: {resources?: string[], nodes?: string[], storage_pools?: string[]} = {}): Promise<ResourceWithVolumes[]> =>
    this.get('/v1/view/resources', query)
  volume = (rd: string, node: string, nr: number): Promise<Volume | undefined> => this.find(p`/v1/resource-definitions/${rd}/resources/${node}/volumes/${nr}`)
  autoplace = (rd: string, body: AutoPlaceRequest): Promise<ApiCallRc[]> => this.send('POST', p`/v1/resource-definitions/${rd}/autoplace`, body)
  createResource = (rd: string, node: string, body: ResourceCreate): Promise<ApiCallRc[]> =>
    this.send('POST', p`/v1/resource-definitions/${rd}/resources/${node}`, body)
  makeAvailable = (rd: string, node: string, body: ResourceMakeAvailable): Promise<ApiCallRc[]> =>
    this.send('POST', p`/v1/resource-definitions/${rd}/resources/${node}/make-available`, body)
  deleteResource = (rd: string, node: string, keepTiebreaker: boolean): Promise<ApiCallRc[]> =>
    this.send('DELETE', `${p`/v1/resource-definitions/${rd}/resources/${node}`}?keep_tiebreaker=${keepTiebreaker}`)

  snapshotView = (): Promise<Snapshot[]> => this.get('/v1/view/snapshots')
  snapshots = (rd: string): Promise<Snapshot[] | undefined> => this.find(p`/v1/resource-definitions/${rd}/snapshots`)
  snapshot = (rd: string, snap: string): Promise<Snapshot | undefined> => this.find(p`/v1/resource-definitions/${rd}/snapshots/${snap}`)
  createSnapshots = (snapshots: {name: string, resource_name: string}[]): Promise<ApiCallRc[]> =>
    this.send('POST', '/v1/actions/snapshot/multi', {snapshots})
  deleteSnapshot = (rd: string, snap: string): Promise<ApiCallRc[]> => this.send('DELETE', p`/v1/resource-definitions/${rd}/snapshots/${snap}`)
  restoreVolumeDefinitions = (rd: string, snap: string, body: SnapshotRestore): Promise<ApiCallRc[]> =>
    this.send('POST', p`/v1/resource-definitions/${rd}/snapshot-restore-volume-definition/${snap}`, body)
  restoreResources = (rd: string, snap: string, body: SnapshotRestore): Promise<ApiCallRc[]> =>
    this.send('POST', p`/v1/resource-definitions/${rd}/snapshot-restore-resource/${snap}`, body)

  clone = (rd: string, body: ResourceDefinitionCloneRequest): Promise<ApiCallRc[]> => this.send('POST', p`/v1/resource-definitions/${rd}/clone`, body)
  cloneStatus = (rd: string, clone: string): Promise<{status: string} | undefined> => this.find(p`/v1/resource-definitions/${rd}/clone/${clone}`)
}
