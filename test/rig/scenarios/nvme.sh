#!/usr/bin/env bash
# Scenario "nvme": LINSTOR's NVME layer between the two guests. node1 holds the data of an
# nvme,storage resource (thick LVM) and exports it through nvmet over NVMe/TCP on the guests'
# link (NVMe/PrefNic); node2, its NVMe initiator, connects with nvme-cli. Cairn must report
# node1's volume as the LV it exports and node2's as the connected /dev/nvmeXnY, where node2
# must read what node1 wrote on the LV. Deleting the initiator disconnects it; deleting the
# target removes its nvmet subsystem and port: nothing is left on either node.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
rig_scenario

pair_up
for n in node1 node2; do
  [ "$(api "/v1/nodes/$n" | jq '.resource_layers | index("NVME") != null')" = true ] \
    || die "$n does not offer the NVME layer: $(api "/v1/nodes/$n" | jq -c '.unsupported_layers.NVME')"
done
cn_ok node set-property node1 NVMe/PrefNic data
cn_ok rd create nv1 --layer-list nvme,storage
cn_ok rd set-property nv1 NVMe/TRType tcp
cn_ok vd create nv1 32M
# device_path of volume 0 of nv1 on NODE, as the controller shows it
device_of() { refresh "$1"; api /v1/view/resources | jq -r --arg n "$1" '.[] | select(.name == "nv1" and .node_name == $n) | .volumes[0].device_path // ""'; }

cn_ok r create node1 nv1 --storage-pool thick
LV=$(device_of node1)
[ -n "$LV" ] || die "node1 reports no device for nv1"
SYS=/sys/kernel/config/nvmet
rig_exec node1 "test \"\$(cat $SYS/subsystems/LS-NVMe_nv1/namespaces/1/device_path)\" = $LV \
  && test \"\$(cat $SYS/subsystems/LS-NVMe_nv1/namespaces/1/enable)\" = 1 \
  && p=\$(dirname \$(dirname \$(ls -d $SYS/ports/*/subsystems/LS-NVMe_nv1))) \
  && test \"\$(cat \$p/addr_traddr) \$(cat \$p/addr_trtype) \$(cat \$p/addr_trsvcid)\" = '10.99.0.1 tcp 4420'" 30 >/dev/null \
  || { rig_exec node1 "find $SYS -maxdepth 4; cat $SYS/ports/*/addr_*" 10 >&2; die "node1 does not export $LV as LS-NVMe_nv1 on 10.99.0.1:4420 (tcp)"; }
log "node1 exports $LV as namespace 1 of LS-NVMe_nv1 on 10.99.0.1:4420 (tcp)"
SUM=$(rig_must node1 "dd if=/dev/urandom of=$LV bs=1M count=4 oflag=direct status=none && dd if=$LV bs=1M count=4 iflag=direct status=none | md5sum | cut -d' ' -f1" 60)

cn_ok r create node2 nv1 --nvme-initiator
connected() { [[ $(device_of node2) == /dev/nvme*n1 ]]; }
wait_until 120 "node2's volume to be the connected namespace" connected
DEV=$(device_of node2)
got=$(rig_must node2 "dd if=$DEV bs=1M count=4 iflag=direct status=none | md5sum | cut -d' ' -f1" 60)
[ "$got" = "$SUM" ] || die "node2 read $got from $DEV, node1 wrote $SUM on $LV"
rig_must node2 "nvme list-subsys -o json | grep -q '\"NQN\":\"LS-NVMe_nv1\"'" 30 >/dev/null || die "node2 shows no connection to LS-NVMe_nv1"
log "node2 connected to LS-NVMe_nv1: $DEV (as Cairn reports it) reads what node1 wrote on $LV ($SUM)"

cn_ok r delete node2 nv1
rig_must node2 "! grep -qsx LS-NVMe_nv1 /sys/class/nvme/*/subsysnqn && ! test -e $DEV" 60 >/dev/null || die "node2 is still connected to LS-NVMe_nv1"
cn_ok r delete node1 nv1
rig_exec node1 "test -z \"\$(find $SYS/subsystems $SYS/ports -mindepth 1 -maxdepth 1)\" && ! lvs vg_rig/nv1_00000 2>/dev/null" 60 >/dev/null \
  || { rig_exec node1 "find $SYS -maxdepth 3; lvs" 10 >&2; die "node1 keeps an nvmet subsystem, port or the LV"; }
log "initiator disconnected, target and its port removed, LV gone"
log "nvme: PASS"
