import {DaemonCommand} from '../daemon-command.ts'

export default class Combined extends DaemonCommand {
  static override summary = 'Run the controller (REST API on 3370) and the satellite (3366) in one process; on first start registers this host as a COMBINED node with a FILE_THIN pool'
  protected readonly mode = 'combined' as const
}
