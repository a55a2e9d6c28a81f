#!/usr/bin/env bash
# Scenario "drbd84": two guests whose kernel carries DRBD 8.4 (Debian's in-tree module; DRBD 9
# is in no Debian package), each a satellite with a thick LVM pool, joined by a private link
# (10.99.0.0/24 over a QEMU socket netdev on 127.0.0.1). The satellites must detect 8.4 and
# write 8.4 syntax for a 2-replica resource, which must do its initial full sync; what Cairn
# reports (parsed from `drbdsetup events2`) must follow every state change; data written on one
# node must read back on the other after that node dies; a resource DRBD 8.4 cannot express must
# be refused with the reason. Prints the initial sync throughput.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
rig_scenario
SIZE_MIB=${RIG_DRBD_SIZE_MIB:-256}

pair_up

# --- what the satellites detected --------------------------------------------------------------
info=$(cn node info 2>&1 || true)
printf '%s\n' "$info" | sed 's/^/    /' >&2
rig_must node1 'cat /proc/drbd | head -1' 10

# --- refusal: a single-node DRBD resource needs DRBD 9 ---------------------------------------
cn_ok rg create solo --place-count 1 --storage-pool thick
out=$(cn rg spawn solo one 16M 2>&1) && rc=0 || rc=$?
printf '%s\n' "$out" | sed 's/^/    /' >&2
grep -q 'DRBD 8.4' <<<"$out" || die "a 1-replica DRBD resource on 8.4 nodes was not refused naming DRBD 8.4 (exit $rc)"
log "refused as it must be: $(grep -m1 -o '[^.]*DRBD 8.4[^.)]*' <<<"$out")"
cn rd delete one >/dev/null 2>&1 || true

# --- a 2-replica resource: 8.4 syntax, initial sync ---------------------------------------------
in_use() { api /v1/view/resources | jq -r --arg r "$1" '[.[] | select(.name == $r and .state.in_use) | .node_name] | join(" ")'; }
in_use_is() { refresh node1 node2; [ "$(in_use "$1")" = "$2" ]; }

cn_ok rg create pair --place-count 2 --storage-pool thick
t0=$(now)
cn_ok rg spawn pair d1 "${SIZE_MIB}M"
# The initial sync must have begun with the spawn itself, not with some later periodic sync.
started=$(rig_must node1 'grep -oE "cs:[A-Za-z]+ ro:[A-Za-z/]+ ds:[A-Za-z/]+" /proc/drbd' 10)
log "node1 right after the spawn: $started"
[[ $started =~ cs:(SyncSource|SyncTarget|Connected\ .*ds:UpToDate/UpToDate) ]] || die "the initial sync had not started when the spawn returned: $started"
wait_until 400 "d1 UpToDate on both nodes (Cairn's view)" states_are d1 "node1:UpToDate node2:UpToDate"
sync_wall=$(since "$t0")
for n in node1 node2; do
  rig_must "$n" 'grep -q "^# Syntax: DRBD 8.4" /var/lib/cairn/drbd.d/d1.res && grep -qE "^ *on \"?node1\"?\$" /var/lib/cairn/drbd.d/d1.res && grep -qE "^ *on \"?node2\"?\$" /var/lib/cairn/drbd.d/d1.res' 10 \
    || { rig_exec "$n" 'cat /var/lib/cairn/drbd.d/d1.res' 10 >&2; die "$n: d1.res is not in DRBD 8.4 syntax"; }
done
rig_must node1 'cat /var/lib/cairn/drbd.d/d1.res; cat /proc/drbd' 10 | sed 's/^/    /' >&2
# DRBD 8.4's own figure: "Resync done (total N sec; paused 0 sec; K K/sec)" on the sync source
done_line=$( { rig_exec node1 'dmesg | grep "Resync done" | tail -1' 10; rig_exec node2 'dmesg | grep "Resync done" | tail -1' 10; } | grep -m1 'Resync done' || true)
kps=$(sed -n 's/.*; \([0-9]*\) K\/sec).*/\1/p' <<<"$done_line")
total=$(sed -n 's/.*(total \([0-9]*\) sec.*/\1/p' <<<"$done_line")
[ -n "$kps" ] || die "no 'Resync done' in either guest's kernel log: no full initial sync happened"
log "DRBD 8.4 initial sync of ${SIZE_MIB} MiB: ${total}s by DRBD's count, $(awk -v k="$kps" 'BEGIN {printf "%.1f", k / 1024}') MiB/s; spawn to UpToDate/UpToDate in Cairn's view ${sync_wall}s ($(awk -v m="$SIZE_MIB" -v s="$sync_wall" 'BEGIN {printf "%.1f", m / s}') MiB/s)"
echo "RIG-FIGURE drbd84_sync_mib=$SIZE_MIB drbd84_sync_seconds=$total drbd84_sync_mib_per_s=$(awk -v k="$kps" 'BEGIN {printf "%.1f", k / 1024}') spawn_to_uptodate_s=$sync_wall"

DEV=$(api /v1/view/resources | jq -r '[.[] | select(.name == "d1" and .node_name == "node1")][0].volumes[0].device_path')
[[ $DEV =~ ^/dev/drbd[0-9]+$ ]] || die "d1's device path is '$DEV', not a DRBD device"

