import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import {readPassphrases} from '../../passphrase-input.ts'

export default class EncryptionEnterPassphrase extends BaseCommand<typeof EncryptionEnterPassphrase> {
  static override summary = 'Enter the master passphrase (needed after every controller restart without automatic unlock)'
  static override flags = {passphrase: Flags.string({char: 'p', description: 'the passphrase (else asked on the terminal, or read from standard input)'})}

  async run(): Promise<void> {
    const [passphrase] = await readPassphrases([{prompt: 'Passphrase: '}], [this.flags.passphrase]).catch((e: Error) => this.usage(e.message))
    // The body is the passphrase itself, as a JSON string (PassPhraseEnter).
    await this.mutate('PATCH', '/v1/encryption/passphrase', passphrase)
  }
}
