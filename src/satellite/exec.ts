// The one place the satellite runs commands: execa with argument arrays, never a shell string.
// Every run is logged at debug level; a failing command becomes an ExecError carrying its output.
import type {Logger} from '../common/log.ts'

export interface ExecResult {stdout: string, stderr: string, exitCode: number}
export type Run = (cmd: string, args: readonly string[], opts?: {input?: string, timeoutMs?: number}) => Promise<ExecResult>

export class ExecError extends Error {
  readonly result: ExecResult
  constructor(cmd: string, args: readonly string[], result: ExecResult) {
    super(`${[cmd, ...args].join(' ')} failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(0, 500)}`)
    this.result = result
  }
}

export function createRun(log: Logger): Run {
  return async (cmd, args, opts = {}) => {
    const {execa} = await import('execa')
    const started = Date.now()
    const r = await execa(cmd, args, {reject: false, input: opts.input, timeout: opts.timeoutMs ?? 120_000, env: {LC_ALL: 'C'}})
    const result = {stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1}
    log.debug('exec', {cmd, args, exit: result.exitCode, ms: Date.now() - started})
    if (r.failed && result.exitCode === -1) result.stderr ||= r.shortMessage ?? 'command could not be run'
    if (result.exitCode !== 0) throw new ExecError(cmd, args, result)
    return result
  }
}

/** True when `cmd` can be run (found on PATH): used to report missing tools clearly. */
export async function hasCommand(cmd: string): Promise<boolean> {
  const {execa} = await import('execa')
  const r = await execa('sh', ['-c', 'command -v "$1"', 'sh', cmd], {reject: false})
  return r.exitCode === 0
}
