// LVM_THIN: thin volumes in one thin pool of a volume group; space is used only as data is
// written. Snapshots, restores and clones are thin snapshots, which share the pool's blocks.
import {type LvmHost, lvmBackedProvider, realHost} from './lvm.ts'
import type {ProviderDeps, StorageProvider} from './provider.ts'

export const lvmThinProvider = (deps: ProviderDeps, host: LvmHost = realHost): StorageProvider => lvmBackedProvider('LVM_THIN', deps, host)
