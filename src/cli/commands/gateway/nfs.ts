// `gateway nfs …`: highly available NFS exports (one file system per volume), served by the
// kernel NFS server (one export per cluster) or NFS-Ganesha.
import {Flags} from '@oclif/core'
import {exportDirectory, NFS_FILE_SYSTEMS, NFS_IMPLEMENTATIONS, type NfsResourceConfig} from '../../../../gateway/nfs-export.ts'
import {nfsKind} from '../../../../gateway/target-kinds.ts'
import {userVolumes} from '../../../../gateway/volume-config.ts'
import {arg, listOf, variadicArg} from '../../args.ts'
import {nfsCreateInput} from '../../gateway-args.ts'
import {createFlags, GatewayCommand, gatewayCommands, resourceTimeoutFlag, type GatewayCliKind} from '../../gateway-command.ts'
import {nfsAddress, nfsView} from '../../gateway-rows.ts'

const nfs: GatewayCliKind<NfsResourceConfig> = {
  kind: nfsKind, what: 'NFS export', idTitle: 'NAME', columns: {id: 'Resource', volume: 'NFS export'}, view: nfsView,
  created: (c) => userVolumes(c.volumes)
    .map((v) => `Created export '${c.name}' at ${nfsAddress(c.service_ip)}:${exportDirectory(c.name, v.export_path)}`).join('\n'),
}

class NfsCreate extends GatewayCommand<typeof NfsCreate> {
  static override summary = 'Create a highly available NFS export with one file system per size'
  static override description = 'Each volume is exported from /srv/gateway-exports/NAME/<export path>. One --export-path for several ' +
    'sizes becomes <path>/vol1, <path>/vol2, …; otherwise give one path per size. Sizes take units: K, M, G, T are binary, ' +
    'KB, MB, GB, TB decimal, KiB, MiB, GiB also work; no unit means bytes.'
  static override examples = ['<%= config.bin %> gateway nfs create nfstest 172.16.16.102/32 1G --allowed-ips 172.16.16.0/24']
  static override args = {
    name: arg('name of the export (becomes the LINSTOR resource)'),
    service_ip: arg('service IP with prefix length (172.16.16.102/32)'),
    volume_sizes: variadicArg('sizes of the exported volumes', true),
  }
  static override flags = {
    ...createFlags, ...resourceTimeoutFlag,
    'export-path': Flags.string({char: 'p', multiple: true, multipleNonGreedy: true,
      description: 'export path per volume, relative to /srv/gateway-exports/NAME (comma-separated or repeated); default /'}),
    'allowed-ips': Flags.string({multiple: true, multipleNonGreedy: true,
      description: 'networks (CIDR) allowed to mount; default 0.0.0.0/0, or ::/0 for an IPv6 service IP'}),
    filesystem: Flags.string({char: 'f', options: [...NFS_FILE_SYSTEMS], description: 'file system of the volumes; default ext4'}),
    implementation: Flags.string({options: [...NFS_IMPLEMENTATIONS], description: 'NFS server: kernel (one export per cluster) or ganesha; default kernel'}),
  }

  async run(): Promise<void> {
    const input = this.checked(() => nfsCreateInput(
      {name: this.args.name, serviceIp: this.args.service_ip, sizes: listOf(this.args.volume_sizes)}, this.flags))
    await this.createTarget(nfs, input)
  }
}

export const GatewayNfs = {...gatewayCommands(nfs), create: NfsCreate}
