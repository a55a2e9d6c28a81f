#!/usr/bin/env bash
# Scenario "gateway": an iSCSI (LIO), an NVMe-oF (nvmet) and an NFS (nfsd) target, each made by
# `cairn gateway <kind> create` on two DRBD 8.4 nodes: the gateway's resource definition (its DRBD
# options, FileSystem/Type on the volumes that carry a file system), the 2-replica placement and
# the promoter config the controller deploys to both nodes as an external file. Cairn must
# make the file systems itself (through DRBD, once, on one node), and the 8.4 `.res` files must
# leave out the DRBD-9-only option every target sets. Then node1 starts the config's services in
# drbd-reactor's order with Debian's real OCF agents (rig-promoter stands in for drbd-reactor,
# which Debian does not package), portblock included; node2 logs in, connects or mounts over the
# guests' link and must read what node1 wrote; the services stop cleanly (no service IP, no
# block rule left, the resource Secondary) and `gateway <kind> delete` removes the target.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
rig_scenario

pair_up --allow-ext-files /etc/drbd-reactor.d
# What a gateway node runs anyway: check-health asks for the nvmet module, and systemd keeps
# rpcbind listening (rpcbind.socket), which the nfsserver agent needs for rpc.statd.
rig_must node1 'modprobe -a nvmet nvmet-tcp && mkdir -p /run/rpcbind && rpcbind -w' 60 >/dev/null
cn_ok rg create gw --place-count 2 --storage-pool thick

# check-health on a gateway node: the rig's portblock can unblock with bookworm's iptables 1.8.9.
health=$(rig_exec node1 'LS_CONTROLLERS= cairn gateway check-health 2>&1' 120 || true)
printf '%s\n' "$health" | grep -i -E 'portblock|iptables' | sed 's/^/    /' >&2
grep -qE '^ +(✓|\+) portblock can unblock with iptables 1\.8\.9$' <<<"$health" || die "check-health does not find the rig's portblock able to unblock"

# --- helpers ---------------------------------------------------------------------------------------

# created KIND ID RSC: after `gateway KIND create ... --resource-timeout 0`: both replicas synced,
# the promoter file on both nodes, 8.4 files that name what they left out, and the file systems
# Cairn made through DRBD on the volumes the gateway asked for (VOLUMES WITH FS...).
created() {
  local r=$1 file=$2; shift 2
  wait_until 400 "$r UpToDate on both nodes" states_are "$r" "node1:UpToDate,UpToDate node2:UpToDate,UpToDate"
  deployed() { refresh node1 node2; rig_exec node1 "test -s $file" 10 >/dev/null && rig_exec node2 "test -s $file" 10 >/dev/null; }
  wait_until 90 "$file on both nodes" deployed
  rig_must node1 "grep '\"ocf:' $file" 10 | sed 's/^ */    /' >&2
  local n v
  for n in node1 node2; do
    rig_must "$n" "grep -q '^# Syntax: DRBD 8.4' /var/lib/cairn/drbd.d/$r.res && grep -q '^# Left out (DRBD 9 only, without effect on DRBD 8.4): DrbdOptions/Resource/on-suspended-primary-outdated=force-secondary' /var/lib/cairn/drbd.d/$r.res" 10 >/dev/null \
      || { rig_exec "$n" "head -6 /var/lib/cairn/drbd.d/$r.res" 10 >&2; die "$n: $r.res is not the 8.4 file with on-suspended-primary-outdated left out"; }
    # The file system is on the backing volume of both replicas: made through DRBD, replicated.
    # Read past the page cache (DRBD writes below it) and past blkid (which names the volume by
    # DRBD's metadata at its end): the ext4 magic 0xEF53 at byte 1080.
    for v in "$@"; do
      [ "$(rig_must "$n" "dd if=/dev/vg_rig/${r}_0000$v bs=4k count=1 iflag=direct status=none | od -A n -t x1 -j 1080 -N 2 | tr -d ' '" 20)" = 53ef ] \
        || die "$n: volume $v of $r has no ext4 (FileSystem/Type ext4): Cairn did not make it"
    done
  done
  log "$r: synced; 8.4 .res files leave out on-suspended-primary-outdated; ext4 on volume(s) $* on both replicas"
}
start_services() {
  local t; t=$(now)
  rig_must node1 "rig-promoter start $1" 400 | sed 's/^/    /' >&2
  log "node1 started the services of $(basename "$1") in $(since "$t")s"
}
# stop_services FILE RSC VIP: reverse order; then no service IP, no DROP rule, the resource Secondary.
stop_services() {
  local file=$1 r=$2 vip=$3 t; t=$(now)
  rig_must node1 "rig-promoter stop $file" 300 | sed 's/^/    /' >&2
  rig_must node1 "! ip -br addr show data | grep -q '$vip/' && ! iptables -w -n -L INPUT | grep -q '$vip' && drbdadm role $r | grep -q '^Secondary'" 30 >/dev/null \
    || { rig_exec node1 "ip -br addr; iptables -w -n -L INPUT; drbdadm role $r" 10 >&2; die "after stopping $(basename "$file"): a service IP or block rule is left, or $r is still Primary"; }
  log "stopped cleanly in $(since "$t")s: no service IP $vip, no block rule, $r Secondary"
}
# while started, Cairn (and so `gateway list`) sees the target in use on node1
started_on_node1() { refresh node1 node2; cn gateway "$1" list 2>/dev/null | grep -q 'Started (node1)'; }
# delete KIND ID RSC FILE: the target, its config on both nodes and its volumes go
delete_target() {
  local kind=$1 id=$2 r=$3 file=$4
  cn_ok gateway "$kind" delete "$id" --force
  gone() { refresh node1 node2; ! rig_exec node1 "test -e $file || lvs vg_rig/${r}_00000" 10 >/dev/null 2>&1 && ! rig_exec node2 "test -e $file || lvs vg_rig/${r}_00000" 10 >/dev/null 2>&1; }
  wait_until 120 "$r and its config to go from both nodes" gone
  log "$kind $id deleted: no config, no volumes left"
}
# md5 of the first 4 MiB written on node1's DRBD device of volume 1
write_vol1() {
  rig_must node1 "drbdadm primary $1 && dd if=/dev/urandom of=/dev/drbd/by-res/$1/1 bs=1M count=4 oflag=direct status=none \
    && dd if=/dev/drbd/by-res/$1/1 bs=1M count=4 iflag=direct status=none | md5sum | cut -d' ' -f1; drbdadm secondary $1" 120 | tail -1
}

