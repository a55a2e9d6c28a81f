import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import {readPassphrases} from '../../passphrase-input.ts'

export default class EncryptionModifyPassphrase extends BaseCommand<typeof EncryptionModifyPassphrase> {
  static override summary = 'Change the master passphrase; existing encrypted volumes keep working'
  static override flags = {
    'old-passphrase': Flags.string({description: 'the current passphrase (else asked, or the first line of standard input)'}),
    'new-passphrase': Flags.string({description: 'the new passphrase (else asked, or the next line of standard input)'}),
  }

  async run(): Promise<void> {
    const [oldPassphrase, newPassphrase] = await readPassphrases(
      [{prompt: 'Old passphrase: '}, {prompt: 'New passphrase: ', confirm: 'Retype new passphrase: '}],
      [this.flags['old-passphrase'], this.flags['new-passphrase']]).catch((e: Error) => this.usage(e.message))
    await this.mutate('PUT', '/v1/encryption/passphrase', {old_passphrase: oldPassphrase, new_passphrase: newPassphrase})
  }
}
