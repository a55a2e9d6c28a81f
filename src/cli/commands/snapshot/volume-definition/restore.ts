import {BaseCommand, path} from '../../../base-command.ts'
import {restoreFlags} from '../restore-flags.ts'

export default class SnapshotVolumeDefinitionRestore extends BaseCommand<typeof SnapshotVolumeDefinitionRestore> {
  static override summary = 'Create the volume definitions of a snapshot (numbers and sizes) in another resource definition'
  static override flags = restoreFlags

  async run(): Promise<void> {
    const f = this.flags
    await this.mutate('POST', path`/v1/resource-definitions/${f['from-resource']}/snapshot-restore-volume-definition/${f['from-snapshot']}`,
      {to_resource: f['to-resource']})
  }
}
