// Reading and writing /etc/pve/storage.cfg at the command edge. Every byte the edit does not touch
// is written back as it was: the text is decoded as UTF-8 only when that round-trips exactly (a
// file in another encoding is handled byte for byte as Latin-1), and the new file replaces the old
// one atomically (a temporary file beside it, synced, then renamed over it) with the old mode.
import {Errors, Flags} from '@oclif/core'
import {chmod, open, readFile, rename, rm, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {parseStorageCfg, writeStorageCfg, type StorageCfg} from '../../../../drivers/proxmox/storage-cfg.ts'

export const DEFAULT_STORAGE_CFG = '/etc/pve/storage.cfg'

export const fileFlag = {
  file: Flags.string({char: 'f', description: 'the Proxmox storage configuration', default: DEFAULT_STORAGE_CFG}),
}

export interface StorageCfgFile {
  file: string
  doc: StorageCfg
  encoding: 'utf8' | 'latin1'
}

/** The parsed file; a file that cannot be read is a command error (exit 1). */
export async function readStorageCfg(file: string): Promise<StorageCfgFile> {
  const bytes = await readFile(file).catch((e: Error) => {
    throw new Errors.CLIError(`cannot read ${file}: ${e.message}`, {exit: 1})
  })
  const utf8 = bytes.toString('utf8')
  const encoding = Buffer.from(utf8, 'utf8').equals(bytes) ? 'utf8' : 'latin1'
  return {file, doc: parseStorageCfg(encoding === 'utf8' ? utf8 : bytes.toString('latin1')), encoding}
}

export async function writeStorageCfgFile(cfg: StorageCfgFile, doc: StorageCfg): Promise<void> {
  const {mode} = await stat(cfg.file)
  const tmp = join(dirname(cfg.file), `.${basename(cfg.file)}.cairn.${process.pid}.tmp`)
  const handle = await open(tmp, 'wx', mode & 0o7777)
  try {
    await handle.writeFile(Buffer.from(writeStorageCfg(doc), cfg.encoding))
    await handle.sync()
    await handle.close()
    // The umask may have narrowed the mode; pmxcfs (/etc/pve) sets modes itself and refuses chmod.
    await chmod(tmp, mode & 0o7777).catch((e: NodeJS.ErrnoException) => {
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(e.code ?? '')) throw e
    })
    await rename(tmp, cfg.file)
  } catch (e) {
    await handle.close().catch(() => undefined)
    await rm(tmp, {force: true})
    throw e
  }
}
