// `cairn nomad volume-spec RG --id ID`: the Nomad CSI volume specification (`nomad volume create
// <file>`) for a volume of a resource group, served by `cairn csi`. The spec repeats the group's
// placement as linstor-csi parameters, since the plugin re-applies them to the group.
import {Flags} from '@oclif/core'
import type {ResourceGroup} from '../../../api/wire.ts'
import {nomadVolumeSpec, type NomadAccessMode, type NomadAttachmentMode} from '../../../../drivers/nomad/volume-spec.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

export default class NomadVolumeSpec extends BaseCommand<typeof NomadVolumeSpec> {
  static override summary = 'Print a Nomad CSI volume specification for a volume of a resource group'
  static override description = 'Save it to a file and run `nomad volume create <file>`. Sizes as Nomad reads them (10GiB, 500MiB).'
  static override examples = ['<%= config.bin %> nomad volume-spec default-resource --id vol1 --capacity-min 1GiB --capacity-max 1GiB > vol1.hcl']

  static override args = {resource_group: arg('resource group the volume is spawned from')}
  static override flags = {
    id: Flags.string({required: true, description: 'Nomad volume id (what jobs name as the volume source)'}),
    name: Flags.string({description: 'volume name sent to the plugin (the resource definition name when LINSTOR accepts it; default: the id)'}),
    namespace: Flags.string({description: 'Nomad namespace'}),
    'capacity-min': Flags.string({description: 'smallest acceptable size'}),
    'capacity-max': Flags.string({description: 'largest acceptable size'}),
    'access-mode': Flags.string({description: 'access mode (default single-node-writer)',
      options: ['single-node-reader-only', 'single-node-writer', 'multi-node-reader-only', 'multi-node-single-writer', 'multi-node-multi-writer']}),
    'attachment-mode': Flags.string({description: 'attachment mode (default file-system)', options: ['file-system', 'block-device']}),
    'fs-type': Flags.string({description: 'filesystem of a file-system volume (default ext4)', options: ['ext4', 'xfs']}),
    'mount-flag': Flags.string({multiple: true, description: 'mount flag of a file-system volume (repeatable)'}),
    'plugin-id': Flags.string({description: 'CSI plugin id of the Nomad jobs (default linstor.csi.linbit.com)'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    const group = await this.get<ResourceGroup>(path`/v1/resource-groups/${this.args.resource_group}`)
    const spec = this.checked(() => nomadVolumeSpec(group, {
      id: f.id, name: f.name, namespace: f.namespace, pluginId: f['plugin-id'], capacityMin: f['capacity-min'], capacityMax: f['capacity-max'],
      accessMode: f['access-mode'] as NomadAccessMode | undefined, attachmentMode: f['attachment-mode'] as NomadAttachmentMode | undefined,
      fsType: f['fs-type'], mountFlags: f['mount-flag'],
    }))
    process.stdout.write(spec)
  }
}
