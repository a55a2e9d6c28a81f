import {DaemonCommand} from '../daemon-command.ts'

export default class Satellite extends DaemonCommand {
  static override summary = 'Run the satellite alone: creates volumes and reports state to an authenticated controller (3366)'
  protected readonly mode = 'satellite' as const
}
