import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'

export default class ControllerRotateSecret extends BaseCommand<typeof ControllerRotateSecret> {
  static override summary = 'Replace the cluster secret of the satellite link, without interrupting any satellite'
  static override description = 'Every satellite first learns the new secret and accepts both; then the controller switches and the old ' +
    'secret is retired. Satellites that take their secret from their configuration, or are offline, stop the rotation unless --force.'
  static override flags = {force: Flags.boolean({description: 'rotate even if some satellites cannot take the new secret (they then need it by hand)'})}

  async run(): Promise<void> {
    await this.mutate('POST', '/v1/controller/cluster-secret/rotate', {force: this.flags.force || undefined})
  }
}
