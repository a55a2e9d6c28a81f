import {BaseCommand, controllerUrl} from '../../base-command.ts'

export default class ControllerWhich extends BaseCommand<typeof ControllerWhich> {
  static override summary = 'Show the controller this client talks to'

  async run(): Promise<void> {
    const url = controllerUrl(this.flags.controllers ?? process.env.LS_CONTROLLERS ?? 'localhost')
    this.log(this.machineReadable ? JSON.stringify({controller_uri: url}) : url)
  }
}
