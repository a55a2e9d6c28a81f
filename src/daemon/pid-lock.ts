// One controller per data directory: a pid file, checked for a live process on start. It also
// lets `db import` refuse to replace the database under a running controller.
import {readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

const FILE = 'controller.pid'

export async function runningController(dataDir: string): Promise<number | undefined> {
  const pid = Number((await readFile(join(dataDir, FILE), 'utf8').catch(() => '')).trim())
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined
  try {
    process.kill(pid, 0)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined
  }
  // A live process with that pid: make sure it is a cairn controller and not a recycled pid.
  const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
  return /cairn/.test(cmd) ? pid : undefined
}

export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const other = await runningController(dataDir)
  if (other) throw new Error(`another controller (pid ${other}) is using ${dataDir}; stop it first`)
  await writeFile(join(dataDir, FILE), `${process.pid}\n`, {mode: 0o644})
  return () => rm(join(dataDir, FILE), {force: true})
}
