import {BaseCommand} from '../../base-command.ts'

export default class ControllerVersion extends BaseCommand<typeof ControllerVersion> {
  static override summary = 'Show the controller version'

  async run(): Promise<void> {
    const v = await this.api.version()
    if (this.flags['machine-readable']) this.log(JSON.stringify(v))
    else this.log(`linstor controller ${v.version}; GIT-hash: ${v.git_hash ?? ''}`)
  }
}
