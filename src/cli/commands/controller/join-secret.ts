import {Command, Flags} from '@oclif/core'
import {readSecret} from '../../../daemon/cluster-secret.ts'

export default class ControllerJoinSecret extends Command {
  static override summary = "Print the cluster secret a new satellite needs (put it in the satellite's <data-dir>/cluster-secret)"
  static override flags = {'data-dir': Flags.string({description: 'controller data directory', default: '/var/lib/cairn'})}

  async run(): Promise<void> {
    const {flags} = await this.parse(ControllerJoinSecret)
    const secret = await readSecret(flags['data-dir'], '')
    if (!secret) this.error(`no cluster secret in ${flags['data-dir']}; start the controller once to create it`, {exit: 1})
    this.log(secret)
  }
}