# --- iSCSI ---------------------------------------------------------------------------------------
IQN=iqn.2019-08.io.rig:gw1 VIP=10.99.0.100
R=gw1 TOML=/etc/drbd-reactor.d/linstor-gateway-iscsi-gw1.toml
cn_ok gateway iscsi create "$IQN" "$VIP/24" 32M -r gw --resource-timeout 0
created "$R" "$TOML" 0
SUM=$(write_vol1 "$R")
start_services "$TOML"
rig_must node1 "ls /sys/kernel/config/target/iscsi | grep -qx $IQN" 30 >/dev/null
wait_until 60 "gateway iscsi list to show the target started on node1" started_on_node1 iscsi
rig_must node2 "modprobe iscsi_tcp; mkdir -p /run/lock/iscsi; (pgrep -x iscsid >/dev/null || iscsid) && sleep 1 \
  && iscsiadm -m discovery -t st -p $VIP && iscsiadm -m node -T $IQN -p $VIP --login" 120 | sed 's/^/    /' >&2
LUN=/dev/disk/by-path/ip-$VIP:3260-iscsi-$IQN-lun-1
got=$(rig_must node2 "for i in \$(seq 30); do test -b $LUN && break; sleep 1; done; dd if=$LUN bs=1M count=4 iflag=direct status=none | md5sum | cut -d' ' -f1" 90)
rig_must node2 "iscsiadm -m node -T $IQN -p $VIP --logout" 60 >/dev/null
[ "$got" = "$SUM" ] || die "node2 read $got through iSCSI, node1 wrote $SUM"
log "iSCSI: node2 logged in to $IQN at $VIP (through portblock's unblock) and read back what node1 wrote ($SUM)"
stop_services "$TOML" "$R" "$VIP"
rig_must node1 "! ls /sys/kernel/config/target/iscsi 2>/dev/null | grep -qx $IQN" 30 >/dev/null || die "the LIO target is still there"
delete_target iscsi "$IQN" "$R" "$TOML"

