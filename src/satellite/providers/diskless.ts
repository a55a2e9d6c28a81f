// DISKLESS: no local storage; DRBD clients and tie-breakers live in such pools.
import type {StorageProvider} from './provider.ts'

/** LINSTOR reports Long.MAX_VALUE KiB for diskless pools; clients expect it. */
export const DISKLESS_CAPACITY = 9223372036854775807n

export const disklessProvider = (): StorageProvider => ({
  kind: 'DISKLESS',
  probe: async () => [],
  capacity: async () => ({freeKib: Number.MAX_SAFE_INTEGER, totalKib: Number.MAX_SAFE_INTEGER}),
  list: async () => [],
  create: async (pool) => {
    throw new Error(`Storage pool '${pool.name}' is diskless and cannot hold a volume`)
  },
  remove: async () => undefined,
})
