// `<group> delete …`: one DELETE per named object (linstor lets several names be given), all
// replies printed together, exit 10 if any failed.
import type {Command} from '@oclif/core'
import type {ArgInput, FlagInput} from '@oclif/core/interfaces'
import type {Query} from '../api/client.ts'
import {asyncFlag} from './args.ts'
import {BaseCommand} from './base-command.ts'

export interface DeleteSpec {
  summary: string
  description?: string
  args: ArgInput
  flags?: FlagInput
  /** The DELETE calls to make, from the parsed arguments and flags. */
  targets: (args: Record<string, unknown>, flags: Record<string, unknown>) => {path: string, query?: Query}[]
}

export function deleteCommand(spec: DeleteSpec): typeof Command {
  return class Delete extends BaseCommand<typeof Command> {
    static override summary = spec.summary
    static override description = spec.description
    static override args = spec.args
    static override flags = {...asyncFlag, ...spec.flags}

    async run(): Promise<void> {
      await this.mutateEach(spec.targets(this.args, this.flags), (t) => this.send('DELETE', t.path, undefined, t.query))
    }
  }
}
