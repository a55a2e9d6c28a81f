// `gateway nvme …`: highly available NVMe-oF targets over TCP (one namespace per volume).
import {nvmeKind} from '../../../../gateway/target-kinds.ts'
import type {NvmeOfResourceConfig} from '../../../../gateway/nvme-target.ts'
import {arg, listOf, variadicArg} from '../../args.ts'
import {nvmeCreateInput} from '../../gateway-args.ts'
import {createFlags, GatewayCommand, gatewayCommands, resourceTimeoutFlag, type GatewayCliKind} from '../../gateway-command.ts'
import {nvmeView} from '../../gateway-rows.ts'

const nvme: GatewayCliKind<NvmeOfResourceConfig> = {
  kind: nvmeKind, what: 'NVMe-oF target', idTitle: 'NQN', columns: {id: 'NQN', volume: 'Namespace'}, view: nvmeView,
  created: (c) => `Created NVMe-oF target '${c.nqn}'`,
}

class NvmeCreate extends GatewayCommand<typeof NvmeCreate> {
  static override summary = 'Create a highly available NVMe-oF target with one namespace per size'
  static override description = 'Sizes take units: K, M, G, T are binary, KB, MB, GB, TB decimal, KiB, MiB, GiB also work; no unit means bytes.'
  static override examples = ['<%= config.bin %> gateway nvme create linbit:nvme:vol0 192.168.221.69/24 2G']
  static override args = {
    nqn: arg('NQN of the target: vendor:nvme:name or nqn.YYYY-MM.domain:name (the name becomes the LINSTOR resource)'),
    service_ip: arg('service IP with prefix length (192.168.221.69/24)'),
    volume_sizes: variadicArg('sizes of the namespaces 1, 2, …', true),
  }
  static override flags = {...createFlags, ...resourceTimeoutFlag}

  async run(): Promise<void> {
    const input = this.checked(() => nvmeCreateInput(
      {nqn: this.args.nqn, serviceIp: this.args.service_ip, sizes: listOf(this.args.volume_sizes)}, this.flags))
    await this.createTarget(nvme, input)
  }
}

export const GatewayNvme = {...gatewayCommands(nvme), create: NvmeCreate}
