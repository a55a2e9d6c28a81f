// Automatic master passphrase at controller start ([encrypt] passphrase or MASTER_PASSPHRASE), as
// LINSTOR does it: none stored yet → create it; stored → enter it; a mismatch leaves the
// controller locked, as a wrong manual entry would, and says so in the log (without the secret).
import type {Logger} from '../common/log.ts'
import type {CryptHolder} from '../controller/crypt-holder.ts'
import {createPassphrase, cryptRecordOf, enterPassphrase} from '../controller/model/encryption.ts'
import type {Store} from '../controller/store/store.ts'

export async function autoUnlock(store: Store, crypt: CryptHolder, passphrase: string, log: Logger): Promise<void> {
  if (!passphrase) return
  try {
    if (cryptRecordOf(store.state)) {
      crypt.set(enterPassphrase(store.state, passphrase))
      log.info('master passphrase entered from the configuration')
    } else {
      const {masterKey, changes} = createPassphrase(store.state, passphrase)
      await store.commit(changes)
      crypt.set(masterKey)
      log.info('master passphrase created from the configuration')
    }
  } catch (e) {
    log.error('automatic entry of the master passphrase failed: the configured one does not match the stored one; ' +
      'the controller stays locked until it is entered (cairn encryption enter-passphrase)', {reason: (e as Error).message})
  }
}
