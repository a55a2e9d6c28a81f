// The base of every client command: controller selection, output switches, REST calls, and one
// place that turns errors into the linstor client's exit codes (10 API error, 20 connection
// problem, 2 bad command line).
import {Command, Flags, type Interfaces} from '@oclif/core'
import {ApiError, ConnectionError, LinstorClient, type Query} from '../api/client.ts'
import {ConnectionSetupError, resolveConnection, type Connection} from '../api/connection.ts'
import {readClientFiles} from './client-files.ts'
import {isError, isWarning, type ApiCallRc} from '../common/api-call-rc.ts'
import {omitEmpty, stringify} from '../common/json.ts'
import type {Node, ResourceWithVolumes} from '../api/wire.ts'
import {resourcesReady, type Progress} from './readiness.ts'
import {formatReplies} from './replies.ts'
import {renderTable, type Header, type Row} from './table.ts'

export const EXIT_API_ERROR = 10
export const EXIT_CONNECTION = 20
export const EXIT_USAGE = 2

/** A REST path with every interpolated name URL-encoded: path`/v1/nodes/${name}`. */
export function path(parts: TemplateStringsArray, ...values: (string | number)[]): string {
  return parts.reduce((out, part, i) => out + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '')
}

const isReplyList = (data: unknown): data is ApiCallRc[] =>
  Array.isArray(data) && data.length > 0 && typeof data[0] === 'object' && data[0] !== null && 'ret_code' in data[0]

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    controllers: Flags.string({helpGroup: 'GLOBAL',
      description: 'controllers to talk to, tried in order (host[:port], linstor+ssl://host, https://host:port, comma-separated); default $LS_CONTROLLERS, client.conf, localhost:3370'}),
    cafile: Flags.string({helpGroup: 'GLOBAL', description: 'PEM CA that signed the controller\'s HTTPS certificate ($LS_ROOT_CA_FILE)'}),
    certfile: Flags.string({helpGroup: 'GLOBAL', description: 'PEM client certificate, for controllers that authenticate by certificate ($LS_USER_CERTIFICATE_FILE)'}),
    keyfile: Flags.string({helpGroup: 'GLOBAL', description: 'PEM key of the client certificate ($LS_USER_KEY_FILE)'}),
    user: Flags.string({helpGroup: 'GLOBAL', description: 'user for HTTP Basic authentication ($LS_USERNAME)'}),
    password: Flags.string({helpGroup: 'GLOBAL', description: 'password of --user ($LS_PASSWORD); better given in the environment'}),
    'allow-insecure-auth': Flags.boolean({helpGroup: 'GLOBAL', description: 'allow sending a password over plain HTTP'}),
    'machine-readable': Flags.boolean({char: 'm', helpGroup: 'GLOBAL', description: 'print the REST objects as JSON'}),
    'no-color': Flags.boolean({helpGroup: 'GLOBAL', description: 'no colours in output'}),
    'no-utf8': Flags.boolean({helpGroup: 'GLOBAL', description: 'ASCII table borders'}),
    'warn-as-error': Flags.boolean({helpGroup: 'GLOBAL', description: 'treat a WARNING reply as an error (exit code 10)'}),
  }

  protected flags!: Interfaces.InferredFlags<typeof BaseCommand['baseFlags'] & T['flags']>
  protected args!: Interfaces.InferredArgs<T['args']>

  public override async init(): Promise<void> {
    await super.init()
    // Every refusal of the parser is a bad command line, exit 2 (a flag's or argument's own parse
    // function throws plain errors, which oclif would end with 1).
    const {flags, args} = await this.parse({flags: this.ctor.flags, baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      args: this.ctor.args, strict: this.ctor.strict}).catch((e: unknown) => {
      throw Object.assign(e as Error, {oclif: {exit: EXIT_USAGE}})
    })
    this.flags = flags as typeof this.flags
    this.args = args as typeof this.args
  }

  private client?: LinstorClient

  /** Where and how to reach the controller (flags, environment, client.conf, auth.json). */
  protected get connection(): Connection {
    try {
      return resolveConnection({flags: this.flags, env: process.env, ...readClientFiles()})
    } catch (e) {
      if (e instanceof ConnectionSetupError || (e as NodeJS.ErrnoException).code !== undefined) return this.usage((e as Error).message)
      throw e
    }
  }

  protected get api(): LinstorClient {
    this.client ??= new LinstorClient(this.connection)
    return this.client
  }

  /** -p/--pastable: plain ASCII without colours, for pasting into mails and tickets. */
  private get pastable(): boolean {
    return (this.flags as Record<string, unknown>).pastable === true
  }

  protected get colour(): boolean {
    return !this.pastable && !this.flags['no-color'] && !process.env.NO_COLOR && process.stdout.isTTY === true
  }

  protected get machineReadable(): boolean {
    return this.flags['machine-readable'] === true
  }

  /** A bad command line: the message and exit code 2, as the linstor client's argument errors. */
  protected usage(message: string): never {
    return this.error(message, {exit: EXIT_USAGE})
  }

  /** Runs `fn`, turning a thrown Error (a size or count that does not parse) into a usage error. */
  protected checked<R>(fn: () => R): R {
    try {
      return fn()
    } catch (e) {
      return this.usage((e as Error).message)
    }
  }

  /** A GET; an error list in the answer (even with status 200) becomes an ApiError. */
  protected async get<R>(p: string, query?: Query): Promise<R> {
    const {status, data} = await this.api.request<R>('GET', p, undefined, query)
    if (isReplyList(data) && data.some((r) => isError(r.ret_code))) throw new ApiError(status, data)
    return data
  }

  /** A single object, or undefined when the controller answers 404 (the object does not exist (yet or any more)). */
  protected async getIfExists<R>(p: string): Promise<R | undefined> {
    try {
      return await this.get<R>(p)
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined
      throw e
    }
  }

  /** A modifying call; its replies, or an ApiError when one of them is an error. */
  protected async send(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', p: string, body?: unknown, query?: Query): Promise<ApiCallRc[]> {
    const {status, data} = await this.api.request<unknown>(method, p, body === undefined ? undefined : omitEmpty(body), query)
    const replies = isReplyList(data) ? data : []
    if (replies.some((r) => isError(r.ret_code))) throw new ApiError(status, replies)
    return replies
  }

  /** One modifying call, its replies printed. */
  protected async mutate(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', p: string, body?: unknown, query?: Query): Promise<void> {
    this.replies(await this.send(method, p, body, query))
  }

  /**
   * One call per item (`node delete a b`, `rd delete x y`): every call is made, all replies are
   * printed together, and the command fails if any of them failed.
   */
  protected async mutateEach<I>(items: readonly I[], call: (item: I) => Promise<ApiCallRc[]>): Promise<void> {
    const all: ApiCallRc[] = []
    let failed: ApiError | undefined
    for (const item of items) {
      try {
        all.push(...await call(item))
      } catch (e) {
        if (!(e instanceof ApiError)) throw e
        failed ??= e
        all.push(...(e.replies.length ? e.replies : [{ret_code: -4611686018427386906n, message: e.message}]))
      }
    }
    if (failed) throw new ApiError(failed.status, all)
    this.replies(all)
  }

  /** Prints a table, or the raw objects with -m. */
  protected table(objects: unknown, headers: Header[], rows: Row[]): void {
    if (this.machineReadable) this.log(stringify(omitEmpty(objects)))
    else this.log(this.render(headers, rows))
  }

  protected render(headers: Header[], rows: Row[]): string {
    return renderTable(headers, rows, {utf8: !this.flags['no-utf8'] && !this.pastable, colour: this.colour})
  }

  /**
   * Waits for a long operation, unless --async: `check` is asked every half second until it is
   * done, has failed or --wait-timeout has passed (exit 10 for those two). A terminal sees the
   * progress line change in place; piped output gets only the outcome; -m prints neither.
   */
  protected async waitFor(check: () => Promise<Progress>): Promise<void> {
    const f = this.flags as {async?: boolean, 'wait-timeout'?: number}
    if (f.async) return
    const end = f['wait-timeout'] ? Date.now() + f['wait-timeout'] * 1000 : Infinity
    const tty = process.stdout.isTTY === true && !this.machineReadable
    let shown = ''
    for (;;) {
      const p = await check()
      const timedOut = p.state === 'waiting' && Date.now() >= end
      if (p.state !== 'waiting' || timedOut) {
        if (shown) process.stdout.write('\r\x1b[K')
        const text = timedOut ? `Gave up waiting after ${f['wait-timeout']} s: ${p.text}` : p.text
        // With -m the JSON stays parseable: the exit code tells.
        if (!this.machineReadable && p.state === 'done') {
          if (text) this.log(text)
        }
        else if (!this.machineReadable) process.stderr.write(`${this.colour ? `\x1b[31m${text}\x1b[0m` : text}\n`)
        if (p.state !== 'done') this.exit(EXIT_API_ERROR)
        return
      }
      if (tty && p.text !== shown) {
        // One line, cut to the terminal's width: a wrapped line could not be rewritten in place.
        process.stdout.write(`\r\x1b[K${p.text.slice(0, Math.max(20, (process.stdout.columns || 80) - 1))}`)
        shown = p.text
      }
      await new Promise((r) => setTimeout(r, 500))
    }
  }

  /**
   * Waits until the resources of `rd` (those on `nodes`, or all) are ready. Nodes whose satellites
   * are not connected set theirs up when they reconnect: no wait is for them.
   */
  protected async waitForResources(rd: string, nodes?: readonly string[]): Promise<void> {
    let offline: Set<string> | undefined
    await this.waitFor(async () => {
      offline ??= await this.offlineNodes()
      return resourcesReady(rd, await this.get<ResourceWithVolumes[]>('/v1/view/resources', {resources: [rd]}), {nodes, offline})
    })
  }

  /** Nodes whose satellites are not connected. */
  protected async offlineNodes(): Promise<Set<string>> {
    return new Set((await this.get<Node[]>('/v1/nodes')).filter((n) => n.connection_status !== 'ONLINE').map((n) => n.name ?? ''))
  }

  protected replies(list: ApiCallRc[]): void {
    if (this.machineReadable) this.log(stringify([list]))
    else if (list.length) this.log(formatReplies(list, this.colour))
    if (this.flags['warn-as-error'] && list.some((r) => isWarning(r.ret_code))) this.exit(EXIT_API_ERROR)
  }

  protected override async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    if (err instanceof ApiError) {
      if (this.flags?.['machine-readable']) this.log(stringify([err.replies]))
      else process.stderr.write(formatReplies(err.replies.length ? err.replies : [{ret_code: -4611686018427386906n, message: err.message}], this.colour) + '\n')
      return this.exit(EXIT_API_ERROR)
    }
    if (err instanceof ConnectionError) {
      process.stderr.write(`Error: ${err.message}\n`)
      return this.exit(EXIT_CONNECTION)
    }
    return super.catch(err)
  }
}
