// FILE_THIN: sparse files; space is used only as data is written.
import {truncate} from 'node:fs/promises'
import {fileBackedProvider} from './file-backed.ts'
import type {ProviderDeps, StorageProvider} from './provider.ts'

export const fileThinProvider = (deps: ProviderDeps): StorageProvider =>
  fileBackedProvider('FILE_THIN', deps, (_deps, file, bytes) => truncate(file, bytes), true)
