// The base of every client command: controller selection, output switches, and one place that
// turns errors into the linstor client's exit codes (10 API error, 20 connection problem).
import {Command, Flags, type Interfaces} from '@oclif/core'
import {ApiError, ConnectionError, LinstorClient} from '../api/client.ts'
import type {ApiCallRc} from '../common/api-call-rc.ts'
import {omitEmpty, stringify} from '../common/json.ts'
import {formatReplies} from './replies.ts'
import {renderTable, type Row} from './table.ts'

export const EXIT_API_ERROR = 10
export const EXIT_CONNECTION = 20

/** "host", "host:port", "[v6]:port" or a URL → a base URL; 3370 by default. */
export function controllerUrl(spec: string): string {
  const first = spec.split(',')[0]?.trim() || 'localhost'
  if (/^https?:\/\//.test(first)) return first
  const port = /^\[.*\]:(\d+)$|^[^:]+:(\d+)$/.exec(first)
  return port ? `http://${first}` : `http://${first.includes(':') ? `[${first}]` : first}:3370`
}

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    controllers: Flags.string({helpGroup: 'GLOBAL', description: 'controller to talk to (host[:port] or URL); default $LS_CONTROLLERS or localhost:3370'}),
    'machine-readable': Flags.boolean({char: 'm', helpGroup: 'GLOBAL', description: 'print the REST objects as JSON'}),
    'no-color': Flags.boolean({helpGroup: 'GLOBAL', description: 'no colours in output'}),
    'no-utf8': Flags.boolean({helpGroup: 'GLOBAL', description: 'ASCII table borders'}),
  }

  protected flags!: Interfaces.InferredFlags<typeof BaseCommand['baseFlags'] & T['flags']>
  protected args!: Interfaces.InferredArgs<T['args']>

  public override async init(): Promise<void> {
    await super.init()
    const {flags, args} = await this.parse({flags: this.ctor.flags, baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      args: this.ctor.args, strict: this.ctor.strict})
    this.flags = flags as typeof this.flags
    this.args = args as typeof this.args
  }

  protected get api(): LinstorClient {
    return new LinstorClient(controllerUrl(this.flags.controllers ?? process.env.LS_CONTROLLERS ?? 'localhost'))
  }

  protected get colour(): boolean {
    return !this.flags['no-color'] && !process.env.NO_COLOR && process.stdout.isTTY === true
  }

  /** Prints a table, or the raw objects with -m. */
  protected table(objects: unknown[], headers: string[], rows: Row[]): void {
    if (this.flags['machine-readable']) this.log(stringify(omitEmpty(objects)))
    else this.log(renderTable(headers, rows, {utf8: !this.flags['no-utf8'], colour: this.colour}))
  }

  protected replies(list: ApiCallRc[]): void {
    if (this.flags['machine-readable']) this.log(stringify([list]))
    else if (list.length) this.log(formatReplies(list, this.colour))
  }

  protected override async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    if (err instanceof ApiError) {
      process.stderr.write(formatReplies(err.replies.length ? err.replies : [{ret_code: -4611686018427386906n, message: err.message}], this.colour) + '\n')
      return this.exit(EXIT_API_ERROR)
    }
    if (err instanceof ConnectionError) {
      process.stderr.write(`Error: ${err.message}\n`)
      return this.exit(EXIT_CONNECTION)
    }
    return super.catch(err)
  }
}
