// The NVMe layer on a satellite (LINSTOR's NVME layer). On each sync, unwanted targets leave
// nvmet and unwanted initiators disconnect before the volumes below them change; then targets
// export what lies below them (LUKS or storage) and initiators connect and find their devices.
// Anything named LS-NVMe_* that the desired state does not mention is taken down too, so nothing
// outlives a resource the controller forgot.
import {access, mkdir, readdir, readFile, rmdir, symlink, unlink, writeFile} from 'node:fs/promises'
import type {DesiredNvmeResource, NvmeReport, SatelliteReport} from '../../protocol/messages.ts'
import {ExecError, hasCommand, type Run} from '../exec.ts'
import {upperDevice} from '../luks/luks-layer.ts'
import {connectArgs, disconnectArgs, discoverArgs, hostModule, initiatorProblems, isEmptyTopology, listArgs, parseDiscovery, parseList,
  type ConnectedSubsystem, type NvmeConnection} from './nvme-cli.ts'
import {type ConfigfsChange, exportChanges, namespaceId, NQN_PREFIX, NVMET_ROOT, type NvmeHostFacts, type NvmetPort, type NvmetSubsystem,
  type NvmetTree, parseDevicePath, subsystemNqn, targetProblems, unexportChanges} from './nvmet.ts'

export interface NvmeCapability {target: string[], initiator: string[]}

export interface NvmeLayerDeps {
  run: Run
  recordError: (module: string, message: string) => number
  /** Resources never taken down for merely being unknown (see DrbdLayerDeps.keep). */
  keep?: RegExp
  /** Where configfs shows nvmet, and sysfs the NVMe controllers; tests point them elsewhere. */
  nvmetRoot?: string
  nvmeClass?: string
  /** How long a new connection may take to show its namespaces. */
  settleMs?: number
}

export interface NvmeLayer {
  readonly capability: NvmeCapability
  /** Before storage changes: targets and connections no longer wanted go. */
  down(desired: readonly DesiredNvmeResource[]): Promise<void>
  /** After storage and LUKS: targets export, initiators connect; fills `report.nvme`. `node` is this node's name, the host NQN. */
  up(desired: readonly DesiredNvmeResource[], node: string, report: SatelliteReport): Promise<void>
}

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false)

export async function probeNvme(run: Run): Promise<NvmeCapability> {
  const facts: NvmeHostFacts = {
    nvmeCli: await hasCommand('nvme'),
    nvmet: (await exists('/sys/module/nvmet')) || (await run('modinfo', ['-n', 'nvmet']).then(() => true, () => false)),
    configfs: /^\S+ \/sys\/kernel\/config configfs /m.test(await readFile('/proc/self/mounts', 'utf8').catch(() => '')),
  }
  return {target: targetProblems(facts), initiator: initiatorProblems(facts)}
}

/** The layer is supported where a node can take both roles; each reason names the role it blocks. */
export function nvmeUnsupported(c: NvmeCapability): string[] {
  return [...c.target.map((r) => `NVMe-oF target: ${r}`), ...c.initiator.map((r) => `NVMe-oF initiator: ${r}`)]
}

/** nvmet's configfs tree as the planner sees it; empty while nvmet is not loaded. */
export async function readNvmetTree(root = NVMET_ROOT): Promise<NvmetTree> {
  const list = (dir: string): Promise<string[]> => readdir(dir).catch(() => [] as string[])
  const read = (path: string): Promise<string> => readFile(path, 'utf8').then((t) => t.trim(), () => '')
  const subsystems: NvmetSubsystem[] = []
  for (const nqn of await list(`${root}/subsystems`)) {
    const namespaces = []
    for (const id of await list(`${root}/subsystems/${nqn}/namespaces`)) {
      const dir = `${root}/subsystems/${nqn}/namespaces/${id}`
      namespaces.push({nsid: Number(id), devicePath: parseDevicePath(await read(`${dir}/device_path`)), enabled: (await read(`${dir}/enable`)) === '1'})
    }
    subsystems.push({nqn, namespaces})
  }
  const ports: NvmetPort[] = []
  for (const id of await list(`${root}/ports`)) {
    const dir = `${root}/ports/${id}`
    ports.push({id, traddr: await read(`${dir}/addr_traddr`), trtype: await read(`${dir}/addr_trtype`), trsvcid: await read(`${dir}/addr_trsvcid`),
      subsystems: await list(`${dir}/subsystems`)})
  }
  return {subsystems, ports}
}

