// `gateway iscsi …`: highly available iSCSI targets (one LUN per volume, CHAP optional).
import {Flags} from '@oclif/core'
import {ISCSI_IMPLEMENTATIONS} from '../../../../gateway/iscsi-target.ts'
import {iscsiKind} from '../../../../gateway/target-kinds.ts'
import {arg, listOf, variadicArg} from '../../args.ts'
import {iscsiCreateInput} from '../../gateway-args.ts'
import {createFlags, GatewayCommand, gatewayCommands, resourceTimeoutFlag, type GatewayCliKind} from '../../gateway-command.ts'
import {iscsiView} from '../../gateway-rows.ts'
import type {IscsiResourceConfig} from '../../../../gateway/iscsi-target.ts'

const iscsi: GatewayCliKind<IscsiResourceConfig> = {
  kind: iscsiKind, what: 'iSCSI target', idTitle: 'IQN', columns: {id: 'IQN', volume: 'LUN'}, view: iscsiView,
  created: (c) => `Created iSCSI target '${c.iqn}'`,
}

class IscsiCreate extends GatewayCommand<typeof IscsiCreate> {
  static override summary = 'Create a highly available iSCSI target with one LUN per size'
  static override description = 'Sizes take units: K, M, G, T are binary, KB, MB, GB, TB decimal, KiB, MiB, GiB also work; no unit means bytes.'
  static override examples = ['<%= config.bin %> gateway iscsi create iqn.2019-08.com.linbit:example 192.168.122.181/24 1G -u chapuser -p s3cretpass12']
  static override args = {
    iqn: arg('IQN of the target: iqn.YYYY-MM.reversed.domain:name (the name becomes the LINSTOR resource)'),
    service_ips: arg('service IPs with prefix length, comma-separated (192.168.122.181/24)'),
    volume_sizes: variadicArg('sizes of the LUNs 1, 2, …', false),
  }
  static override flags = {
    ...createFlags, ...resourceTimeoutFlag,
    username: Flags.string({char: 'u', description: 'CHAP user name initiators must log in with'}),
    password: Flags.string({char: 'p', description: 'CHAP password (12 to 16 characters)'}),
    'allowed-initiators': Flags.string({multiple: true, multipleNonGreedy: true, description: 'IQNs of the initiators allowed to connect (comma-separated or repeated); default: all'}),
    implementation: Flags.string({options: [...ISCSI_IMPLEMENTATIONS], description: 'iSCSI target implementation; default: the resource agent\'s choice'}),
  }

  async run(): Promise<void> {
    const input = this.checked(() => iscsiCreateInput(
      {iqn: this.args.iqn, serviceIps: this.args.service_ips, sizes: listOf(this.args.volume_sizes)}, this.flags))
    await this.createTarget(iscsi, input)
  }
}

export const GatewayIscsi = {...gatewayCommands(iscsi), create: IscsiCreate}
