// The unwrapped master key, held only in controller memory: set when the passphrase is created,
// entered or modified, gone with the process. Everything that needs it asks here.

export interface CryptHolder {
  /** The master key while unlocked; undefined while the passphrase is unset or locked. */
  masterKey(): Buffer | undefined
  set(key: Buffer | undefined): void
}

export function createCryptHolder(): CryptHolder {
  let key: Buffer | undefined
  return {
    masterKey: () => key,
    set: (k) => {
      key = k
    },
  }
}
