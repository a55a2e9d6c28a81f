// The gateway's operations against the controller's REST API: LINSTOR holds everything (one
// resource definition per target, one external file with the promoter config), so any number of
// gateway servers and CLIs can work on the same cluster. Start and stop attach and detach the
// file; the satellites write or remove it on exactly the nodes of the resource.
import type {ExternalFile, ResourceDefinition, ResourceGroup, ResourceWithVolumes, VolumeDefinition} from '../src/api/wire.ts'
import {ApiError, type LinstorClient} from '../src/api/client.ts'
import type {DeploymentFacts, TargetDefinition} from './deployment-facts.ts'
import {isFileDeployed} from '../src/protocol/ext-file-path.ts'
import {gatewayFileContent, gatewayFilePath, parseGatewayFilePath, readGatewayFile, type GatewayKind} from './gateway-file.ts'
import {kernelNfsConflict, type NfsResourceConfig} from './nfs-export.ts'
import type {PromoterConfig} from './reactor-options.ts'
import {serviceIpConflicts} from './service-ip-conflicts.ts'
import {targetStatus, type ResourceStatus} from './status.ts'
import {sameTarget, TARGET_DRBD_PROPS, volumeProps, type AnyConfig, type TargetKind} from './target-kinds.ts'
import {DEFAULT_RESOURCE_TIMEOUT_NS, userVolumes, type VolumeConfig} from './volume-config.ts'

/** A refusal with the HTTP status the REST v2 API answers (400 bad input, 404 unknown, 500 failed). */
export class GatewayError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

/** A gateway file as found in the cluster. */
interface Found {path: string, kind: GatewayKind, id: string, promoter: PromoterConfig}

const enc = encodeURIComponent
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64')
const notFound = (e: unknown): boolean => e instanceof ApiError && e.status === 404
const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms))

export interface GatewayService {
  list<C extends AnyConfig>(kind: TargetKind<C>): Promise<C[]>
  get<C extends AnyConfig>(kind: TargetKind<C>, id: string): Promise<C>
  create<C extends AnyConfig>(kind: TargetKind<C>, input: Partial<C>): Promise<C>
  start<C extends AnyConfig>(kind: TargetKind<C>, id: string, timeoutMs?: number): Promise<C>
  stop<C extends AnyConfig>(kind: TargetKind<C>, id: string, timeoutMs?: number): Promise<C>
  delete<C extends AnyConfig>(kind: TargetKind<C>, id: string, timeoutMs?: number): Promise<void>
  addVolume<C extends AnyConfig>(kind: TargetKind<C>, id: string, volume: VolumeConfig): Promise<C>
  deleteVolume<C extends AnyConfig>(kind: TargetKind<C>, id: string, number: number): Promise<C>
}

export interface GatewayOptions {
  /** Polling interval while waiting for a node to take the target over (tests shorten it). */
  pollMs?: number
  /** How long the primary must stay on one node before a start counts as done. */
  settleMs?: number
  now?: () => Date
}

