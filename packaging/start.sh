#!/usr/bin/env bash
# `npm start`: sets up a fresh machine (packages, dependencies, binary) and runs the appliance
# in combined mode with its embedded defaults: the database in /var/lib/cairn, this host as a
# COMBINED node, a FILE_THIN pool in /var/lib/cairn/pools/default. Extra arguments go to
# `cairn combined` (e.g. npm start -- --data-dir /tmp/cairn --rest-port 3380).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash packaging/ensure-build.sh >&2
exec dist/cairn combined "$@"
