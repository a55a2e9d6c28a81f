#!/usr/bin/env bash
# Builds the kernel test rig from Debian packages only, and caches it.
#
#   base   Debian's own kernel (it carries DRBD 8.4, dm-thin, dm-crypt, LIO, nvmet and nfsd as
#          modules, which this machine's kernel lacks), a busybox initrd that only mounts the root
#          disk, and an mmdebstrap'ed root file system with the storage tools Cairn drives.
#   image  that root file system plus dist/cairn as an ext4 image (mke2fs -d: no loop mount).
#
# Each stage is rebuilt only when its inputs change: the base when this script, the guest files
# under test/rig/ or the kernel package that linux-image-amd64 points at change; the image when
# the base or dist/cairn change. Stages are built in a scratch directory and renamed into place,
# so an interrupted build never leaves a half rig that looks complete.
#
# usage: test/rig/build.sh            (root; prints RIG-BUILD-SECONDS=N as its last line)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
t0=$(date +%s.%N)

# What the guests get. lvm2/thin-provisioning-tools: LVM and LVM_THIN pools; drbd-utils 9.22
# drives the 8.4 module through its drbdadm-84; socat runs the command agent; the rest is for the
# gateway and LUKS scenarios (LIO, nvmet, nfsd, OCF agents, cryptsetup).
PKGS=lvm2,thin-provisioning-tools,drbd-utils,kmod,iproute2,iputils-ping,udev,procps,util-linux,e2fsprogs,xfsprogs,socat,dbus,cryptsetup-bin,targetcli-fb,nvme-cli,nfs-kernel-server,open-iscsi,resource-agents,psmisc,iptables
HOST_PKGS=(qemu-system-x86 qemu-utils mmdebstrap e2fsprogs kmod cpio busybox-static curl jq)

# Host tools first: a fresh CI machine has none of them. apt-get is skipped when all are there,
# so a cached run needs no network at all.
missing=()
for p in "${HOST_PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing host packages: ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# The kernel package is not pinned: Debian drops old ABIs from the mirror with each security
# update. It is the one linux-image-amd64 points at in the apt lists (brought up to date below
# before anything is built from them).
kernel_pkg() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'; }
KPKG=$(kernel_pkg)


