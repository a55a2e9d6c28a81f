#!/usr/bin/env bash
# Build the Debian/Ubuntu package dist/cairn_<version>_amd64.deb from dist/cairn.
#
#   bash packaging/deb.sh [--binary PATH] [--outdir DIR]      (npm run package:deb)
#
# Run `npm run build` first. The package holds /usr/bin/cairn, the three systemd units
# (cairn-combined, cairn-controller, cairn-satellite; none is enabled on install: pick combined,
# or controller and/or satellite) and /etc/cairn/cairn.toml as a conffile.
# Environment: CAIRN_DEB_MAINTAINER ("Name <mail>") overrides the Maintainer field;
# CAIRN_DEB_ZLEVEL (0-9, default 6) is the xz level (0 for quick test builds).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() { echo "deb.sh: error: $*" >&2; exit 1; }

binary=dist/cairn
outdir=dist
while [ $# -gt 0 ]; do
  case $1 in
    --binary) [ $# -ge 2 ] || die "--binary needs a path"; binary=$2; shift 2 ;;
    --outdir) [ $# -ge 2 ] || die "--outdir needs a directory"; outdir=$2; shift 2 ;;
    -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

command -v dpkg-deb >/dev/null || die "dpkg-deb not found (apt-get install dpkg)"
[ -x "$binary" ] || die "$binary is missing or not executable; run 'npm run build' first"
case $(od -An -tx1 -j0 -N4 "$binary" | tr -d ' ') in
  7f454c46) ;;
  *) die "$binary is not an ELF executable" ;;
esac

# version from package.json, without needing node: "version": "x.y.z"
version=$(sed -n 's/^  "version": *"\([^"]*\)".*/\1/p' package.json | head -n1)
[ -n "$version" ] || die "cannot read the version from package.json"
# a semver pre-release (1.2.0-rc.1) must sort before the release in Debian: 1.2.0~rc.1
deb_version=${version//-/\~}
maintainer=${CAIRN_DEB_MAINTAINER:-Cairn maintainers <cairn@localhost>}

umask 022
stage=$(mktemp -d "${TMPDIR:-/tmp}/cairn-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/root

install -d "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/cairn" \
  "$root/usr/share/doc/cairn"
install -m 0755 "$binary" "$root/usr/bin/cairn"
for unit in cairn-combined cairn-controller cairn-satellite; do
  install -m 0644 "packaging/systemd/$unit.service" "$root/lib/systemd/system/$unit.service"
done
install -m 0644 packaging/cairn.toml "$root/etc/cairn/cairn.toml"
cat > "$root/usr/share/doc/cairn/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: cairn

Files: *
License: GPL-3.0-or-later
 On Debian systems, the full text of the GNU General Public License version 3 can be found in
 /usr/share/common-licenses/GPL-3.
 .
 /usr/bin/cairn embeds Node.js (MIT license and bundled third-party licenses, see
 https://github.com/nodejs/node/blob/main/LICENSE) and npm packages under MIT, ISC, BSD and
 Apache-2.0 licenses.
EOF
chmod 0644 "$root/usr/share/doc/cairn/copyright"

echo /etc/cairn/cairn.toml > "$root/DEBIAN/conffiles"

installed_size=$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: cairn
Version: $deb_version
Architecture: amd64
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: libc6 (>= 2.28), libstdc++6
Recommends: drbd-utils, lvm2, util-linux, e2fsprogs
Suggests: zfsutils-linux, drbd-reactor
Section: admin
Priority: optional
Description: software-defined replicated block storage, LINSTOR-compatible
 Cairn is a storage controller, satellite and command-line client in one
 binary. It speaks the LINSTOR REST API and manages LVM, loop-file and ZFS
 backed volumes replicated with DRBD.
 .
 Enable cairn-combined.service on a single host, or cairn-controller.service
 and cairn-satellite.service separately. Settings: /etc/cairn/cairn.toml.
EOF

cat > "$root/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = configure ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
  # upgrade: restart the units that were running (the package does not enable any unit itself)
  if [ -n "$2" ]; then
    for unit in cairn-combined.service cairn-controller.service cairn-satellite.service; do
      systemctl try-restart "$unit" || true
    done
  fi
fi
exit 0
EOF

cat > "$root/DEBIAN/prerm" <<'EOF'
#!/bin/sh
set -e
# Stop (and disable) the units when the package is removed; not on upgrade, where postinst
# restarts them with the new binary. Storage state in /var/lib/cairn is never touched.
case "$1" in
  remove|deconfigure)
    if [ -d /run/systemd/system ]; then
      for unit in cairn-combined.service cairn-controller.service cairn-satellite.service; do
        systemctl stop "$unit" 2>/dev/null || true
        systemctl disable "$unit" 2>/dev/null || true
      done
    fi
    ;;
esac
exit 0
EOF

cat > "$root/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
case "$1" in
  remove|purge)
    if [ -d /run/systemd/system ]; then
      systemctl daemon-reload || true
    fi
    ;;
esac
exit 0
EOF
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles"

mkdir -p "$outdir"
deb=$outdir/cairn_${deb_version}_amd64.deb
dpkg-deb --root-owner-group -Zxz -z"${CAIRN_DEB_ZLEVEL:-6}" --build "$root" "$deb.tmp" >/dev/null
mv -f "$deb.tmp" "$deb"

echo "==> $deb: $(stat -c %s "$deb") bytes"
dpkg-deb --info "$deb"
dpkg-deb --contents "$deb"
