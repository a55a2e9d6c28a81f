// Changes a driver command makes through the REST API, worked out before the first one is sent:
// with --dry-run they are printed (method, path, body) and nothing is sent; otherwise they are
// made in order, each followed by what it did in words. The first failure stops the rest.
import {Flags, type Command} from '@oclif/core'
import type {ApiCallRc} from '../common/api-call-rc.ts'
import {omitEmpty, stringify} from '../common/json.ts'
import {BaseCommand} from './base-command.ts'

export interface PlannedCall {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  body?: unknown
  /** What the call does, printed once it succeeded (several lines allowed). */
  says: string
}

export const dryRunFlag = {
  'dry-run': Flags.boolean({description: 'print the REST calls (method, path, body) instead of making them'}),
}

/** The text --dry-run prints: each call's request line, then its body as it is sent. */
export function describeCalls(calls: readonly PlannedCall[]): string {
  return calls.map((c) => {
    const body = c.body === undefined ? '' : `\n${JSON.stringify(omitEmpty(c.body), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 2)}`
    return `${c.method} ${c.path}${body}`
  }).join('\n')
}

export abstract class PlanCommand<T extends typeof Command> extends BaseCommand<T> {
  /** Makes the calls (or prints them with --dry-run); with -m prints the controller's replies. */
  protected async apply(calls: readonly PlannedCall[], dryRun: boolean): Promise<void> {
    if (dryRun) {
      if (this.machineReadable) this.log(stringify(calls.map(({method, path, body}) => ({method, path, body: omitEmpty(body)}))))
      else if (calls.length > 0) this.log(describeCalls(calls))
      return
    }
    const replies: ApiCallRc[] = []
    for (const call of calls) {
      replies.push(...await this.send(call.method, call.path, call.body))
      if (!this.machineReadable) this.log(call.says)
    }
    if (this.machineReadable) this.log(stringify([replies]))
  }

  /** A line for the reader; left out of -m output, which stays JSON. */
  protected note(text: string): void {
    if (!this.machineReadable) this.log(text)
  }
}
