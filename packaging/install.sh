#!/bin/sh
# Install cairn on a Linux host without the .deb (RHEL/Rocky/Alma 8+, Fedora, SUSE, Arch, ...).
#
# usage: install.sh [options] [BINARY]
#
#   BINARY        the cairn executable (default: ./cairn next to this script)
#   --prefix DIR  install the binary as DIR/bin/cairn (default: /usr, i.e. /usr/bin/cairn);
#                 the units' ExecStart= is rewritten to match
#   --destdir DIR stage everything under DIR instead of / (for building other packages)
#   --uninstall   stop and disable the units, remove them and the binary; keeps
#                 /etc/cairn/cairn.toml and /var/lib/cairn (your storage state)
#   --dry-run     print each step without doing it
#   -h, --help    this text
#
# Installs: <prefix>/bin/cairn, /etc/systemd/system/cairn-{combined,controller,satellite}.service,
# /etc/cairn/cairn.toml (only if absent; an existing one is never overwritten). Enables nothing:
# afterwards run `systemctl enable --now cairn-combined` (one host), or cairn-controller and/or
# cairn-satellite. The systemd/ folder and cairn.toml are looked up next to this script.
#
# Requires x86-64 Linux with glibc >= 2.28 and libstdc++ (the binary embeds Node.js 24). musl
# (Alpine) is not supported.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
units="cairn-combined.service cairn-controller.service cairn-satellite.service"

binary=$here/cairn
binary_set=0
prefix=/usr
destdir=
uninstall=0
dry_run=0

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,22s/^# \{0,1\}//p' "$0"; }

# run CMD ARGS...: print it, and run it unless --dry-run
run() {
  printf '+ %s\n' "$*"
  if [ "$dry_run" = 0 ]; then "$@"; fi
}

while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --destdir) [ $# -ge 2 ] || die "--destdir needs a directory"; destdir=$2; shift 2 ;;
    --destdir=*) destdir=${1#--destdir=}; shift ;;
    --uninstall) uninstall=1; shift ;;
    --dry-run|-n) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [ "$binary_set" = 0 ] || die "more than one binary given (see --help)"
       binary=$1; binary_set=1; shift ;;
  esac
