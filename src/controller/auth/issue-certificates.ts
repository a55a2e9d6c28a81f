// Carries out a certificate plan with the openssl command: refuses to overwrite (a CA replaced by
// accident orphans every certificate it signed), leaves private keys readable by root only, and
// removes what it made when a step fails.
import {access, chmod, mkdir, rm} from 'node:fs/promises'
import {dirname} from 'node:path'
import type {Run} from '../../satellite/exec.ts'
import type {CertPlan} from './certificates.ts'

export async function issueCertificates(plan: CertPlan, run: Run, force = false): Promise<void> {
  const present = (await Promise.all(plan.files.map(async (f) => (await access(f).then(() => true, () => false)) ? f : undefined))).filter(Boolean)
  if (present.length && !force) throw new Error(`${present.join(', ')} already exist${present.length === 1 ? 's' : ''}; remove them or pass --force`)
  for (const dir of new Set(plan.files.map((f) => dirname(f)))) await mkdir(dir, {recursive: true, mode: 0o700})
  try {
    for (const args of plan.runs) await run('openssl', args)
    for (const f of plan.files) if (f.endsWith('-key.pem')) await chmod(f, 0o600)
  } catch (e) {
    await Promise.all(plan.files.map((f) => rm(f, {force: true})))
    throw e
  }
}
