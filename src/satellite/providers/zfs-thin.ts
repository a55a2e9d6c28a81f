// ZFS_THIN: sparse zvols (`zfs create -s`), taking pool space only as data is written; otherwise
// the ZFS provider, under the pool property StorDriver/ZPoolThin.
import type {ProviderDeps, StorageProvider} from './provider.ts'
import {type ZfsHost, zfsBackedProvider} from './zfs.ts'

export const zfsThinProvider = (deps: ProviderDeps, host?: Partial<ZfsHost>): StorageProvider =>
  zfsBackedProvider({kind: 'ZFS_THIN', poolKey: 'StorDriver/ZPoolThin', thin: true}, deps, host)
