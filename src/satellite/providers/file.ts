// FILE: preallocated files (fallocate), so the space is reserved when the volume is created.
import {fileBackedProvider} from './file-backed.ts'
import type {ProviderDeps, StorageProvider} from './provider.ts'

export const fileProvider = (deps: ProviderDeps): StorageProvider =>
  fileBackedProvider('FILE', deps, async (d, file, bytes) => {
    await d.run('fallocate', ['--length', String(bytes), file])
  }, false)