build_base() {
  local tmp=$RIG_CACHE/tmp-base
  rm -rf "$tmp"; mkdir -p "$tmp/kernel"
  log "base $base_key: kernel $KPKG"
  (cd "$tmp/kernel" && apt-get download -q "$KPKG" busybox-static >/dev/null 2>&1) || die "apt-get download $KPKG busybox-static failed"
  dpkg -x "$tmp/kernel/${KPKG}"_*.deb "$tmp/kernel/root"
  dpkg -x "$tmp"/kernel/busybox-static_*.deb "$tmp/kernel/bb"
  depmod -b "$tmp/kernel/root" "$KV"
  local m f
  for m in drbd dm-thin-pool dm-crypt target_core_mod nvmet nfsd; do
    f=$(find "$tmp/kernel/root/lib/modules/$KV" -name "$m.ko*" | head -1)
    [ -n "$f" ] || die "kernel $KV has no module $m"
  done

  # initrd: Debian builds virtio and ext4 as modules, so root=/dev/vda needs them before the switch.
  local ird=$tmp/initrd i=0
  mkdir -p "$ird"/{bin,proc,sys,dev,newroot,mods}
  cp "$tmp/kernel/bb/bin/busybox" "$ird/bin/busybox"
  for f in $(modprobe -d "$tmp/kernel/root" -S "$KV" -a --show-depends virtio_pci virtio_blk crc32c_generic ext4 virtio_net virtio_rng \
             | awk '!seen[$0]++ {print $2}'); do
    i=$((i + 1)); cp "$f" "$ird/mods/$(printf %02d $i)-$(basename "$f")"
  done
  install -m755 "$HERE/initrd-init" "$ird/init"
  (cd "$ird" && find . | cpio -o -H newc 2>/dev/null | gzip -1 > "$tmp/initrd.gz")
  cp "$tmp/kernel/root/boot/vmlinuz-$KV" "$tmp/vmlinuz"

  log "base $base_key: mmdebstrap bookworm"
  mmdebstrap -q --variant=minbase --include="$PKGS" bookworm "$tmp/rootfs"

  # Only the module directories storage needs (about 120 MB instead of 400): no gpu, sound, wifi.
  local S=$tmp/kernel/root/lib/modules/$KV D=$tmp/rootfs/lib/modules/$KV d
  mkdir -p "$D/kernel/drivers"
  cp -a "$S"/modules.builtin* "$S/modules.order" "$D/"
  for d in arch block crypto fs lib mm net virt; do cp -a "$S/kernel/$d" "$D/kernel/"; done
  rm -rf "$D/kernel/net/wireless" "$D/kernel/net/bluetooth" "$D/kernel/net/mac80211"
  for d in block md target nvme scsi virtio char uio net/virtio_net.ko net/net_failover.ko net/dummy.ko; do
    mkdir -p "$D/kernel/drivers/$(dirname "$d")"; cp -a "$S/kernel/drivers/$d" "$D/kernel/drivers/$d"
  done
  depmod -b "$tmp/rootfs" "$KV"
  # portblock of resource-agents 4.12 cannot unblock with bookworm's iptables 1.8.9: see the script.
  local pb=$tmp/rootfs/usr/lib/ocf/resource.d/heartbeat/portblock
  sed -i -f "$HERE/portblock-numeric-protocol.sed" "$pb"
  grep -qF "p='\\(tcp\\|6\\)'" "$pb" || die "portblock-numeric-protocol.sed no longer applies to $(basename "$pb") of this resource-agents"
  cp -a "$HERE/overlay/." "$tmp/rootfs/"
  chmod 755 "$tmp"/rootfs/usr/local/sbin/*
  echo rig > "$tmp/rootfs/etc/hostname"
  echo '/dev/vda / ext4 defaults,noatime 0 1' > "$tmp/rootfs/etc/fstab"
  mkdir -p "$tmp/rootfs/etc/target" "$tmp/rootfs/etc/cairn" "$tmp/rootfs/var/lib/cairn"
  # No services start on their own: rig-init is PID 1, not systemd (10 s to userspace instead of 30).
  echo "$KV" > "$tmp/kernel-version"
  rm -rf "$tmp/kernel" "$tmp/initrd"   # 500 MB extracted; the guest has its modules, the rig vmlinuz
  rm -rf "$BASE"; mv "$tmp" "$BASE"
}

# The base's inputs: the package list, the kernel package, the recipe above (as bash prints it,
# so comments and host-side changes do not count), the initrd script, the portblock fix and the
# guest files.
set_base() {
  KV=${KPKG#linux-image-}
  base_key=$( { echo "$PKGS"; echo "$KPKG"; declare -f build_base; cat "$HERE/initrd-init" "$HERE/portblock-numeric-protocol.sed";
                (cd "$HERE/overlay" && find . -type f | LC_ALL=C sort | xargs sha256sum); } | sha256sum | cut -c1-16)
  BASE=$RIG_CACHE/base-$base_key
}
mkdir -p "$RIG_CACHE"
[ -z "$KPKG" ] || set_base
# Nothing cached for these lists (or none at all, as on a fresh machine): bring them up to date
# first, as the kernel they name may be gone from the mirror. A cached rig needs no network.
if [ -z "$KPKG" ] || [ ! -d "$BASE" ]; then
  log "apt-get update (the current kernel package)"
  apt-get update -q >/dev/null
  KPKG=$(kernel_pkg)
  [ -n "$KPKG" ] || die "apt-cache knows no linux-image-amd64, even after apt-get update"
  set_base
fi

if [ -d "$BASE" ]; then   # only a finished build is renamed to this name
  log "base $base_key: cached"
else
  for old in "$RIG_CACHE"/base-*; do [ -e "$old" ] && [ "$old" != "$BASE" ] && rm -rf "$old"; done
  build_base
fi

# The image: the base root file system with this checkout's dist/cairn in /usr/local/bin.
[ -x "$CAIRN_BIN" ] || die "$CAIRN_BIN is missing: run npm run build first"
img_key=$( { echo "$base_key"; sha256sum < "$CAIRN_BIN"; } | sha256sum | cut -c1-16)
if [ -f "$RIG_CACHE/image.key" ] && [ "$(cat "$RIG_CACHE/image.key")" = "$img_key" ] && [ -f "$RIG_CACHE/rootfs.img" ]; then
  log "image $img_key: cached"
else
  log "image $img_key: mke2fs with $(basename "$CAIRN_BIN") $(du -h "$CAIRN_BIN" | cut -f1)"
  install -m755 "$CAIRN_BIN" "$BASE/rootfs/usr/local/bin/cairn"
  rm -f "$RIG_CACHE/image.key" "$RIG_CACHE/rootfs.img.tmp"
  mkfs.ext4 -q -F -L rigroot -d "$BASE/rootfs" "$RIG_CACHE/rootfs.img.tmp" 2G
  mv "$RIG_CACHE/rootfs.img.tmp" "$RIG_CACHE/rootfs.img"
  ln -sfn "$BASE/vmlinuz" "$RIG_CACHE/vmlinuz"
  ln -sfn "$BASE/initrd.gz" "$RIG_CACHE/initrd.gz"
  echo "$img_key" > "$RIG_CACHE/image.key"
fi
echo "RIG-BUILD-SECONDS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')"
