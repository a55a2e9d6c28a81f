import {BaseCommand} from '../../base-command.ts'

export default class ControllerWhich extends BaseCommand<typeof ControllerWhich> {
  static override summary = 'Show the controller this client talks to'

  async run(): Promise<void> {
    const url = this.connection.urls[0] as string
    this.log(this.machineReadable ? JSON.stringify({controller_uri: url}) : url)
  }
}