/** Applies planner changes under `root` (the planner speaks of NVMET_ROOT). */
async function applyChanges(changes: readonly ConfigfsChange[], root: string): Promise<void> {
  const at = (path: string): string => root + path.slice(NVMET_ROOT.length)
  for (const c of changes) {
    if (c.op === 'mkdir') await mkdir(at(c.path))
    else if (c.op === 'write') await writeFile(at(c.path), c.value)
    else if (c.op === 'symlink') await symlink(at(c.target), at(c.path))
    else if (c.op === 'unlink') await unlink(at(c.path))
    else await rmdir(at(c.path))
  }
}

/** Devices of a connection still mounted: `nvme disconnect` would hang on them (LINSTOR refuses, as here). */
async function mountedDevices(devices: readonly string[]): Promise<string[]> {
  const mounts = await readFile('/proc/self/mounts', 'utf8').catch(() => '')
  const sources = new Set(mounts.split('\n').map((l) => l.split(' ')[0]))
  return devices.filter((d) => sources.has(d))
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export function createNvmeLayer(capability: NvmeCapability, deps: NvmeLayerDeps): NvmeLayer {
  const root = deps.nvmetRoot ?? NVMET_ROOT
  const nvmeClass = deps.nvmeClass ?? '/sys/class/nvme'
  const settleMs = deps.settleMs ?? 10_000
  const connected = async (): Promise<ConnectedSubsystem[]> => {
    try {
      return parseList((await deps.run('nvme', listArgs())).stdout)
    } catch (e) {
      if (e instanceof ExecError && isEmptyTopology(e.result.stderr)) return []
      throw e
    }
  }
  /** nvmet's configfs directory appears with the module. */
  const loadNvmet = async (): Promise<void> => {
    if (!(await exists(root))) await deps.run('modprobe', ['nvmet'])
  }

  async function disconnect(nqn: string, known: readonly ConnectedSubsystem[]): Promise<void> {
    const mounted = await mountedDevices(known.find((c) => c.nqn === nqn)?.namespaces.map((n) => n.devicePath) ?? [])
    if (mounted.length) throw new Error(`${mounted.join(', ')} ${mounted.length > 1 ? 'are' : 'is'} mounted`)
    await deps.run('nvme', disconnectArgs(nqn))
  }

  async function exportTarget(d: DesiredNvmeResource, report: SatelliteReport): Promise<NvmeReport> {
    const backing = d.volumes.map((vlmNr) => ({vlmNr, device: upperDevice(report, d.rsc, vlmNr)}))
    const missing = backing.filter((b) => !b.device).map((b) => b.vlmNr)
    if (missing.length) throw new Error(`the volume${missing.length > 1 ? 's' : ''} ${missing.join(', ')} below it ${missing.length > 1 ? 'are' : 'is'} not ready`)
    if (!d.address) throw new Error('the controller knows no address for this target')
    await loadNvmet()
    const changes = exportChanges({nqn: subsystemNqn(d.rsc), transport: d.transport, traddr: d.address, trsvcid: d.trsvcid,
      namespaces: backing.map((b) => ({nsid: namespaceId(b.vlmNr), devicePath: b.device as string}))}, await readNvmetTree(root))
    try {
      await applyChanges(changes, root)
    } catch (e) {
      // Linking to a port enables it; nvmet refuses an RDMA port on a host without RDMA.
      const hint = d.transport === 'rdma' && (e as NodeJS.ErrnoException).code === 'EINVAL'
        ? ' (no RDMA device here? NVMe/TRType tcp selects NVMe/TCP)' : ''
      throw new Error(`${(e as Error).message}${hint}`)
    }
    return {rsc: d.rsc, role: 'target', state: 'Created', volumes: backing.map((b) => ({vlmNr: b.vlmNr, devicePath: b.device, backingDevice: b.device}))}
  }

  /** Connects unless connected, then waits (briefly) for the namespaces' block devices. */
  async function connectInitiator(d: DesiredNvmeResource, node: string): Promise<NvmeReport> {
    if (!d.address) throw new Error('its definition has no NVMe target (a diskful resource) to connect to')
    const c: NvmeConnection = {nqn: subsystemNqn(d.rsc), transport: d.transport, traddr: d.address, trsvcid: d.trsvcid, hostNqn: node}
    const find = async (): Promise<ConnectedSubsystem | undefined> => (await connected()).find((s) => s.nqn === c.nqn)
    let sub = await find()
    if (!sub) {
      // Where the module is missing, connect's own error says so.
      await deps.run('modprobe', [hostModule(d.transport)]).catch(() => undefined)
      await deps.run('nvme', connectArgs(c)).catch(async (e: unknown) => {
        throw new Error(`${(e as Error).message}${await whyNotConnected(c)}`)
      })
      sub = await find()
    }
    const complete = (s: ConnectedSubsystem | undefined): boolean => d.volumes.every((v) => s?.namespaces.some((n) => n.nsid === namespaceId(v)))
    const deadline = Date.now() + settleMs
    while (!complete(sub) && Date.now() < deadline) {
      await sleep(250)
      sub = await find()
    }
    const volumes = d.volumes.map((vlmNr) => ({vlmNr, devicePath: sub?.namespaces.find((n) => n.nsid === namespaceId(vlmNr))?.devicePath}))
    const absent = volumes.filter((v) => !v.devicePath).map((v) => v.vlmNr)
    if (absent.length) throw new Error(`connected to ${c.nqn}, but the target exports no namespace for volume ${absent.join(', ')}`)
    return {rsc: d.rsc, role: 'initiator', state: 'Created', volumes}
  }

  /** A failed connect says little ("Input/output error"): the discovery log tells what the target offers. */
  async function whyNotConnected(c: NvmeConnection): Promise<string> {
    const where = `${c.transport} ${c.traddr}:${c.trsvcid}`
    try {
      const offered = parseDiscovery((await deps.run('nvme', discoverArgs(c))).stdout)
      return offered.includes(c.nqn) ? '' : `; the target at ${where} does not offer ${c.nqn}${offered.length ? ` (it offers ${offered.join(', ')})` : ''}`
    } catch {
      return `; no NVMe-oF target answers at ${where}`
    }
  }

  return {
    capability,
    async down(desired) {
      const wanted = (role: DesiredNvmeResource['role']): Set<string> =>
        new Set(desired.filter((d) => d.present && d.role === role).map((d) => subsystemNqn(d.rsc)))
      const ours = (nqn: string): boolean => nqn.startsWith(NQN_PREFIX) && !deps.keep?.test(nqn.slice(NQN_PREFIX.length))
      if (!capability.target.length) {
        const targets = wanted('target')
        let tree = await readNvmetTree(root)
        for (const nqn of tree.subsystems.map((s) => s.nqn).filter((n) => ours(n) && !targets.has(n))) {
          try {
            await applyChanges(unexportChanges(nqn, tree), root)
          } catch (e) {
            deps.recordError('nvme', `Removing NVMe-oF target '${nqn}' failed: ${(e as Error).message}`)
          }
          tree = await readNvmetTree(root)
        }
      }
      if (!capability.initiator.length) {
        const initiators = wanted('initiator')
        // sysfs first: a sync that finds nothing to disconnect runs no command.
        const controllers = await readdir(nvmeClass).catch(() => [] as string[])
        const nqns = await Promise.all(controllers.map((c) => readFile(`${nvmeClass}/${c}/subsysnqn`, 'utf8').then((t) => t.trim(), () => '')))
        const gone = [...new Set(nqns.filter((n) => ours(n) && !initiators.has(n)))]
        const known = gone.length ? await connected().catch(() => []) : []
        for (const nqn of gone) {
          await disconnect(nqn, known).catch((e: unknown) => deps.recordError('nvme', `Disconnecting from NVMe-oF target '${nqn}' failed: ${(e as Error).message}`))
        }
      }
    },
    async up(desired, node, report) {
      const out: NvmeReport[] = (report.nvme ??= [])
      for (const d of desired.filter((x) => x.present)) {
        const problems = d.role === 'target' ? capability.target : capability.initiator
        const what = `NVMe-oF ${d.role} ${subsystemNqn(d.rsc)}`
        const failed = (error: string): void => void out.push({rsc: d.rsc, role: d.role, state: 'Failed', error, errorSeq: deps.recordError('nvme', error),
          volumes: d.volumes.map((vlmNr) => ({vlmNr}))})
        if (problems.length) {
          failed(`${what} cannot run on this node: ${problems.join('; ')}`)
          continue
        }
        try {
          out.push(d.role === 'target' ? await exportTarget(d, report) : await connectInitiator(d, node))
        } catch (e) {
          failed(`${what}: ${(e as Error).message}`)
        }
      }
    },
  }
}
