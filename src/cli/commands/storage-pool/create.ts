// `storage-pool create <kind> <node> <name> <driver pool>`: one command per provider kind, each
// putting the pool name into the kind's StorDriver/* properties.
import {Flags, type Command} from '@oclif/core'
import type {FlagInput} from '@oclif/core/interfaces'
import type {ProviderKind, StoragePool} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

/** The StorDriver/* properties that name the backing storage of a pool of this kind. */
export function driverProps(kind: ProviderKind, pool: string): Record<string, string> {
  switch (kind) {
    case 'LVM': return {'StorDriver/LvmVg': pool}
    case 'LVM_THIN': {
      const parts = pool.split('/')
      if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`Pool name '${pool}' does not have format VG/LV`)
      return {'StorDriver/LvmVg': parts[0], 'StorDriver/ThinPool': parts[1]}
    }
    case 'ZFS': return {'StorDriver/ZPool': pool}
    case 'ZFS_THIN': return {'StorDriver/ZPoolThin': pool}
    case 'FILE': case 'FILE_THIN': return {'StorDriver/FileDir': pool}
    default: return {}
  }
}

const poolHelp: Partial<Record<ProviderKind, string>> = {
  LVM: 'the LVM volume group to use', LVM_THIN: 'the LVM thin pool to use, as VG/LV', ZFS: 'the name of the zpool to use',
  ZFS_THIN: 'the name of the zpool to use', FILE: 'the directory to use', FILE_THIN: 'the directory to use',
}

function poolCreateCommand(kind: ProviderKind, what: string): typeof Command {
  const diskless = kind === 'DISKLESS'
  return class StoragePoolCreate extends BaseCommand<typeof Command> {
    static override summary = `Create ${what} storage pool`
    static override args = {
      node_name: arg('name of the node for the new storage pool'),
      name: arg('name of the new storage pool'),
      ...(diskless ? {} : {driver_pool_name: arg(poolHelp[kind] ?? 'backing storage')}),
    }
    static override flags: FlagInput = diskless ? {} : {
      'shared-space': Flags.string({description: 'identifier of backing storage shared by several nodes (for LVM the VG UUID)'}),
      'external-locking': Flags.boolean({description: "skip the internal locking for shared storage pools"}),
    }

    async run(): Promise<void> {
      const a = this.args as Record<string, string>
      const f = this.flags as {'shared-space'?: string, 'external-locking'?: boolean}
      const body: StoragePool = {storage_pool_name: a.name as string, provider_kind: kind,
        props: this.checked(() => driverProps(kind, a.driver_pool_name ?? '')),
        free_space_mgr_name: f['shared-space'], external_locking: f['external-locking'] || undefined}
      await this.mutate('POST', path`/v1/nodes/${a.node_name as string}/storage-pools`, body)
    }
  }
}

export const StoragePoolCreateLvm = poolCreateCommand('LVM', 'an LVM')
export const StoragePoolCreateLvmThin = poolCreateCommand('LVM_THIN', 'an LVM thin')
export const StoragePoolCreateZfs = poolCreateCommand('ZFS', 'a ZFS')
export const StoragePoolCreateZfsThin = poolCreateCommand('ZFS_THIN', 'a ZFS thin')
export const StoragePoolCreateFile = poolCreateCommand('FILE', 'a file')
export const StoragePoolCreateFileThin = poolCreateCommand('FILE_THIN', 'a file thin')
export const StoragePoolCreateDiskless = poolCreateCommand('DISKLESS', 'a diskless')
