#!/usr/bin/env bash
# Scenario "storage": one satellite in a guest, an LVM pool (volume group vg_rig) and an
# LVM_THIN pool (vg_rig/thinpool) on its virtio disk, driven by a controller on the host through
# the cairn CLI. After each step, what `lvs` says in the guest must agree with Cairn's view
# (which LVs exist, their sizes, device paths), and the pools' capacity must be what vgs/lvs say.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
rig_scenario
N=rig1

rig_boot "$N" 1
ctrl_start
rig_wait "$N" 240
rig_must "$N" 'pvcreate -q -y /dev/vdb && vgcreate -q vg_rig /dev/vdb && lvcreate -q -y -L 1536m -T vg_rig/thinpool' 120
sat_start "$N"
node_register "$N"
cn_ok sp create lvm "$N" thick vg_rig
cn_ok sp create lvmthin "$N" thin vg_rig/thinpool
cn_ok rg create rg_thin --place-count 1 --storage-pool thin --layer-list storage
cn_ok rg create rg_thick --place-count 1 --storage-pool thick --layer-list storage

# --- checks ------------------------------------------------------------------------------------

# "name size_kib" of Cairn's volumes and snapshots in vg_rig, sorted: what the guest must hold.
cairn_lvs() {
  {
    api /v1/view/resources | jq -r --arg n "$N" '.[] | select(.node_name == $n) | .name as $r
      | .volumes[] | "\($r)_\(.volume_number | tostring | ("0000" + .)[-5:]) \(.usable_size_kib)"'
    # snapshots: <rsc>_<vlm>.<snap>, as big as their volume definitions were
    api /v1/view/snapshots | jq -r '.[] | .resource_name as $r | .name as $s
      | .volume_definitions[] | "\($r)_\(.volume_number | tostring | ("0000" + .)[-5:]).\($s) \(.size_kib)"'
  } | LC_ALL=C sort
}
guest_lvs() {
  rig_must "$N" "lvs --noheadings --units k --nosuffix -o lv_name,lv_size vg_rig | awk '\$1 != \"thinpool\" {printf \"%s %d\\n\", \$1, \$2}'" 30 \
    | LC_ALL=C sort
}
# Every LV is Cairn's and every Cairn volume is an LV of exactly the size it reports (LVM rounds
# up to 4 MiB extents, and Cairn reports what lvs says); device paths are /dev/vg_rig/<lv>.
agree() {
  local want have
  want=$(cairn_lvs); have=$(guest_lvs)
  if [ "$want" != "$have" ]; then
    log "Cairn and lvs disagree ($1):"; diff <(echo "$want") <(echo "$have") | sed 's/^/    /' >&2 || true
    return 1
  fi
  local bad
  bad=$(api /v1/view/resources | jq -r --arg n "$N" '.[] | select(.node_name == $n) | .name as $r | .volumes[]
    | select(.device_path != "/dev/vg_rig/\($r)_\(.volume_number | tostring | ("0000" + .)[-5:])") | "\($r): \(.device_path)"')
  [ -z "$bad" ] || { log "wrong device paths: $bad"; return 1; }
  log "agree ($1): $(echo "$have" | tr '\n' ' ')"
}
check() { wait_until 60 "Cairn and lvs to agree: $1" agree "$1"; }

# Pool capacities: the thick pool is the VG (size, free), the thin one the thin pool (size, and
# free = size x (100 - data%) / 100). Both in KiB, as LINSTOR reports them.
capacity_ok() {
  local vg tp pools
  vg=$(rig_must "$N" 'vgs --noheadings --units k --nosuffix -o vg_size,vg_free vg_rig' 30 | awk '{printf "%d %d", $1, $2}')
  tp=$(rig_must "$N" 'lvs --noheadings --units k --nosuffix -o lv_size,data_percent vg_rig/thinpool' 30 \
       | awk '{printf "%d %d", $1, int($1 * (100 - $2) / 100)}')
  pools=$(api /v1/view/storage-pools | jq -r --arg n "$N" '[.[] | select(.node_name == $n)] | map({(.storage_pool_name): "\(.total_capacity) \(.free_capacity)"}) | add')
  local thick thin
  thick=$(jq -r '.thick' <<<"$pools"); thin=$(jq -r '.thin' <<<"$pools")
  # the free space of a thin pool moves with every write; one KiB of rounding either way is fine
  if [ "$thick" != "${vg% *} ${vg#* }" ]; then log "thick pool: Cairn total/free $thick, vgs $vg"; return 1; fi
  local a b
  read -r a b <<<"$thin"
  if [ "$a" != "${tp% *}" ] || [ $((b - ${tp#* })) -gt 1 ] || [ $((${tp#* } - b)) -gt 1 ]; then
    log "thin pool: Cairn total/free $thin, lvs $tp"; return 1
  fi
  log "capacity ($1): thick total/free $thick KiB = vgs; thin total/free $thin KiB = lvs"
}
capacity() { wait_until 90 "pool capacities to match vgs/lvs: $1" capacity_ok "$1"; }

# md5 of the first MiB of a volume, read in the guest
sum1m() { rig_must "$N" "dd if=$1 bs=1M count=1 iflag=direct status=none | md5sum | cut -d' ' -f1" 60; }

capacity "empty pools"

# --- create, grow ---------------------------------------------------------------------------
cn_ok rg spawn rg_thin tv1 100M
cn_ok rg spawn rg_thick kv1 64M
check "spawned tv1 (thin) and kv1 (thick)"
rig_must "$N" 'lvs -o lv_name,lv_attr,pool_lv vg_rig | grep -E "tv1_00000 +Vwi-a-tz-+ thinpool" && lvs -o lv_name,lv_attr vg_rig | grep -E "kv1_00000 +-wi-a-"' 30 >/dev/null
cn_ok vd set-size tv1 0 200M
cn_ok vd set-size kv1 0 128M
check "grown tv1 to 200M and kv1 to 128M"
rig_must "$N" 'test "$(blockdev --getsize64 /dev/vg_rig/tv1_00000)" = $((200 << 20)) && test "$(blockdev --getsize64 /dev/vg_rig/kv1_00000)" = $((128 << 20))' 30

# --- data, snapshot, restore, clone, rollback ---------------------------------------------
rig_must "$N" 'dd if=/dev/urandom of=/dev/vg_rig/tv1_00000 bs=1M count=8 oflag=direct status=none' 60
A=$(sum1m /dev/vg_rig/tv1_00000)
cn_ok s create tv1 snap1
check "snapshot tv1/snap1"
rig_must "$N" 'dd if=/dev/urandom of=/dev/vg_rig/tv1_00000 bs=1M count=1 oflag=direct status=none' 60
B=$(sum1m /dev/vg_rig/tv1_00000)
[ "$A" != "$B" ] || die "the overwrite changed nothing"
cn_ok rd create tv1r --resource-group rg_thin
cn_ok s vd restore --from-resource tv1 --from-snapshot snap1 --to-resource tv1r
cn_ok s r restore --from-resource tv1 --from-snapshot snap1 --to-resource tv1r
check "tv1r restored from snap1"
[ "$(sum1m /dev/vg_rig/tv1r_00000)" = "$A" ] || die "tv1r does not hold snap1's data"
cn_ok rd clone tv1 tv1c
check "tv1c cloned from tv1"
[ "$(sum1m /dev/vg_rig/tv1c_00000)" = "$B" ] || die "tv1c does not hold tv1's data"
cn_ok s rollback tv1 snap1
check "tv1 rolled back to snap1"
[ "$(sum1m /dev/vg_rig/tv1_00000)" = "$A" ] || die "tv1 after rollback does not hold snap1's data"
capacity "after writes, snapshot, restore and clone"

# --- deletes ------------------------------------------------------------------------------
cn_ok s delete tv1 snap1
cn_ok r delete "$N" tv1c
cn_ok rd delete tv1c
cn_ok rd delete tv1r
cn_ok r delete "$N" kv1
check "after deletes"
cn_ok rd delete tv1
cn_ok rd delete kv1
check "all deleted"
[ -z "$(guest_lvs)" ] || die "LVs left behind: $(guest_lvs)"
capacity "empty again"
log "storage: PASS"
