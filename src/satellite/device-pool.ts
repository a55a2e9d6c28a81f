// create-device-pool on the satellite: turns unused disks into an LVM volume group (LVM), a VG
// with a thin pool filling it (LVM_THIN) or a zpool (ZFS, ZFS_THIN), named as LINSTOR names them
// (devicePoolTarget). Pure checks and argument builders, then one function that runs the plan.
//
// Safety first: a device is used only when this node's own lsblk listing shows it as an unused
// disk at the time of the request (whyNotUsable), whatever the controller believed. Extra
// arguments from the request may not name devices, so they cannot smuggle one past that check.
// Commands get an empty stdin: should LVM find something to ask about after all, it reads "no"
// and stops. When a step fails, what the earlier steps created is removed again.
import {realpath} from 'node:fs/promises'
import {nameProblem} from '../common/names.ts'
import {PROTOCOL_VERSION} from '../protocol/messages.ts'
import {DEVICE_POOL_PATH, PHYSICAL_DEVICES_PATH, devicePathOk, devicePoolKinds, devicePoolTarget, type DevicePoolKind, type DevicePoolReply,
  type DevicePoolRequest, type PhysicalDevicesReply} from '../protocol/physical-storage.ts'
import {hasCommand, type Run} from './exec.ts'
import {type BlockDevice, listBlockDevices, unusedDisks, whyNotUsable} from './physical-devices.ts'
import type {SatelliteRoutes} from './server.ts'

export interface Command {cmd: string, args: string[]}
/** One step of a plan: the command, what to report when it worked, and how to take it back. */
export interface Step extends Command {done: string, undo: Command}

const list = (paths: readonly string[]): string => `[${paths.join(', ')}]`

/**
 * The commands, in order. LVM: `pvcreate` per device, then `vgcreate`; LVM_THIN adds
 * `lvcreate --thinpool` over all of the VG (-y: a brand-new LV on verified-empty disks may
 * have stale signatures wiped). ZFS: one `zpool create -m none` (the pool's root dataset is not
 * mounted, as LINSTOR does), without -f: the disks are verified empty, so zpool's own in-use
 * checks stay on as a second guard. Extra request arguments go before the positional ones.
 */
export function devicePoolPlan(req: DevicePoolRequest): Step[] {
  const t = devicePoolTarget(req.kind, req.poolName)
  const devs = req.devicePaths
  if (t.zpool) {
    return [{cmd: 'zpool', args: ['create', '-m', 'none', ...(req.zpoolCreateArgs ?? []), t.zpool, ...devs],
      done: `ZPool '${t.zpool}' on device(s) ${list(devs)} created.`, undo: {cmd: 'zpool', args: ['destroy', t.zpool]}}]
  }
  const vg = t.vg ?? req.poolName
  const steps: Step[] = devs.map((dev) => ({cmd: 'pvcreate', args: [...(req.pvCreateArgs ?? []), dev],
    done: `PV for device '${dev}' created.`, undo: {cmd: 'pvremove', args: [dev]}}))
  steps.push({cmd: 'vgcreate', args: [...(req.vgCreateArgs ?? []), vg, ...devs],
    done: `VG for devices ${list(devs)} with name '${vg}' created.`, undo: {cmd: 'vgremove', args: [vg]}})
  if (t.thinPool) {
    steps.push({cmd: 'lvcreate', args: [...(req.lvCreateArgs ?? []), '-y', '--extents', '100%FREE', '--thinpool', t.thinPool, vg],
      done: `Thin-pool '${t.thinPool}' in LVM-pool '${vg}' created.`, undo: {cmd: 'lvremove', args: ['-y', `${vg}/${t.thinPool}`]}})
  }
  return steps
}

const TOOL_PACKAGE: Record<string, string> = {zpool: 'zfsutils-linux', pvcreate: 'lvm2', vgcreate: 'lvm2', lvcreate: 'lvm2'}

/** The tools a plan needs, each once. */
export const toolsOf = (steps: readonly Step[]): string[] => [...new Set(steps.map((s) => s.cmd))]

const stringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')
const argFields = ['pvCreateArgs', 'vgCreateArgs', 'lvCreateArgs', 'zpoolCreateArgs'] as const

/** The request, checked for shape and names (the controller checks too; a satellite trusts no one's input). */
export function readRequest(body: unknown): {req: DevicePoolRequest} | {problem: string} {
  if (body === null || typeof body !== 'object') return {problem: 'the request is not a JSON object'}
  const b = body as Record<string, unknown>
  if (!devicePoolKinds.includes(b.kind as DevicePoolKind)) return {problem: `provider kind '${String(b.kind)}' cannot be made into a device pool; use ${devicePoolKinds.join(', ')}`}
  if (!stringList(b.devicePaths) || b.devicePaths.length === 0) return {problem: 'no device paths given'}
  const bad = b.devicePaths.find((p) => !devicePathOk(p))
  if (bad !== undefined) return {problem: `'${bad}' is not an absolute path under /dev/`}
  const nameIssue = nameProblem('storage pool', b.poolName)
  if (nameIssue) return {problem: `pool name '${String(b.poolName)}' is not valid: ${nameIssue}`}
  for (const f of argFields) if (b[f] !== undefined && !stringList(b[f])) return {problem: `${f} must be a list of strings`}
  return {req: b as unknown as DevicePoolRequest}
}

/**
 * Why the requested devices may not be used, one line each; empty when all may. `resolved` maps
 * each requested path to its real path (symlinks such as /dev/disk/by-id/... followed), or to
 * undefined when it does not exist.
 */
