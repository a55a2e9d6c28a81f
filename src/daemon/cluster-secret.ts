// The cluster secret authenticates the controller to satellites. The controller creates one in
// its data dir on first start; a satellite takes it from settings or from its own data dir
// (`cairn controller join-secret` prints it for copying to a new node).
import {randomBytes} from 'node:crypto'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
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
