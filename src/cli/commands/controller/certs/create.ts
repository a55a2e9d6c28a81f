import {Command, Flags} from '@oclif/core'
import {hostname} from 'node:os'
import {clusterPlan} from '../../../../controller/auth/certificates.ts'
import {issueCertificates} from '../../../../controller/auth/issue-certificates.ts'

export default class ControllerCertsCreate extends Command {
  static override summary = 'Make a CA, an HTTPS server certificate and client certificates for the REST API (with openssl)'
  static override description = 'Writes ca.pem, server.pem and server-key.pem (and client-<user>.pem with its key per --client) ' +
    'into --out-dir. The controller turns HTTPS on at its next start when server.pem and server-key.pem are in <data-dir>/tls, the ' +
    'default; set https.client_ca to ca.pem to make callers authenticate with client certificates.'
  static override flags = {
    'out-dir': Flags.string({description: 'directory for the files', default: '/var/lib/cairn/tls'}),
    name: Flags.string({description: 'host name or IP address clients use to reach the controller (repeatable; default: this host, localhost, 127.0.0.1, ::1)', multiple: true}),
    client: Flags.string({description: 'user name of a client certificate to make (repeatable)', multiple: true}),
    days: Flags.integer({description: 'validity of the server and client certificates', default: 825, min: 1}),
    force: Flags.boolean({description: 'replace existing files'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ControllerCertsCreate)
    const {createRun} = await import('../../../../satellite/exec.ts')
    const {createLogger} = await import('../../../../common/log.ts')
    const names = flags.name?.length ? flags.name : [hostname(), 'localhost', '127.0.0.1', '::1']
    let plan
    try {
      plan = clusterPlan(flags['out-dir'], {names, clients: flags.client ?? [], days: flags.days})
      await issueCertificates(plan, createRun(createLogger({level: 'error', format: 'text'})), flags.force)
    } catch (e) {
      return this.error((e as Error).message, {exit: 1})
    }
    this.log(`Written: ${plan.files.join(', ')}`)
    this.log(`Server certificate names: ${names.join(', ')}`)
    this.log('Clients verify the controller with --cafile ca.pem (or LS_ROOT_CA_FILE); keep ca-key.pem offline once all certificates are made.')
  }
}