export function gatewayService(client: LinstorClient, opts: GatewayOptions = {}): GatewayService {
  const pollMs = opts.pollMs ?? 3000
  const settleMs = opts.settleMs ?? 6000
  const now = opts.now ?? (() => new Date())

  async function gatewayFiles(): Promise<Found[]> {
    const files = (await client.request<ExternalFile[]>('GET', '/v1/files', undefined, {content: true})).data ?? []
    const out: Found[] = []
    for (const f of files) {
      const parsed = parseGatewayFilePath(f.path ?? '')
      if (!parsed || !f.path) continue
      try {
        out.push({path: f.path, ...parsed, promoter: readGatewayFile(Buffer.from(f.content ?? '', 'base64').toString('utf8'))})
      } catch {
        // A file someone edited into something unreadable belongs to nobody; it is skipped, not fatal.
      }
    }
    return out
  }

  const rdOf = async (rsc: string): Promise<ResourceDefinition | undefined> =>
    client.request<ResourceDefinition>('GET', `/v1/resource-definitions/${enc(rsc)}`).then((r) => r.data, (e: unknown) => {
      if (notFound(e)) return undefined
      throw e
    })
  const vdsOf = async (rsc: string): Promise<VolumeDefinition[]> =>
    (await client.request<VolumeDefinition[]>('GET', `/v1/resource-definitions/${enc(rsc)}/volume-definitions`)).data ?? []
  const viewOf = async (rsc: string): Promise<ResourceWithVolumes[]> => client.resources({resources: [rsc]})

  function definitionOf(rd: ResourceDefinition, vds: VolumeDefinition[]): TargetDefinition {
    return {
      resource_group: rd.resource_group_name ?? '',
      gross_size: vds.some((v) => (v.flags ?? []).includes('GROSS_SIZE')),
      volumes: vds.map((v) => ({number: v.volume_number ?? 0, size_kib: Number(v.size_kib), file_system: v.props?.['FileSystem/Type'],
        file_system_root_owner: {User: v.props?.['FileSystem/User'] ?? '', Group: v.props?.['FileSystem/Group'] ?? ''}})),
    }
  }

  async function statusOf(rd: ResourceDefinition, path: string): Promise<ResourceStatus> {
    const rg = await client.request<ResourceGroup>('GET', `/v1/resource-groups/${enc(rd.resource_group_name ?? 'DfltRscGrp')}`).then((r) => r.data, () => undefined)
    return targetStatus({
      fileAttached: isFileDeployed(rd.props ?? {}, path),
      placeCount: rg?.select_filter?.place_count ?? 2,
      resources: (await viewOf(rd.name ?? '')).map((r) => ({node: r.node_name ?? '', inUse: r.state?.in_use ?? false,
        volumes: (r.volumes ?? []).map((v) => ({number: v.volume_number ?? 0, diskState: v.state?.disk_state ?? 'Unknown'}))})),
    })
  }

  /** The config of one found file, joined with its definition and status. */
  async function configOf<C extends AnyConfig>(kind: TargetKind<C>, f: Found): Promise<C | undefined> {
    const rsc = Object.keys(f.promoter.resources)[0] ?? f.id
    const rd = await rdOf(rsc)
    if (!rd) return undefined
    const config = kind.fromPromoter(f.promoter, definitionOf(rd, await vdsOf(rsc)))
    return {...config, status: await statusOf(rd, f.path)}
  }

  async function find<C extends AnyConfig>(kind: TargetKind<C>, id: string): Promise<{found: Found, config: C}> {
    const rsc = idFromInput(kind, id)
    const found = (await gatewayFiles()).find((f) => f.kind === kind.kind && f.id === rsc)
    const config = found ? await configOf(kind, found) : undefined
    if (!found || !config) throw new GatewayError(404, `no resource found for ${kind.noun} ${id}`)
    return {found, config}
  }

  /** The resource a user's identifier names; a malformed identifier is the caller's error. */
  function idFromInput<C extends AnyConfig>(kind: TargetKind<C>, id: string): string {
    const problem = kind.idProblem(id)
    if (problem) throw new GatewayError(400, `malformed ${kind.noun}: ${problem}`)
    return kind.resourceOfId(id)
  }

  /** Writes (or rewrites) the promoter file from the deployed definition. */
  async function writeFile<C extends AnyConfig>(kind: TargetKind<C>, config: C, previous?: PromoterConfig): Promise<string> {
    const rsc = kind.resourceOf(config)
    const rd = await rdOf(rsc)
    if (!rd) throw new GatewayError(500, `resource definition ${rsc} disappeared`)
    const vds = await vdsOf(rsc)
    const facts: DeploymentFacts = {resourceUuid: rd.uuid ?? '', volumes: vds.map((v) => ({number: v.volume_number ?? 0, uuid: v.uuid ?? ''}))}
    // Only a new config looks at the others (a new NVMe-oF target picks a free port id); they are
    // read here, just before the write, to keep two concurrent creates from picking the same one.
    const others = previous ? [] : (await gatewayFiles()).filter((f) => !(f.kind === kind.kind && f.id === rsc)).map((f) => f.promoter)
    const promoter = kind.promoter(config, facts, others, previous)
    const path = gatewayFilePath(kind.kind, rsc)
    await client.mutate('PUT', `/v1/files/${enc(path)}`, {path, content: b64(gatewayFileContent(promoter, now()))})
    return path
  }

  /** Waits until some node has the resource in use and keeps it for settleMs; the node's name. */
  async function waitStarted(rsc: string, timeoutMs: number): Promise<string> {
    const end = Date.now() + timeoutMs
    let holder = ''
    let since = 0
    while (Date.now() < end) {
      const users = (await viewOf(rsc)).filter((r) => r.state?.in_use).map((r) => r.node_name ?? '')
      if (users.length === 1 && users[0] === holder && Date.now() - since >= settleMs) return holder
      if (users.length === 1 && users[0] !== holder) {
        if (holder) throw new GatewayError(500, `resource startup failed on node ${holder}`)
        ;[holder, since] = [users[0] ?? '', Date.now()]
      }
      await sleep(pollMs)
    }
    throw new GatewayError(500, holder ? `resource startup failed on node ${holder}` : 'error waiting for resource to become used: context deadline exceeded')
  }

  async function waitStopped(rsc: string, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs
    while ((await viewOf(rsc)).some((r) => r.state?.in_use)) {
      if (Date.now() >= end) throw new GatewayError(500, `resource ${rsc} is still in use: context deadline exceeded`)
      await sleep(pollMs)
    }
  }

  const timeoutOf = (config: {resource_timeout?: number}, override?: number): number =>
    override ?? Math.round((config.resource_timeout ?? DEFAULT_RESOURCE_TIMEOUT_NS) / 1e6)

  /** Removes everything of a target; what is already gone is skipped. */
  async function teardown(rsc: string, path: string, timeoutMs: number): Promise<void> {
    await client.mutate('DELETE', `/v1/resource-definitions/${enc(rsc)}/files/${enc(path)}`).catch((e: unknown) => { if (!notFound(e)) throw e })
    await client.mutate('DELETE', `/v1/files/${enc(path)}`).catch((e: unknown) => { if (!notFound(e)) throw e })
    if (await rdOf(rsc)) {
      await waitStopped(rsc, timeoutMs)
      await client.mutate('DELETE', `/v1/resource-definitions/${enc(rsc)}`)
    }
  }

  async function requireStopped<C extends AnyConfig>(config: C, what: string): Promise<void> {
    if (config.status?.service === 'Started' || config.status?.primary) throw new GatewayError(500, `cannot ${what} while service is running`)
  }

  const service: GatewayService = {
    async list(kind) {
      const out: (typeof kind extends TargetKind<infer C> ? C : never)[] = []
      for (const f of (await gatewayFiles()).filter((x) => x.kind === kind.kind)) {
        const c = await configOf(kind, f)
        if (c) out.push(c)
      }
      return out
    },

    get: async (kind, id) => (await find(kind, id)).config,

    async create(kind, input) {
      const config = kind.defaults(input)
      const problem = kind.validate(config)
      if (problem) throw new GatewayError(400, `validation failed: ${problem}`)
      const rsc = kind.resourceOf(config)
      const path = gatewayFilePath(kind.kind, rsc)
      const all = await gatewayFiles()
      const same = all.find((f) => f.kind === kind.kind && f.id === rsc)
      const existingRd = await rdOf(rsc)
      if (same && existingRd) {
        const existing = await configOf(kind, same)
        if (existing && sameTarget(existing, {...config, status: existing.status})) return existing
        throw new GatewayError(400, 'resource already exists with incompatible config')
      }
      if (existingRd) throw new GatewayError(400, `resource definition ${rsc} already exists and is not a gateway target`)
      const others = all.filter((f) => f !== same)
      const conflicts = serviceIpConflicts(others.map((f) => f.promoter), config)
      if (conflicts.length) throw new GatewayError(400, conflicts.join('; '))
      if (kind.kind === 'nfs') {
        const nfs = kernelNfsConflict(others, config as NfsResourceConfig)
        if (nfs) throw new GatewayError(400, nfs)
      }
      try {
        await client.mutate('POST', '/v1/resource-definitions', {resource_definition: {name: rsc, resource_group_name: config.resource_group, props: TARGET_DRBD_PROPS}})
      } catch (e) {
        throw new GatewayError(400, `failed to create ${kind.kind} resource: ${(e as Error).message}`)
      }
      try {
        for (const v of config.volumes) {
          await client.mutate('POST', `/v1/resource-definitions/${enc(rsc)}/volume-definitions`,
            {volume_definition: {volume_number: v.number, size_kib: v.size_kib, props: volumeProps(v), flags: config.gross_size ? ['GROSS_SIZE'] : []}})
        }
        await client.mutate('POST', `/v1/resource-definitions/${enc(rsc)}/autoplace`, {})
        await writeFile(kind, config)
        await client.mutate('POST', `/v1/resource-definitions/${enc(rsc)}/files/${enc(path)}`)
        const timeout = timeoutOf(config)
        if (timeout > 0) await waitStarted(rsc, timeout)
      } catch (e) {
        // Nothing half-made stays behind: the file and the definition go again.
        await teardown(rsc, path, timeoutOf(config)).catch(() => undefined)
        throw new GatewayError(400, `failed to create ${kind.kind} resource: ${(e as Error).message}`)
      }
      return service.get(kind, kind.idOf(config))
    },

    async start(kind, id, timeoutMs) {
      const {found, config} = await find(kind, id)
      const rsc = idFromInput(kind, id)
      await client.mutate('POST', `/v1/resource-definitions/${enc(rsc)}/files/${enc(found.path)}`)
        .catch((e: unknown) => { throw new GatewayError(500, `failed to start target: ${(e as Error).message}`) })
      const timeout = timeoutOf(config, timeoutMs)
      if (timeout > 0) await waitStarted(rsc, timeout)
      return service.get(kind, id)
    },

    async stop(kind, id, timeoutMs) {
      const {found, config} = await find(kind, id)
      const rsc = idFromInput(kind, id)
      await client.mutate('DELETE', `/v1/resource-definitions/${enc(rsc)}/files/${enc(found.path)}`)
        .catch((e: unknown) => { throw new GatewayError(500, `failed to stop target: ${(e as Error).message}`) })
      await waitStopped(rsc, timeoutOf(config, timeoutMs))
      return service.get(kind, id)
    },

    async delete(kind, id, timeoutMs) {
      const rsc = idFromInput(kind, id)
      const path = gatewayFilePath(kind.kind, rsc)
      const found = (await gatewayFiles()).some((f) => f.kind === kind.kind && f.id === rsc)
      if (!found && !(await rdOf(rsc))) throw new GatewayError(404, `no resource found for ${kind.noun} ${id}`)
      await teardown(rsc, path, timeoutMs ?? timeoutOf({})).catch((e: unknown) => {
        throw e instanceof GatewayError ? e : new GatewayError(500, `delete failed: ${(e as Error).message}`)
      })
    },

    async addVolume(kind, id, volume) {
      if (!kind.canAddVolumes) throw new GatewayError(400, `volumes cannot be added to ${kind.kind} targets`)
      const {found, config} = await find(kind, id)
      const rsc = idFromInput(kind, id)
      const existing = config.volumes.find((v) => v.number === volume.number)
      if (existing) {
        if (existing.size_kib !== volume.size_kib) throw new GatewayError(400, `existing volume has differing size ${existing.size_kib} != ${volume.size_kib}`)
        return config
      }
      await requireStopped(config, 'add a volume')
      const next = {...config, volumes: [...config.volumes, volume]} as typeof config
      const problem = kind.validate(next)
      if (problem) throw new GatewayError(400, problem)
      await client.mutate('POST', `/v1/resource-definitions/${enc(rsc)}/volume-definitions`,
        {volume_definition: {volume_number: volume.number, size_kib: volume.size_kib, props: volumeProps(volume), flags: config.gross_size ? ['GROSS_SIZE'] : []}})
      await writeFile(kind, next, found.promoter)
      return service.get(kind, id)
    },

    async deleteVolume(kind, id, number) {
      const {found, config} = await find(kind, id)
      const rsc = idFromInput(kind, id)
      if (number === 0) throw new GatewayError(400, 'cannot delete volume 0; it is the reserved cluster-private/system volume')
      if (!config.volumes.some((v) => v.number === number)) throw new GatewayError(404, `volume ${number} does not exist on target "${id}"`)
      if (userVolumes(config.volumes).length <= 1) throw new GatewayError(400, 'cannot delete the last remaining volume; use `delete` to remove the target instead')
      await requireStopped(config, 'delete volume')
      const next = {...config, volumes: config.volumes.filter((v) => v.number !== number)} as typeof config
      await client.mutate('DELETE', `/v1/resource-definitions/${enc(rsc)}/volume-definitions/${number}`)
      await writeFile(kind, next, found.promoter)
      return service.get(kind, id)
    },
  }
  return service
}
