#!/usr/bin/env bash
# Installs the host tools Cairn's tests and satellite use, from Debian's packages, when missing:
# losetup/fallocate (util-linux), strip (binutils, for the binary build), python3 (the systemd
# notify test's stand-in socket), drbd-utils (drbdadm checks every .res file), e2fsprogs (mkfs,
# e2label), openssl (controller certificates), lsblk/blkid (physical storage, filesystem checks), zsh (the
# generated zsh completion is run, not just parsed) and the Prometheus project's own
# Python client, whose text-format parser checks /metrics. Safe to run again; does nothing when
# all are present.
set -euo pipefail

declare -A want=([losetup]=util-linux [fallocate]=util-linux [strip]=binutils [python3]=python3
  [openssl]=openssl [drbdadm]=drbd-utils [mkfs.ext4]=e2fsprogs [e2label]=e2fsprogs [unshare]=util-linux [lsblk]=util-linux [blkid]=util-linux [zsh]=zsh)
missing=()
for cmd in "${!want[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin command -v "$cmd" >/dev/null 2>&1 || missing+=("${want[$cmd]}")
done
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || missing+=(python3 python3-prometheus-client)
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t pkgs < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" -ne 0 ]; then
  echo "host-deps: missing Debian packages: ${pkgs[*]} (run as root, or apt-get install them)" >&2
  exit 1
fi
echo "host-deps: installing ${pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
