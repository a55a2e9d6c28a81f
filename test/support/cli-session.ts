// One live `cairn combined` for a file of CLI tests, and the helpers that drive the binary
// against it. Call inside `describe`: it registers the start (until the node is ONLINE) and the
// teardown.
import assert from 'node:assert/strict'
import {after, before} from 'node:test'
import {parse} from '../../src/common/json.ts'
import {cleanup, cli, getJson, startCombined, waitFor, type CliResult, type Combined} from './cluster.ts'

export interface CliSession {
  /** The daemon; set once the file's `before` hooks run. */
  readonly c: Combined
  run(...args: string[]): Promise<CliResult>
  /** Runs a command that must succeed; its stdout. */
  ok(...args: string[]): Promise<string>
  /** Runs a command that must exit with `code`; its stderr. */
  fails(code: number, ...args: string[]): Promise<string>
  /** Runs a command with -m; its parsed JSON. */
  json<T>(...args: string[]): Promise<T>
  /** The table row that starts with `first`, split into trimmed cells. */
  row(out: string, first: string): string[] | undefined
}

export function useCombinedCli(node: string): CliSession {
  let combined: Combined | undefined
  let ctl: string[] = []
  before(async () => {
    combined = await startCombined(node)
    ctl = ['--controllers', `127.0.0.1:${combined.port}`]
    const base = combined.base
    await waitFor('node online', async () => ((await getJson(`${base}/v1/nodes/${node}`)).body as {connection_status?: string})
      .connection_status === 'ONLINE' ? true : undefined)
  })
  after(async () => {
    await combined?.daemon.stop('SIGKILL')
    if (combined) await cleanup(combined.dir)
  })
  const run = (...args: string[]): Promise<CliResult> => cli([...args, ...ctl])
  const ok = async (...args: string[]): Promise<string> => {
    const r = await run(...args)
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}${r.stdout}`)
    return r.stdout
  }
  return {
    get c(): Combined {
      assert.ok(combined, 'the daemon is not started yet')
      return combined
    },
    run,
    ok,
    async fails(code, ...args) {
      const r = await run(...args)
      assert.equal(r.code, code, `${args.join(' ')} should exit ${code}: ${r.stderr}${r.stdout}`)
      return r.stderr
    },
    json: async <T>(...args: string[]): Promise<T> => parse(await ok(...args, '-m')) as T,
    row: (out, first) => out.split('\n').map((l) => l.split('┊').slice(1, -1).map((x) => x.trim())).find((cells) => cells[0] === first),
  }
}
