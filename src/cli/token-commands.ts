// `cairn controller token …`: the REST API's bearer tokens. A new token is shown once; --save
// writes it as LINSTOR's auth.json ({"token": …}, mode 0600), which clients on the host then use.
import {Flags, type Command} from '@oclif/core'
import {writeFile} from 'node:fs/promises'
import type {AuthTokenView} from '../controller/model/auth-token.ts'
import type {ApiCallRc} from '../common/api-call-rc.ts'
import {arg, pastableFlags} from './args.ts'
import {BaseCommand, path} from './base-command.ts'
import {timestamp} from './format.ts'

const saveFlag = {save: Flags.string({description: 'write the new token to this file as auth.json (e.g. /var/lib/linstor.d/auth.json)'})}

abstract class NewTokenCommand<T extends typeof Command> extends BaseCommand<T> {
  protected async saveAndPrint(replies: ApiCallRc[], save: string | undefined): Promise<void> {
    const token = replies.find((r) => r.obj_refs?.token)?.obj_refs?.token
    if (save && token) await writeFile(save, JSON.stringify({token}) + '\n', {mode: 0o600})
    this.replies(replies)
    if (save && token) this.log(`Token saved to ${save}.`)
  }
}

export class TokenInit extends NewTokenCommand<typeof TokenInit> {
  static override summary = 'Turn on token authentication: make the first token and (unless --no-https) HTTPS with a self-signed certificate'
  static override flags = {...saveFlag, description: Flags.string({description: 'description of the first token', default: 'init-client'}),
    'no-https': Flags.boolean({description: 'do not turn HTTPS on'})}

  async run(): Promise<void> {
    const f = this.flags
    await this.saveAndPrint(await this.send('POST', '/v1/controller/auth/initialize-token-auth',
      {description: f.description, no_https: f['no-https'] === true, only_satellites: false}), f.save)
  }
}

export class TokenCreate extends NewTokenCommand<typeof TokenCreate> {
  static override summary = 'Make a bearer token for the REST API'
  static override flags = {...saveFlag, description: Flags.string({description: 'what the token is for', required: true}),
    'expires-at': Flags.string({description: 'last day (YYYY-MM-DD, UTC) the token is valid; it expires at the start of that day, as in LINSTOR'}),
    'ip-filter': Flags.string({description: 'only accept the token from this IP address'}),
    'read-only': Flags.boolean({description: 'the token may only read (GET requests and queries)'})}

  async run(): Promise<void> {
    const f = this.flags
    await this.saveAndPrint(await this.send('POST', '/v1/controller/auth/token',
      {description: f.description, expires_at: f['expires-at'], ip_filter: f['ip-filter'], read_only: f['read-only'] || undefined}), f.save)
  }
}

export class TokenList extends BaseCommand<typeof TokenList> {
  static override summary = 'List the bearer tokens (never the tokens themselves)'
  static override flags = pastableFlags

  async run(): Promise<void> {
    const {list} = await this.get<{list: AuthTokenView[]}>('/v1/controller/auth/token')
    const when = (iso: string | undefined): string => (iso ? timestamp(Date.parse(iso)) : '')
    this.table(list, ['Id', 'Description', 'Active', 'Access', 'Created', 'Expires', 'IP filter'], list.map((t) =>
      [String(t.id), t.description, t.is_active ? 'yes' : 'no', t.read_only ? 'read-only' : 'full', when(t.created_at), when(t.expires_at), t.ip_filter ?? '']))
  }
}

export class TokenModify extends BaseCommand<typeof TokenModify> {
  static override summary = 'Change a token\'s description or IP filter, or disable and enable it'
  static override args = {id: arg('token id, as `token list` shows it')}
  static override flags = {description: Flags.string({description: 'new description'}), 'ip-filter': Flags.string({description: 'new IP filter'}),
    active: Flags.boolean({description: 'enable (--active) or disable (--no-active) the token', allowNo: true})}

  async run(): Promise<void> {
    const f = this.flags as {description?: string, 'ip-filter'?: string, active?: boolean}
    await this.mutate('PUT', path`/v1/controller/auth/token/${(this.args as {id: string}).id}`,
      {description: f.description, ip_filter: f['ip-filter'], is_active: f.active})
  }
}

export class TokenRevoke extends BaseCommand<typeof TokenRevoke> {
  static override summary = 'Revoke a token for good'
  static override args = {id: arg('token id, as `token list` shows it')}

  async run(): Promise<void> {
    await this.mutate('DELETE', path`/v1/controller/auth/token/${(this.args as {id: string}).id}`)
  }
}
