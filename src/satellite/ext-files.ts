// External files on the host: written only below the directories the administrator allowed
// (LINSTOR's allowExtFiles), so a controller — or whoever stole its secret — cannot overwrite
// /etc/shadow through this path. Writes are atomic (temporary file, then rename) and skipped when
// the content is already there; a file that exists under an alternative suffix (drbd-reactorctl
// renames disabled configs to `.disabled`) is updated in place under that name.
import {mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import type {DesiredExtFile, ExtFileReport} from '../protocol/messages.ts'
import {extFileAllowed, extFilePathProblem} from '../protocol/ext-file-path.ts'

export interface ExtFileSettings {
  /** Directories below which files may be written. */
  allowed: string[]
  /** What paths are relative to: `/` on a host. */
  root: string
}

export const parseAllowList = (raw: string): string[] => raw.split(',').map((x) => x.trim()).filter(Boolean)

const readOrUndefined = (p: string): Promise<Buffer | undefined> => readFile(p).catch(() => undefined)

/** Applies the desired files; `recordError` keeps a failure for the controller's error reports. */
export async function applyExtFiles(files: readonly DesiredExtFile[], cfg: ExtFileSettings,
  recordError: (module: string, message: string) => number): Promise<ExtFileReport[]> {
  const out: ExtFileReport[] = []
  for (const f of files) {
    const failed = (message: string): void => void out.push({path: f.path, state: 'Failed', error: message, errorSeq: recordError('extfiles', message)})
    const problem = extFilePathProblem(f.path)
    if (problem) {
      failed(`External file '${f.path}' refused: ${problem}`)
      continue
    }
    if (!extFileAllowed(cfg.allowed, f.path)) {
      // Never written, so there is nothing to remove either.
      if (f.present) failed(`External file '${f.path}' does not have a whitelisted parent: allowed are ${cfg.allowed.length ? cfg.allowed.join(', ') : 'no directories'}`)
      else out.push({path: f.path, state: 'Absent'})
      continue
    }
    const canonical = join(cfg.root, f.path)
    const candidates = [canonical, ...(f.altSuffixes ?? []).map((s) => `${canonical}.${s.replace(/^\./, '')}`)]
    try {
      if (f.present) {
        const want = Buffer.from(f.content ?? '', 'base64')
        let target = canonical
        let have = await readOrUndefined(canonical)
        for (const alt of candidates.slice(1)) {
          if (have !== undefined) break
          const h = await readOrUndefined(alt)
          if (h !== undefined) [target, have] = [alt, h]
        }
        if (!have?.equals(want)) {
          await mkdir(dirname(target), {recursive: true})
          const tmp = `${target}.cairn-tmp`
          await writeFile(tmp, want, {mode: 0o644})
          await rename(tmp, target)
        }
        out.push({path: f.path, state: 'Present', actualPath: target.slice(cfg.root.replace(/\/$/, '').length)})
      } else {
        for (const c of candidates) await rm(c, {force: true})
        out.push({path: f.path, state: 'Absent'})
      }
    } catch (e) {
      failed(`External file '${f.path}' could not be ${f.present ? 'written' : 'removed'}: ${(e as Error).message}`)
    }
  }
  return out
}
