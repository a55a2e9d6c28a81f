import {Args, Command} from '@oclif/core'
import {completionScript, SHELLS, type Shell} from '../completion-scripts.ts'

export default class CompletionCommand extends Command {
  static override summary = 'Print the shell completion script for bash or zsh'
  static override description = 'bash: `source <(cairn completion bash)` in ~/.bashrc, or save it as /etc/bash_completion.d/cairn. ' +
    'zsh: `source <(cairn completion zsh)` after compinit, or save it as _cairn in a directory of $fpath. ' +
    'At every Tab the script asks cairn itself: command words (with the linstor aliases), flags and their values, and the names of ' +
    'nodes, resource definitions, resource groups and storage pools from the controller (--controllers, LS_CONTROLLERS or client.conf).'
  static override args = {shell: Args.string({required: true, options: [...SHELLS], ignoreStdin: true, description: 'the shell'})}

  async run(): Promise<void> {
    const {args} = await this.parse(CompletionCommand)
    this.log(completionScript(args.shell as Shell, this.config.bin).trimEnd())
  }
}
