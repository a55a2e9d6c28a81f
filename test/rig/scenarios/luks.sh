#!/usr/bin/env bash
# Scenario "luks": a LUKS,STORAGE volume on an LVM_THIN pool in a guest. The satellite formats and
# opens it with cryptsetup on dm-crypt (with the volume key the controller seals under the master
# passphrase); the data is encrypted below the mapping; it grows with its volume. Then the node
# "reboots" (satellite stopped, mapping closed) while the controller restarts and forgets the
# passphrase: the volume must stay closed, saying why, until the master passphrase is entered,
# and then reopen with the same data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
rig_scenario
N=rig1
PASS=rig-master-pass-1

rig_boot "$N" 1
ctrl_start
rig_wait "$N" 240
rig_must "$N" 'pvcreate -q -y /dev/vdb && vgcreate -q vg_rig /dev/vdb && lvcreate -q -y -L 1g -T vg_rig/thinpool' 120 >/dev/null
sat_start "$N"
node_register "$N"
cn_ok sp create lvmthin "$N" thin vg_rig/thinpool
cn_ok encryption create-passphrase --passphrase "$PASS"
cn_ok rg create enc --place-count 1 --storage-pool thin --layer-list luks,storage
cn_ok rg spawn enc e1 64M

MAP=/dev/mapper/e1_00000 LV=/dev/vg_rig/e1_00000
dev=$(api /v1/view/resources | jq -r '.[] | select(.name == "e1") | .volumes[0].device_path')
[ "$dev" = "$MAP" ] || die "e1's device is '$dev', not the LUKS mapping $MAP"
rig_must "$N" "cryptsetup isLuks $LV && cryptsetup status e1_00000 | grep -q 'type: *LUKS2' && dmsetup table e1_00000 | grep -q ' crypt '" 30 >/dev/null
log "e1 is a LUKS2 volume on $LV, open as $MAP (dm-crypt)"

# Plaintext through the mapping; none of it in the LV below.
rig_must "$N" "yes CAIRN-RIG-PLAINTEXT | head -c 4M | dd of=$MAP bs=1M oflag=direct status=none" 60 >/dev/null
SUM=$(rig_must "$N" "dd if=$MAP bs=1M count=4 iflag=direct status=none | md5sum | cut -d' ' -f1" 60)
rig_must "$N" "grep -qa CAIRN-RIG-PLAINTEXT $MAP" 60 >/dev/null
if rig_exec "$N" "grep -qa CAIRN-RIG-PLAINTEXT $LV" 60 >/dev/null; then die "plaintext found on the LV below the LUKS mapping"; fi
log "4 MiB written through the mapping ($SUM); the LV below holds none of the plaintext"

# Growing: LV first, then cryptsetup resize (the mapping is 16 MiB of LUKS2 header smaller).
cn_ok vd set-size e1 0 128M
grown() {
  local b; b=$(rig_exec "$N" "blockdev --getsize64 $MAP" 20) || return 1
  [ "$b" -ge $((112 << 20)) ]
}
wait_until 90 "the LUKS mapping to grow with its volume" grown
log "grown: $MAP is now $(rig_exec "$N" "blockdev --getsize64 $MAP" 20) bytes"

# "Reboot": satellite gone, mapping closed; the controller restarts and forgets the passphrase.
sat_stop "$N"
rig_must "$N" "cryptsetup close e1_00000 && ! test -e $MAP" 60 >/dev/null
ctrl_restart
sat_start "$N"
wait_until 120 "node $N ONLINE" node_online "$N"
locked() {
  cn node reconnect "$N" >/dev/null 2>&1 || true
  api /v1/view/resources | jq -e '.[] | select(.name == "e1") | .volumes[0].reports // [] | map(.message) | join(" ") | test("master passphrase is locked")' >/dev/null
}
wait_until 90 "e1 to report the locked master passphrase" locked
if rig_exec "$N" "test -e $MAP" 10 >/dev/null; then die "$MAP opened without the master passphrase"; fi
log "after the restart e1 stays closed: $(api /v1/view/resources | jq -r '.[] | select(.name == "e1") | .volumes[0].reports[0].message')"

cn_ok encryption enter-passphrase --passphrase "$PASS"
reopened() { cn node reconnect "$N" >/dev/null 2>&1 || true; rig_exec "$N" "test -b $MAP" 10 >/dev/null; }
wait_until 90 "e1 to reopen once the passphrase is entered" reopened
[ "$(rig_must "$N" "dd if=$MAP bs=1M count=4 iflag=direct status=none | md5sum | cut -d' ' -f1" 60)" = "$SUM" ] \
  || die "e1 reopened with other data"
log "reopened with the master passphrase: same data ($SUM)"

cn_ok rd delete e1
gone() { cn node reconnect "$N" >/dev/null 2>&1 || true; ! rig_exec "$N" "test -e $MAP || lvs vg_rig/e1_00000" 20 >/dev/null 2>&1; }
wait_until 90 "e1's mapping and LV to go" gone
log "luks: PASS"
