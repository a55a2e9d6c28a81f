import {Command, Flags} from '@oclif/core'
import {readFile, writeFile} from 'node:fs/promises'
import {arg} from '../../../args.ts'
import {hashPassword, upsertUser, USER_NAME} from '../../../../controller/auth/users-file.ts'
import {readPassphrases} from '../../../passphrase-input.ts'

export default class ControllerUserAdd extends Command {
  static override summary = 'Add a user (or set a user\'s password) in the controller\'s HTTP Basic user file'
  static override description = 'The password is asked on the terminal, or read as one line from standard input. ' +
    'The controller re-reads the file within seconds; name it with --users-file (users_file in [auth] of cairn.toml).'
  static override args = {name: arg('user name')}
  static override flags = {
    'users-file': Flags.string({description: 'the user file', default: '/etc/cairn/users'}),
    'read-only': Flags.boolean({description: 'the user may only read (GET requests and queries)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ControllerUserAdd)
    if (!USER_NAME.test(args.name)) this.error(`'${args.name}' is not a valid user name (letters, digits, _ . @ -; at most 64)`, {exit: 2})
    try {
      const [password] = await readPassphrases([{prompt: 'Password: ', confirm: 'Password again: '}], [undefined])
      const old = await readFile(flags['users-file'], 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)))
      await writeFile(flags['users-file'], upsertUser(old, {name: args.name, hash: hashPassword(password as string), readOnly: flags['read-only']}), {mode: 0o600})
    } catch (e) {
      return this.error((e as Error).message, {exit: 1})
    }
    this.log(`User '${args.name}' saved in ${flags['users-file']}${flags['read-only'] ? ' (read-only)' : ''}.`)
  }
}
