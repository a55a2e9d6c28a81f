// The LUKS layer on a satellite: dm-crypt devices between the storage volumes and DRBD. On each
// sync, unwanted mappings close before their volumes go; wanted ones open on top of the volumes
// (formatted first when the volume holds no LUKS header yet) and grow with them. Keys come from
// the controller's desired state and go to cryptsetup on stdin only.
import {access} from 'node:fs/promises'
import type {DesiredLuksVolume, LuksReport, SatelliteReport} from '../../protocol/messages.ts'
import {ExecError, hasCommand, type Run} from '../exec.ts'
import {formatVolume} from '../filesystem.ts'
import {closeCommand, type Command, type CryptStatus, formatCommand, isLuksCommand, luksDeviceName, luksDevicePath, luksProblems, needsResize,
  openCommand, parseStatus, resizeCommand, statusCommand, usableKibOf} from './cryptsetup.ts'

export type LuksCapability = {supported: true} | {supported: false, reasons: string[]}

export interface LuksLayerDeps {
  run: Run
  recordError: (module: string, message: string) => number
}

export interface LuksLayer {
  readonly capability: LuksCapability
  /** Before storage changes: mappings of volumes no longer wanted are closed. */
  down(desired: readonly DesiredLuksVolume[]): Promise<void>
  /** After storage changes: wanted mappings open on their volumes; fills `report.luks`. */
  up(desired: readonly DesiredLuksVolume[], report: SatelliteReport): Promise<void>
}

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false)

/** Whether this host has cryptsetup and dm-crypt. */
export async function probeLuks(run: Run): Promise<LuksCapability> {
  const dmCrypt = (await exists('/sys/module/dm_crypt')) || (await run('modinfo', ['-n', 'dm_crypt']).then(() => true, () => false))
  const reasons = luksProblems({cryptsetup: await hasCommand('cryptsetup'), deviceMapper: await exists('/dev/mapper/control'), dmCrypt})
  return reasons.length ? {supported: false, reasons} : {supported: true}
}

/**
 * The device a layer above (DRBD) uses for a volume: the LUKS device when the volume has the LUKS
 * layer (and only once it is open: never the ciphertext below it), else the storage volume.
 */
export function upperDevice(report: SatelliteReport, rsc: string, vlmNr: number): string | undefined {
  const luks = report.luks?.find((l) => l.rsc === rsc && l.vlmNr === vlmNr)
  if (luks) return luks.state === 'Created' ? luks.devicePath : undefined
  return report.volumes.find((x) => x.rsc === rsc && x.vlmNr === vlmNr && x.state === 'Created')?.devicePath
}

export function createLuksLayer(capability: LuksCapability, deps: LuksLayerDeps): LuksLayer {
  const exec = (c: Command): ReturnType<Run> => deps.run(c.cmd, c.args, c.input === undefined ? undefined : {input: c.input})
  const status = async (name: string): Promise<CryptStatus> =>
    exec(statusCommand(name)).then((r) => parseStatus(r.stdout), () => ({active: false}))
  /** Only exit 1 means "no LUKS header": anything else (a missing device) must never lead to a format. */
  const isLuks = async (dev: string): Promise<boolean> =>
    exec(isLuksCommand(dev)).then(() => true, (e: unknown) => {
      if (e instanceof ExecError && e.result.exitCode === 1) return false
      throw e
    })

  async function openOne(v: DesiredLuksVolume, backing: string, backingKib: number | undefined): Promise<LuksReport> {
    const name = luksDeviceName(v.rsc, v.vlmNr)
    let st = await status(name)
    if (st.active) {
      if (needsResize(st, backingKib)) {
        await exec(resizeCommand(name, v.key))
        st = await status(name)
      }
    } else {
      if (v.key === undefined) {
        throw new Error('the volume key is not available: the controller\'s master passphrase is locked (enter it with `encryption enter-passphrase`)')
      }
      const fresh = !(await isLuks(backing))
      if (fresh) await exec(formatCommand(backing, v.key))
      await exec(openCommand(backing, name, v.key))
      if (fresh && v.filesystem) await formatVolume(deps.run, v.filesystem, luksDevicePath(v.rsc, v.vlmNr))
      st = await status(name)
    }
    const usableKib = usableKibOf(st)
    return {rsc: v.rsc, vlmNr: v.vlmNr, state: 'Created', opened: true, devicePath: luksDevicePath(v.rsc, v.vlmNr), backingDevice: backing,
      ...(usableKib === undefined ? {} : {usableKib})}
  }

  return {
    capability,
    async down(desired) {
      if (!capability.supported) return
      for (const v of desired.filter((d) => !d.present)) {
        const name = luksDeviceName(v.rsc, v.vlmNr)
        try {
          if ((await status(name)).active) await exec(closeCommand(name))
        } catch (e) {
          deps.recordError('luks', `Closing LUKS device '${name}' failed: ${(e as Error).message}`)
        }
      }
    },
    async up(desired, report) {
      const out: LuksReport[] = (report.luks ??= [])
      for (const v of desired.filter((d) => d.present)) {
        const failed = (error: string): void => void out.push({rsc: v.rsc, vlmNr: v.vlmNr, state: 'Failed', opened: false, error,
          errorSeq: deps.recordError('luks', error)})
        if (!capability.supported) {
          failed(`LUKS cannot run on this node: ${capability.reasons.join('; ')}`)
          continue
        }
        const storage = report.volumes.find((x) => x.rsc === v.rsc && x.vlmNr === v.vlmNr && x.state === 'Created')
        if (!storage?.devicePath) {
          failed(`LUKS volume ${v.rsc}/${v.vlmNr}: the storage volume below it is not ready`)
          continue
        }
        try {
          out.push(await openOne(v, storage.devicePath, storage.usableKib))
        } catch (e) {
          failed(`LUKS volume ${v.rsc}/${v.vlmNr}: ${(e as Error).message}`)
        }
      }
    },
  }
}