# --- FileSystem/Type on a new thin 2-replica resource --------------------------------------------
# New thin volumes skip the initial sync (new-current-uuid --clear-bitmap); node1 (the lowest
# node-id) then promotes, makes the file system on the DRBD device with FileSystem/MkfsParams,
# and demotes: both backing volumes hold it, and nothing was resynced.
for n in node1 node2; do rig_must "$n" 'lvcreate -q -y -L 256m -T vg_rig/thinpool' 60 >/dev/null; done
cn_ok sp create lvmthin node1 thin vg_rig/thinpool
cn_ok sp create lvmthin node2 thin vg_rig/thinpool
cn_ok rg create fsthin --place-count 2 --storage-pool thin
cn_ok rg set-property fsthin FileSystem/Type ext4
cn_ok rg set-property fsthin FileSystem/MkfsParams -- "-L rigthin"
cn_ok rg spawn fsthin t1 64M
wait_until 120 "t1 UpToDate on both nodes" states_are t1 "node1:UpToDate node2:UpToDate"
T1=$(api /v1/view/resources | jq -r '[.[] | select(.name == "t1" and .node_name == "node1")][0].volumes[0].device_path')
for n in node1 node2; do
  # the ext4 magic (byte 1080) and volume label (byte 1144) on the backing volume, past the page cache
  fs=$(rig_must "$n" "dd if=/dev/vg_rig/t1_00000 bs=4k count=1 iflag=direct status=none | od -A n -t x1 -j 1080 -N 2 | tr -d ' '; \
    dd if=/dev/vg_rig/t1_00000 bs=4k count=1 iflag=direct status=none | od -A n -c -j 1144 -N 7 | tr -d ' '" 20 | tr '\n' ' ')
  [ "$fs" = "53ef rigthin " ] || die "$n: t1's backing volume holds no ext4 labelled rigthin (FileSystem/Type ext4, MkfsParams -L rigthin): '$fs'"
done
if rig_exec node1 "dmesg | grep -q '${T1#/dev/}: Began resync'" 10 >/dev/null; then die "t1 was resynced: its initial sync should have been skipped"; fi
rig_must node1 "drbdadm role t1 | grep -q '^Secondary/Secondary'" 10 >/dev/null || die "t1 was left Primary after its file system was made"
log "t1 (thin): initial sync skipped, ext4 (-L rigthin) made once through $T1, on both replicas, Secondary again"

# --- switchover: the views follow the roles ---------------------------------------------------
in_use_is d1 "" || die "d1 in use on $(in_use d1) before anyone promoted it"
rig_must node1 "drbdadm primary d1 && dd if=/dev/urandom of=$DEV bs=1M count=16 oflag=direct status=none" 120 >/dev/null
wait_until 60 "Cairn to see d1 in use on node1" in_use_is d1 node1
SUM=$(rig_must node1 "dd if=$DEV bs=1M count=16 iflag=direct status=none | md5sum | cut -d' ' -f1" 60)
rig_must node1 "drbdadm secondary d1" 30 >/dev/null
wait_until 60 "Cairn to see d1 unused" in_use_is d1 ""
rig_must node2 "drbdadm primary d1" 30 >/dev/null
wait_until 60 "Cairn to see d1 in use on node2" in_use_is d1 node2
[ "$(rig_must node2 "dd if=$DEV bs=1M count=16 iflag=direct status=none | md5sum | cut -d' ' -f1" 60)" = "$SUM" ] \
  || die "node2 reads other data than node1 wrote"
rig_must node2 "drbdadm secondary d1" 30 >/dev/null
log "switchover: node2 read back what node1 wrote ($SUM)"

# --- failover: node1 writes, dies, node2 takes over ---------------------------------------------
rig_must node1 "drbdadm primary d1 && dd if=/dev/urandom of=$DEV bs=1M count=16 oflag=direct status=none" 120 >/dev/null
SUM=$(rig_must node1 "dd if=$DEV bs=1M count=16 iflag=direct status=none | md5sum | cut -d' ' -f1" 60)
log "node1 wrote 16 MiB ($SUM) as Primary; killing node1's QEMU"
kill "$(cat "$RIG_RUN/node1.pid")"; wait "$(cat "$RIG_RUN/node1.pid")" 2>/dev/null || true
# node2's kernel notices the lost peer (ping-timeout) and keeps its data UpToDate
rig_must node2 'for i in $(seq 60); do grep -qE "cs:(WFConnection|StandAlone)" /proc/drbd && exit 0; sleep 1; done; cat /proc/drbd; exit 1' 90 >/dev/null
disk_on() { api /v1/view/resources | jq -r --arg r "$1" --arg n "$2" '.[] | select(.name == $r and .node_name == $n) | .volumes[0].state.disk_state // "-"'; }
in_use_on_node2() { refresh node2; [ "$(in_use d1)" = node2 ]; }
node2_alone() { refresh node2; [ "$(disk_on d1 node2)" = UpToDate ] && [ "$(api /v1/nodes/node1 | jq -r .connection_status)" != ONLINE ]; }
wait_until 90 "Cairn to see node1 gone and node2 still UpToDate" node2_alone
rig_must node2 "drbdadm primary d1" 30 >/dev/null
[ "$(rig_must node2 "dd if=$DEV bs=1M count=16 iflag=direct status=none | md5sum | cut -d' ' -f1" 60)" = "$SUM" ] \
  || die "after failover node2 reads other data than node1 wrote"
wait_until 60 "Cairn to see d1 in use on node2 after failover" in_use_on_node2
rig_must node2 'cat /proc/drbd; drbdsetup events2 --now d1 2>/dev/null | head -5' 20 | sed 's/^/    /' >&2
log "failover: node2 is Primary and reads what node1 wrote before it died ($SUM)"
log "drbd84: PASS"
