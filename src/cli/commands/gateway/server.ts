import {createServer} from 'node:http'
import {Flags} from '@oclif/core'
import {close, listen} from '../../../daemon/listen.ts'
import {BaseCommand} from '../../base-command.ts'

export default class GatewayServer extends BaseCommand<typeof GatewayServer> {
  static override summary = "Serve linstor-gateway's REST API v2 (default port 8337) for existing gateway clients and scripts"
  static override description = 'Keeps no state: every request is answered from the controller named by --controllers / LS_CONTROLLERS.'
  static override flags = {
    addr: Flags.string({description: 'listen address, host:port (":8337" = all addresses)', default: ':8337'}),
  }

  async run(): Promise<void> {
    const m = /^(.*):(\d+)$/.exec(this.flags.addr)
    if (!m) this.usage(`--addr '${this.flags.addr}' is not host:port`)
    const host = (m[1] ?? '').replace(/^\[|\]$/g, '') || '::'
    // Loaded here, not at the top: express would otherwise slow every other command's start.
    const [{gatewayApi}, {gatewayService}] = await Promise.all([import('../../../../gateway/gateway-api.ts'), import('../../../../gateway/gateway-service.ts')])
    const server = createServer(gatewayApi(gatewayService(this.api)))
    const address = await listen(server, host, Number(m[2]))
    this.log(`gateway REST API v2 listening on ${address}, controller ${this.api.base}`)
    await new Promise<void>((resolve) => {
      for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => resolve())
    })
    await close(server)
  }
}
