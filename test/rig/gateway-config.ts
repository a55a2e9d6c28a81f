// Prints the promoter config (drbd-reactor TOML) that `cairn gateway <kind> create` would deploy
// for a target on an existing resource definition, from Cairn's own gateway code. The rig uses it
// where the gateway itself cannot run: DRBD 8.4 refuses the DRBD 9 options every target gets.
// usage: node test/rig/gateway-config.ts iscsi|nvme|nfs ID SERVICE_IP/PREFIX RD_UUID VOLUME_UUID...
//   ID is the IQN, the NQN or the export name; the volume UUIDs are in volume order (0 first).
// No portblock agents (as `--no-portblock`): bookworm's resource-agents 4.12 looks for its DROP rule
// in `iptables -n -L` as "tcp", but iptables 1.8.9 prints the protocol as "6", so the unblock agent
// never removes the block and the service stays unreachable.
import {gatewayFileContent} from '../../gateway/gateway-file.ts'
import {iscsiDefaults, iscsiPromoter} from '../../gateway/iscsi-target.ts'
import {nfsDefaults, nfsPromoter} from '../../gateway/nfs-export.ts'
import {nvmeDefaults, nvmePromoter} from '../../gateway/nvme-target.ts'

const [kind, id, serviceIp, rdUuid, ...volUuids] = process.argv.slice(2)
if (!kind || !id || !serviceIp || !rdUuid || volUuids.length < 2) {
  process.stderr.write('usage: gateway-config.ts iscsi|nvme|nfs ID SERVICE_IP/PREFIX RD_UUID VOLUME_UUID...\n')
  process.exit(2)
}
const userVolumes = volUuids.slice(1).map((_, i) => ({number: i + 1, size_kib: 0}))
const facts = {resourceUuid: rdUuid, volumes: volUuids.map((uuid, number) => ({number, uuid}))}
const promoter = kind === 'iscsi'
  ? iscsiPromoter(iscsiDefaults({iqn: id, service_ips: [serviceIp], implementation: 'lio-t', portblock: false, volumes: userVolumes}), facts)
  : kind === 'nvme'
    ? nvmePromoter(nvmeDefaults({nqn: id, service_ip: serviceIp, portblock: false, volumes: userVolumes}), {...facts, portId: 1})
    : nfsPromoter(nfsDefaults({name: id, service_ip: serviceIp, portblock: false, volumes: userVolumes}), facts)
process.stdout.write(gatewayFileContent(promoter, new Date()))