# --- NVMe-oF -------------------------------------------------------------------------------------
NQN=linbit:nvme:gw2 VIP=10.99.0.101
R=gw2 TOML=/etc/drbd-reactor.d/linstor-gateway-nvmeof-gw2.toml
cn_ok gateway nvme create "$NQN" "$VIP/24" 32M -r gw --resource-timeout 0
created "$R" "$TOML" 0
SUM=$(write_vol1 "$R")
start_services "$TOML"
got=$(rig_must node2 "modprobe nvme-tcp && nvme connect -t tcp -a $VIP -s 4420 -n $NQN >/dev/null \
  && for i in \$(seq 30); do d=\$(ls /dev/nvme*n1 2>/dev/null | head -1); test -n \"\$d\" && break; sleep 1; done \
  && dd if=\$d bs=1M count=4 iflag=direct status=none | md5sum | cut -d' ' -f1; nvme disconnect -n $NQN >/dev/null" 120 | head -1)
[ "$got" = "$SUM" ] || die "node2 read $got through NVMe/TCP, node1 wrote $SUM"
log "NVMe-oF: node2 connected to $NQN at $VIP and read back what node1 wrote ($SUM)"
stop_services "$TOML" "$R" "$VIP"
rig_must node1 "! test -e /sys/kernel/config/nvmet/subsystems/$NQN" 30 >/dev/null || die "the nvmet subsystem is still there"
delete_target nvme "$NQN" "$R" "$TOML"

# --- NFS -----------------------------------------------------------------------------------------
# The nfsserver agent takes its init-script path (EXEC_MODE 1), as on any Debian host; the rig's
# LSB hook (overlay/usr/lib/lsb/init-functions.d/40-rig-units) turns that script into what
# systemd would run for it there (nfs-server.service).
VIP=10.99.0.102 EXPORT=/srv/gateway-exports/gw3
R=gw3 TOML=/etc/drbd-reactor.d/linstor-gateway-nfs-gw3.toml
cn_ok gateway nfs create gw3 "$VIP/24" 32M -r gw --resource-timeout 0
created "$R" "$TOML" 0 1
SUM=$(rig_must node1 "drbdadm primary $R && mkdir -p /mnt/w && mount /dev/drbd/by-res/$R/1 /mnt/w \
  && head -c 1M /dev/urandom > /mnt/w/blob && md5sum < /mnt/w/blob | cut -d' ' -f1; umount /mnt/w; drbdadm secondary $R" 120 | tail -1)
start_services "$TOML"
rig_must node1 "exportfs -v; cat /proc/fs/nfsd/threads" 30 | sed 's/^/    /' >&2
t=$(now)
got=$(rig_must node2 "mkdir -p /mnt/nfs && mount -t nfs -o vers=4.2,timeo=50 $VIP:$EXPORT /mnt/nfs \
  && md5sum < /mnt/nfs/blob | cut -d' ' -f1 && head -c 64K /dev/urandom > /mnt/nfs/back && md5sum < /mnt/nfs/back | cut -d' ' -f1; umount /mnt/nfs" 180)
[ "$(head -1 <<<"$got")" = "$SUM" ] || die "node2 read $(head -1 <<<"$got") over NFS, node1 wrote $SUM"
BACK=$(sed -n 2p <<<"$got")
log "NFS: node2 mounted $VIP:$EXPORT (NFSv4.2), read back what node1 wrote ($SUM) and wrote a file ($BACK) in $(since "$t")s"
stop_services "$TOML" "$R" "$VIP"
rig_must node1 "! pgrep -x rpc.mountd >/dev/null && ! pgrep -x rpc.statd >/dev/null && test \"\$(cat /proc/fs/nfsd/threads)\" = 0 \
  && ! mountpoint -q /var/lib/nfs && ! grep -q ' $EXPORT ' /proc/mounts" 30 >/dev/null \
  || { rig_exec node1 "ps ax | grep -E 'rpc|nfs'; cat /proc/fs/nfsd/threads; grep -E 'nfs|gateway' /proc/mounts" 10 >&2; die "the NFS server did not stop cleanly"; }
[ "$(rig_must node1 "drbdadm primary $R && mount -o ro /dev/drbd/by-res/$R/1 /mnt/w && md5sum < /mnt/w/back | cut -d' ' -f1; umount /mnt/w; drbdadm secondary $R" 60 | tail -1)" = "$BACK" ] \
  || die "what node2 wrote over NFS is not on the export's file system"
log "NFS: nfsd, mountd and statd stopped, nothing mounted; node2's file is on the file system"
delete_target nfs gw3 "$R" "$TOML"
log "gateway: PASS (iSCSI, NVMe-oF, NFS)"
