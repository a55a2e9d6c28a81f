// TLS for the controller ↔ satellite link (3367), keyed by the cluster secret (TLS-PSK): no
// certificates to issue or rotate, and only a peer that holds the secret completes a handshake.
// ECDHE-PSK suites give forward secrecy. Node offers PSK with TLS 1.2 only, hence the pin.
import {createHash, hkdfSync} from 'node:crypto'
import type {ConnectionOptions, TlsOptions} from 'node:tls'

const CIPHERS = 'ECDHE-PSK-CHACHA20-POLY1305:ECDHE-PSK-AES256-CBC-SHA384'
export const PSK_IDENTITY = 'cairn-controller'

/** A key for the link alone, so the secret itself never enters a TLS library. */
export const pskKey = (secret: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, 'cairn', 'satellite link TLS-PSK', 32))

/**
 * The identity names which key the controller uses (a hash of it, never the key), so that a
 * satellite holding two secrets during a rotation picks the right one.
 */
const identityOf = (key: Buffer): string => `${PSK_IDENTITY}/${createHash('sha256').update(key).digest('hex').slice(0, 16)}`

/** `secrets()` answers the accepted secrets, the current one first; read at each handshake. */
export function tlsServerOptions(secrets: () => readonly string[]): TlsOptions {
  return {ciphers: CIPHERS, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2',
    pskCallback: (_socket, identity) => {
      const keys = secrets().map(pskKey)
      // A bare identity comes from a controller of an earlier Cairn version: the current key.
      return (identity === PSK_IDENTITY ? keys[0] : keys.find((k) => identityOf(k) === identity)) ?? null
    }}
}

export function tlsClientOptions(secret: string): ConnectionOptions {
  const key = pskKey(secret)
  return {ciphers: CIPHERS, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2',
    // The PSK authenticates the satellite; there is no certificate whose name could be checked.
    checkServerIdentity: () => undefined, pskCallback: () => ({psk: key, identity: identityOf(key)})}
}
