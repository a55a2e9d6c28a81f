import {Flags} from '@oclif/core'
import type {PhysicalStorageCreate, ProviderKind} from '../../../api/wire.ts'
import {parseSize} from '../../../common/units.ts'
import {arg, listOf, variadicArg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

/** linstor's provider words for a device pool, any case: lvm, lvmthin, zfs, zfsthin (and spdk, which the controller refuses). */
const kinds: Record<string, ProviderKind> = {lvm: 'LVM', lvmthin: 'LVM_THIN', zfs: 'ZFS', zfsthin: 'ZFS_THIN', spdk: 'SPDK'}

export function devicePoolKind(word: string): ProviderKind {
  const kind = kinds[word.toLowerCase()]
  if (!kind) throw new Error(`Expected provider_kind to be one of ${Object.keys(kinds).join(', ')}, not '${word}'`)
  return kind
}

/** A VDO size as linstor reads it: a bare number is KiB. */
const sizeKibOf = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : Math.ceil(parseSize(text, 'KiB') / 1024)

/** Extra words for a tool that makes the pool, one word a value (`--vg-create-arguments=--addtag=x`), as linstor passes them. */
const createArguments = (tool: string) => Flags.string({multiple: true, description: `arguments to pass to ${tool}`})
const createArgumentFlags = {
  'pv-create-arguments': createArguments('pvcreate'), 'vg-create-arguments': createArguments('vgcreate'),
  'lv-create-arguments': createArguments('lvcreate'), 'zpool-create-arguments': createArguments('zpool create'),
}

export default class PhysicalStorageCreateDevicePool extends BaseCommand<typeof PhysicalStorageCreateDevicePool> {
  static override summary = 'Make unused disks of a node into an LVM or ZFS pool, optionally with a storage pool on it'
  static override description = 'Only disks that `physical-storage list` shows can be used. Without --pool-name the '
    + 'pool is named after the first device (linstor_sdb).'
  static override args = {
    provider_kind: arg(`kind of pool: ${Object.keys(kinds).join(', ')}`),
    node_name: arg('node with the disks'),
    device_paths: variadicArg('full paths of the disks, such as /dev/sdb', true),
  }
  static override flags = {
    'pool-name': Flags.string({description: 'name of the new pool: the volume group (lvm), the thin pool in volume group linstor_<name> (lvmthin), or the zpool'}),
    'storage-pool': Flags.string({description: 'also create a storage pool of this name on the new pool'}),
    'vdo-enable': Flags.boolean({description: 'put VDO under the pool (not supported by Cairn; refused)'}),
    'vdo-logical-size': Flags.string({description: 'VDO logical size'}),
    'vdo-slab-size': Flags.string({description: 'VDO slab size'}),
    sed: Flags.boolean({description: 'set the disks up as self-encrypting drives (not supported by Cairn; refused)'}),
    ...createArgumentFlags,
  }

  async run(): Promise<void> {
    const f = this.flags
    const body: PhysicalStorageCreate = this.checked(() => ({
      provider_kind: devicePoolKind(this.args.provider_kind), device_paths: listOf(this.args.device_paths), pool_name: f['pool-name'],
      vdo_enable: f['vdo-enable'] || undefined, vdo_logical_size_kib: sizeKibOf(f['vdo-logical-size']),
      vdo_slab_size_kib: sizeKibOf(f['vdo-slab-size']), sed: f.sed || undefined,
      with_storage_pool: f['storage-pool'] === undefined ? undefined : {name: f['storage-pool']},
      pv_create_arguments: f['pv-create-arguments'], vg_create_arguments: f['vg-create-arguments'],
      lv_create_arguments: f['lv-create-arguments'], zpool_create_arguments: f['zpool-create-arguments'],
    }))
    await this.mutate('POST', path`/v1/physical-storage/${this.args.node_name}`, body)
  }
}
