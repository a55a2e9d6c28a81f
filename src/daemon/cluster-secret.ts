// The cluster secret authenticates the controller to satellites. The controller creates one in
// its data dir on first start; a satellite takes it from settings or from its own data dir
// (`cairn controller join-secret` prints it for copying to a new node).
import {randomBytes} from 'node:crypto'
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

const FILE = 'cluster-secret'

export async function readSecret(dataDir: string, configured: string): Promise<string | undefined> {
  if (configured) return configured
  const text = await readFile(join(dataDir, FILE), 'utf8').catch(() => '')
  return text.trim() || undefined
}

export async function ensureSecret(dataDir: string, configured: string): Promise<string> {
  const existing = await readSecret(dataDir, configured)
  if (existing) return existing
  const secret = randomBytes(32).toString('base64url')
  await mkdir(dataDir, {recursive: true, mode: 0o700})
  await writeFile(join(dataDir, FILE), secret + '\n', {mode: 0o600, flag: 'wx'})
  return secret
}

const STAGED = 'cluster-secret.staged'

/** A secret staged by a rotation that has not been committed yet. */
export async function readStagedSecret(dataDir: string): Promise<string | undefined> {
  return (await readFile(join(dataDir, STAGED), 'utf8').catch(() => '')).trim() || undefined
}

export async function stageSecret(dataDir: string, next: string): Promise<void> {
  await writeFile(join(dataDir, STAGED), next + '\n', {mode: 0o600})
}

/** The staged secret becomes the secret; a rename, so a crash leaves one or the other, never neither. */
export async function commitStagedSecret(dataDir: string): Promise<void> {
  await rename(join(dataDir, STAGED), join(dataDir, FILE))
}

/** The controller's side: the new secret replaces the old in its file (written aside, then renamed). */
export async function replaceSecret(dataDir: string, next: string): Promise<void> {
  await stageSecret(dataDir, next)
  await commitStagedSecret(dataDir)
}
