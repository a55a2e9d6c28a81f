import {DaemonCommand} from '../daemon-command.ts'

export default class Controller extends DaemonCommand {
  static override summary = 'Run the controller alone: cluster state, placement and the REST API (3370)'
  protected readonly mode = 'controller' as const
}
