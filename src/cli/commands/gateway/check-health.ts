// `gateway check-health`: whether this node has what gateway targets need (drbd-reactor, resource
// agents, iSCSI/NVMe-oF/NFS tools, a satellite that may write promoter files), with a fix for
// every problem. Run it on each gateway node; it looks at this host only.
import {Flags} from '@oclif/core'
import {evaluateHealth, formatHealthReport, issueCount, parseIscsiBackends} from '../../../../gateway/check-health.ts'
import {probeHost} from '../../../../gateway/host-probe.ts'
import {stringify} from '../../../common/json.ts'
import {BaseCommand} from '../../base-command.ts'

export default class GatewayCheckHealth extends BaseCommand<typeof GatewayCheckHealth> {
  static override summary = 'Check that this node has the prerequisites of gateway targets'
  static override description = 'Exits 1 when something is missing. For iSCSI one complete backend is enough.'
  static override flags = {
    'iscsi-backends': Flags.string({default: 'lio-t,scst', description: 'iSCSI implementations that may be used (comma-separated: lio-t, scst)'}),
  }

  async run(): Promise<void> {
    const backends = this.checked(() => parseIscsiBackends(this.flags['iscsi-backends']))
    const checks = evaluateHealth(await probeHost(), {iscsiBackends: backends})
    const issues = issueCount(checks)
    if (this.machineReadable) this.log(stringify({checks, issues}))
    else this.log(formatHealthReport(checks, {utf8: !this.flags['no-utf8']}))
    if (issues) this.error(`found ${issues} issue${issues === 1 ? '' : 's'}`, {exit: 1})
  }
}
