// Name-based UUIDs (RFC 4122 version 5, SHA-1), equal to Go's uuid.NewSHA1 and Python's uuid5.
// The gateway derives stable NFS fsids and NVMe namespace IDs from LINSTOR's UUIDs with them, so
// a failover exports the same identifiers from every node.

import {createHash} from 'node:crypto'

export const NIL_UUID = '00000000-0000-0000-0000-000000000000'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function uuidV5(namespace: string, name: string): string {
  if (!UUID.test(namespace)) throw new Error(`invalid UUID '${namespace}'`)
  const digest = createHash('sha1').update(Buffer.from(namespace.replaceAll('-', ''), 'hex')).update(name, 'utf8').digest()
  const b = Uint8Array.from(digest.subarray(0, 16))
  b[6] = ((b[6] as number) & 0x0f) | 0x50
  b[8] = ((b[8] as number) & 0x3f) | 0x80
  const hex = Buffer.from(b).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** v5(v5(v5(nil, domain), resource UUID), volume UUID): the chain upstream uses per kind. */
export function volumeUuid(domain: string, resourceUuid: string, volUuid: string): string {
  return uuidV5(uuidV5(uuidV5(NIL_UUID, domain), resourceUuid), volUuid)
}