done
[ $# -le 1 ] || die "too many arguments (see --help)"
if [ $# -eq 1 ]; then
  [ "$binary_set" = 0 ] || die "more than one binary given (see --help)"
  binary=$1
fi

case $prefix in
  /*) ;;
  *) die "--prefix must be an absolute path, got '$prefix'" ;;
esac
prefix=${prefix%/}
destdir=${destdir%/}

bin_path=$prefix/bin/cairn
unit_dir=/etc/systemd/system
conf_dir=/etc/cairn

# systemd is the init system and running (not in a container build, chroot, or with --destdir)
systemd_running() { [ -z "$destdir" ] && [ -d /run/systemd/system ]; }

if [ "$dry_run" = 0 ] && [ -z "$destdir" ] && [ "$(id -u)" != 0 ]; then
  die "run as root (or use --dry-run / --destdir)"
fi

# ---- uninstall -----------------------------------------------------------------------------
if [ "$uninstall" = 1 ]; then
  say "Uninstalling cairn from ${destdir:-/}"
  if systemd_running; then
    for unit in $units; do
      run systemctl disable --now "$unit" || true
    done
  fi
  for unit in $units; do
    if [ -e "$destdir$unit_dir/$unit" ] || [ "$dry_run" = 1 ]; then
      run rm -f "$destdir$unit_dir/$unit"
    fi
  done
  if [ -e "$destdir$bin_path" ] || [ "$dry_run" = 1 ]; then
    run rm -f "$destdir$bin_path"
  fi
  if systemd_running; then
    run systemctl daemon-reload
  fi
  say "Kept $conf_dir/cairn.toml and /var/lib/cairn (storage state); remove them by hand if you"
  say "really want to."
  exit 0
fi

# ---- preflight checks ----------------------------------------------------------------------
arch=$(uname -m)
[ "$arch" = x86_64 ] || die "this cairn binary is for x86_64 Linux; this host is $arch"

# glibc >= 2.28. On musl, getconf has no GNU_LIBC_VERSION and ldd says "musl".
libc=$(getconf GNU_LIBC_VERSION 2>/dev/null || true)
case $libc in
  glibc\ *) ;;
  *)
    musl=0
    for loader in /lib/ld-musl-*; do
      [ -e "$loader" ] && musl=1
    done
    if [ "$musl" = 1 ] || ldd --version 2>&1 | grep -qi musl; then
      die "this host uses musl libc (Alpine?). cairn embeds Node.js built against glibc and does
not run on musl. Use a glibc distribution (Debian 10+, Ubuntu 20.04+, RHEL 8+, ...)."
    fi
    die "cannot determine the C library (getconf GNU_LIBC_VERSION printed '$libc'); cairn needs glibc >= 2.28"
    ;;
esac
glibc_version=${libc#glibc }
glibc_major=${glibc_version%%.*}
glibc_minor=${glibc_version#*.}
glibc_minor=${glibc_minor%%.*}
case $glibc_major$glibc_minor in
  ''|*[!0-9]*) die "cannot parse the glibc version '$glibc_version'" ;;
esac
if [ "$glibc_major" -lt 2 ] || { [ "$glibc_major" -eq 2 ] && [ "$glibc_minor" -lt 28 ]; }; then
  die "glibc $glibc_version is too old; cairn needs glibc >= 2.28 (RHEL 8, Debian 10, Ubuntu 20.04 or newer)"
fi

[ -f "$binary" ] || die "binary '$binary' not found (pass its path: install.sh path/to/cairn)"
[ -x "$binary" ] || die "binary '$binary' is not executable"
[ -d "$here/systemd" ] || die "$here/systemd (the unit files) not found next to install.sh"
[ -f "$here/cairn.toml" ] || die "$here/cairn.toml not found next to install.sh"
for unit in $units; do
  [ -f "$here/systemd/$unit" ] || die "$here/systemd/$unit not found"
done

# the binary must actually start here (catches a missing libstdc++ or a truncated download)
if ! version=$("$binary" --version 2>&1); then
  printf '%s\n' "$version" >&2
  die "'$binary --version' failed on this host (missing libstdc++.so.6?)"
fi
say "Installing $version ($glibc_version) to ${destdir:-/}"

# ---- install -------------------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cairn-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

run install -d -m 0755 "$destdir$prefix/bin" "$destdir$unit_dir" "$destdir$conf_dir"
# copy to a temporary name first, so a running cairn keeps its executable until the rename
run install -m 0755 "$binary" "$destdir$bin_path.new"
run mv -f "$destdir$bin_path.new" "$destdir$bin_path"

for unit in $units; do
  if [ "$bin_path" = /usr/bin/cairn ]; then
    src=$here/systemd/$unit
  else
    src=$tmp/$unit
    sed "s|^ExecStart=/usr/bin/cairn |ExecStart=$bin_path |" "$here/systemd/$unit" > "$src"
    say "  ($unit: ExecStart=$bin_path ...)"
  fi
  run install -m 0644 "$src" "$destdir$unit_dir/$unit"
done

if [ -e "$destdir$conf_dir/cairn.toml" ]; then
  say "Keeping the existing $conf_dir/cairn.toml (the shipped default is $here/cairn.toml)"
else
  run install -m 0644 "$here/cairn.toml" "$destdir$conf_dir/cairn.toml"
fi

# SELinux (RHEL, Fedora): give the new files their default labels
if [ -z "$destdir" ] && command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled \
    && command -v restorecon >/dev/null 2>&1; then
  run restorecon -F "$bin_path" "$conf_dir/cairn.toml"
  for unit in $units; do
    run restorecon -F "$unit_dir/$unit"
  done
fi

if systemd_running; then
  run systemctl daemon-reload
fi

say "Done. Next: systemctl enable --now cairn-combined   (single host)"
say "   or: systemctl enable --now cairn-controller / cairn-satellite"
say "Settings: $conf_dir/cairn.toml"
