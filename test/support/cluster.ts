// Runs real Cairn processes for integration tests: the binary when CAIRN_BIN is set (CI sets it
// to dist/cairn, so what is tested is what ships), otherwise the sources through bin/cairn.js.
import {spawn, type ChildProcess} from 'node:child_process'
import {execFile} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {promisify} from 'node:util'

const exec = promisify(execFile)
const repo = resolve(import.meta.dirname, '../..')

export function cairnCommand(args: string[]): [string, string[]] {
  const bin = process.env.CAIRN_BIN
  return bin ? [resolve(repo, bin), args] : [process.execPath, [join(repo, 'bin/cairn.js'), ...args]]
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, host, () => {
      const port = (s.address() as {port: number}).port
      s.close(() => ok(port))
    })
  })
}

export const tempDir = (prefix = 'cairn-test-'): Promise<string> => mkdtemp(join(tmpdir(), prefix))

export interface Daemon {
  proc: ChildProcess
  /** Resolves with the exit code when the process ends on its own or is stopped. */
  exited: Promise<number | null>
  output(): string
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export function startDaemon(args: string[], env: Record<string, string> = {}): Daemon {
  const [cmd, argv] = cairnCommand(args)
  const proc = spawn(cmd, argv, {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  let out = ''
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((ok) => proc.once('exit', (code) => ok(code)))
  return {
    proc,
    exited,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
      return exited
    },
  }
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < end) {
    try {
      const v = await fn()
      if (v !== undefined) return v
    } catch (e) {
      last = e
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
}

export const waitHealthy = (base: string, timeoutMs?: number): Promise<true> =>
  waitFor(`${base}/health`, async () => ((await fetch(`${base}/health`)).status === 200 ? true : undefined), timeoutMs)

export interface CliResult {code: number, stdout: string, stderr: string}

export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const [cmd, argv] = cairnCommand(args)
  try {
    const {stdout, stderr} = await exec(cmd, argv, {env: {...process.env, NO_COLOR: '1', ...env}})
    return {code: 0, stdout, stderr}
  } catch (e) {
    const err = e as {code?: number, stdout?: string, stderr?: string}
    return {code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? ''}
  }
}

/** Detaches loop devices whose backing files live under `dir`, then removes it. */
export async function cleanup(dir: string): Promise<void> {
  const {stdout} = await exec('losetup', ['--list', '--json', '--output', 'NAME,BACK-FILE']).catch(() => ({stdout: ''}))
  const devices = stdout.trim() ? (JSON.parse(stdout) as {loopdevices: {name: string, 'back-file'?: string}[]}).loopdevices : []
  for (const d of devices) if (d['back-file']?.startsWith(dir)) await exec('losetup', ['--detach', d.name]).catch(() => undefined)
  await rm(dir, {recursive: true, force: true})
}

export async function getJson(url: string): Promise<{status: number, body: unknown, text: string}> {
  const res = await fetch(url)
  const text = await res.text()
  const {parse} = await import('../../src/common/json.ts')
  return {status: res.status, body: text ? parse(text) : undefined, text}
}

/** A JSON request to the REST API; the reply parsed int64-exact. */
export async function api(base: string, method: string, path: string, body?: unknown): Promise<{status: number, body: unknown, text: string}> {
  const res = await fetch(`${base}${path}`, {method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : {'content-type': 'application/json'}})
  const text = await res.text()
  const {parse} = await import('../../src/common/json.ts')
  return {status: res.status, body: text ? parse(text) : undefined, text}
}

export interface Combined {dir: string, base: string, port: number, args: string[], daemon: Daemon}

/** A `cairn combined` on 127.0.0.1 with fresh ports and data directory, serving when this resolves. */
export async function startCombined(nodeName: string): Promise<Combined> {
  const dir = await tempDir()
  const port = await freePort()
  const args = ['combined', '--data-dir', dir, '--rest-address', '127.0.0.1', '--rest-port', String(port),
    '--satellite-address', '127.0.0.1', '--satellite-port', String(await freePort()), '--node-name', nodeName]
  const daemon = startDaemon(args)
  const base = `http://127.0.0.1:${port}`
  await waitHealthy(base)
  return {dir, base, port, args, daemon}
}
