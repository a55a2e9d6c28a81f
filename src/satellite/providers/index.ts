// The table from provider kind to implementation. Kinds not listed are reported as unsupported.
import {disklessProvider} from './diskless.ts'
import {fileThinProvider} from './file-thin.ts'
import {fileProvider} from './file.ts'
import {lvmThinProvider} from './lvm-thin.ts'
import {lvmProvider} from './lvm.ts'
import type {ProviderDeps, StorageProvider} from './provider.ts'
import {zfsThinProvider} from './zfs-thin.ts'
import {zfsProvider} from './zfs.ts'

export function providerTable(deps: ProviderDeps): Map<string, StorageProvider> {
  return new Map([disklessProvider(), fileProvider(deps), fileThinProvider(deps), lvmProvider(deps), lvmThinProvider(deps),
    zfsProvider(deps), zfsThinProvider(deps)].map((p) => [p.kind, p]))
}
