import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import {readPassphrases} from '../../passphrase-input.ts'

export default class EncryptionCreatePassphrase extends BaseCommand<typeof EncryptionCreatePassphrase> {
  static override summary = 'Create the master passphrase that protects volume keys and other secrets'
  static override flags = {passphrase: Flags.string({char: 'p', description: 'the passphrase (else asked on the terminal, or read from standard input)'})}

  async run(): Promise<void> {
    const [passphrase] = await readPassphrases([{prompt: 'Passphrase: ', confirm: 'Reenter passphrase: '}], [this.flags.passphrase]).catch((e: Error) => this.usage(e.message))
    await this.mutate('POST', '/v1/encryption/passphrase', {new_passphrase: passphrase})
  }
}