export function deviceRefusals(paths: readonly string[], resolved: ReadonlyMap<string, string | undefined>, devices: readonly BlockDevice[]): string[] {
  const seen = new Map<string, string>()
  const out: string[] = []
  for (const p of paths) {
    const real = resolved.get(p)
    if (real === undefined) {
      out.push(`Device '${p}' does not exist on this node`)
      continue
    }
    const named = real === p ? `'${p}'` : `'${p}' (${real})`
    const twice = seen.get(real)
    if (twice !== undefined) {
      out.push(`Device ${named} is given twice (also as '${twice}')`)
      continue
    }
    seen.set(real, p)
    const d = devices.find((x) => x.path === real || x.kname === real)
    if (!d) {
      out.push(`Device ${named} is not a block device that lsblk lists on this node`)
      continue
    }
    const why = whyNotUsable(d)
    if (why) out.push(`Device ${named} is not an unused disk: ${why}`)
  }
  return out
}

/**
 * Extra arguments that could name a device: paths, and bare device names (zpool takes `sdb` for
 * /dev/sdb). Devices belong in device_paths, where they are checked.
 */
export function argumentRefusals(req: DevicePoolRequest, devices: readonly BlockDevice[]): string[] {
  const names = new Set(devices.flatMap((d) => [d.path, d.kname]).map((p) => p.slice(p.lastIndexOf('/') + 1)))
  return argFields.flatMap((f) => (req[f] ?? [])
    .filter((a) => a.startsWith('/') || names.has(a))
    .map((a) => `Argument '${a}' in ${f} names a device or path; give devices in device_paths only`))
}

/** What the satellite needs of its host besides running commands; replaced in tests. */
export interface DevicePoolHost {
  /** The real path, or undefined when there is nothing at `path`. */
  realpath(path: string): Promise<string | undefined>
  hasCommand(cmd: string): Promise<boolean>
}

export const realHost: DevicePoolHost = {
  realpath: (p) => realpath(p).catch(() => undefined),
  hasCommand,
}

const refused = (error: string, details?: string): DevicePoolReply =>
  ({protocol: PROTOCOL_VERSION, error, errorKind: 'refused', ...(details ? {details} : {})})

const failure = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * Checks the request against this node's devices (first: a disk in use is the refusal that
 * matters most), then the tools, then runs the plan; a failed step rolls back the earlier ones.
 */
export async function createDevicePool(run: Run, host: DevicePoolHost, body: unknown): Promise<DevicePoolReply> {
  const read = readRequest(body)
  if ('problem' in read) return refused(`Refused: ${read.problem}`)
  const {req} = read
  let devices: BlockDevice[]
  try {
    devices = await listBlockDevices(run)
  } catch (e) {
    return refused(`Refused: the block devices could not be listed: ${failure(e)}`)
  }
  const resolved = new Map(await Promise.all(req.devicePaths.map(async (p) => [p, await host.realpath(p)] as const)))
  const problems = [...deviceRefusals(req.devicePaths, resolved, devices), ...argumentRefusals(req, devices)]
  if (problems.length) return refused(`Refused: ${problems.join('; ')}`, 'Nothing was changed on the node.')
  const steps = devicePoolPlan(req)
  const missing: string[] = []
  for (const tool of toolsOf(steps)) if (!(await host.hasCommand(tool))) missing.push(`'${tool}' (install ${TOOL_PACKAGE[tool] ?? tool})`)
  if (missing.length) return refused(`Refused: ${missing.join(', ')} not found on this node`, 'Nothing was changed on the node.')

  const messages: string[] = []
  for (const [i, step] of steps.entries()) {
    try {
      await run(step.cmd, step.args, {input: ''})
      messages.push(step.done)
    } catch (e) {
      const undone = await rollBack(run, steps.slice(0, i))
      return {protocol: PROTOCOL_VERSION, error: failure(e), errorKind: 'failed',
        details: [...messages.map((m) => `${m} (before the failure)`), ...undone].join('\n') || 'Nothing had been created.'}
    }
  }
  return {protocol: PROTOCOL_VERSION, messages}
}

/** Undoes `done` steps newest first, best effort: one line per step saying whether it was taken back. */
async function rollBack(run: Run, done: readonly Step[]): Promise<string[]> {
  const out: string[] = []
  for (const step of [...done].reverse()) {
    const cmdline = [step.undo.cmd, ...step.undo.args].join(' ')
    try {
      await run(step.undo.cmd, step.undo.args, {input: ''})
      out.push(`Rolled back: ${cmdline}`)
    } catch (e) {
      out.push(`Could not roll back (${cmdline}): ${failure(e)}`)
    }
  }
  return out
}

export async function physicalDevices(run: Run): Promise<PhysicalDevicesReply> {
  try {
    return {protocol: PROTOCOL_VERSION, devices: unusedDisks(await listBlockDevices(run))}
  } catch (e) {
    return {protocol: PROTOCOL_VERSION, error: `The block devices could not be listed: ${failure(e)}`}
  }
}

/**
 * The satellite's two physical-storage endpoints. Device pool creations run one at a time, so
 * that two requests can never both see the same disk as unused.
 */
export function physicalStorageRoutes(run: Run, host: DevicePoolHost = realHost): SatelliteRoutes {
  let queue: Promise<unknown> = Promise.resolve()
  return {
    [PHYSICAL_DEVICES_PATH]: () => physicalDevices(run),
    [DEVICE_POOL_PATH]: (body) => {
      const next = queue.then(() => createDevicePool(run, host, body))
        .catch((e: Error): DevicePoolReply => ({protocol: PROTOCOL_VERSION, error: e.message, errorKind: 'failed'}))
      queue = next
      return next
    },
  }
}
