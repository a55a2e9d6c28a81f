// A real S3 server for tests, in its own process: s3rver (the npm devDependency
// @20minutes/s3rver) on a free loopback port with a fresh data directory. It checks SigV4
// signatures, so a wrongly signed request fails as it would against S3.
import {spawn} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'

export interface LocalS3 {
  /** http://127.0.0.1:<port> */
  endpoint: string
  port: number
  /** Buckets that exist from the start. */
  buckets: string[]
  accessKey: string
  secretKey: string
  stop(): Promise<void>
}

// s3rver's built-in account.
const ACCESS_KEY = 'S3RVER'
const SECRET_KEY = 'S3RVER'

export interface S3ServerOptions {
  /** Buckets that exist from the start. */
  buckets?: string[]
  /**
   * Accept requests whose signature s3rver computes differently. Only for virtual-host style:
   * s3rver signs those with the bucket in the canonical URI, which AWS does not (see the
   * documentation's examples in test/unit/s3-signature.test.ts, all virtual-host style).
   */
  lenientSignatures?: boolean
}

export async function startS3Server(opts: S3ServerOptions = {}): Promise<LocalS3> {
  const buckets = opts.buckets ?? ['cairn-test']
  const dir = await mkdtemp(join(tmpdir(), 'cairn-s3-'))
  // s3rver makes its ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
  const proc = spawn(process.execPath, ['--openssl-legacy-provider', join(import.meta.dirname, 's3-server-main.ts'), dir, opts.lenientSignatures ? '1' : '0', ...buckets], {stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<void>((ok) => proc.once('exit', () => ok()))
  const port = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the S3 server did not start within 15 s: ${stderr}`)), 15_000)
    createInterface({input: proc.stdout}).once('line', (line) => {
      clearTimeout(timer)
      ok((JSON.parse(line) as {port: number}).port)
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`the S3 server exited (${code}) before listening; is the devDependency @20minutes/s3rver installed (npm ci)?\n${stderr}`))
    })
  })
  return {
    endpoint: `http://127.0.0.1:${port}`, port, buckets, accessKey: ACCESS_KEY, secretKey: SECRET_KEY,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      await exited
      await rm(dir, {recursive: true, force: true})
    },
  }
}
