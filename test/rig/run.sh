#!/usr/bin/env bash
# The kernel test tier: builds (or reuses) the QEMU rig, then runs each scenario in its own
# guests against this checkout's dist/cairn, one scenario at a time, and prints the figures.
#
# usage: test/rig/run.sh [SCENARIO...]     (default: every file in test/rig/scenarios/)
#   RIG_SCENARIO_TIMEOUT  seconds one scenario may take (default 900)
#   RIG_CACHE             where the rig and the guests' disks live (default .rig-cache/)
# Needs root (mmdebstrap, depmod into the rig) and Debian's apt sources for the first build.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[ "$(id -u)" = 0 ] || die "the rig needs root (mmdebstrap, and the build writes a root file system)"

mkdir -p "$RIG_CACHE"
# One rig at a time: each guest is a busy QEMU, and this machine has two cores.
exec 9>"$RIG_CACHE/lock"
flock -n 9 || { log "another rig run holds $RIG_CACHE/lock; waiting"; flock 9; }

if [ ! -x "$CAIRN_BIN" ]; then
  log "no $CAIRN_BIN: building it (npm run build)"
  (cd "$RIG_ROOT" && npm run build)
fi

t_all=$(now)
build_out=$(bash "$HERE/build.sh" 2>&1 | tee /dev/stderr)
build_s=$(sed -n 's/^RIG-BUILD-SECONDS=//p' <<<"$build_out")

if [ $# -gt 0 ]; then scenarios=("$@"); else
  scenarios=(); for f in "$HERE"/scenarios/*.sh; do scenarios+=("$(basename "$f" .sh)"); done
fi

# Guests a scenario left behind (it was killed before its own cleanup ran): their pids are on file.
sweep() {
  local f pid
  for f in "$RIG_RUN"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f"); kill "$pid" 2>/dev/null && log "killed leftover QEMU $pid ($(basename "$f" .pid))" || true
    rm -f "$f"
  done
}
trap sweep EXIT

declare -A wall result
figures=()
for s in "${scenarios[@]}"; do
  [ -f "$HERE/scenarios/$s.sh" ] || die "no scenario $s (test/rig/scenarios/$s.sh)"
  log "=== scenario $s"
  t=$(now)
  out=$RIG_RUN/$s.out
  mkdir -p "$RIG_RUN"
  rc=0
  timeout --kill-after=30 "${RIG_SCENARIO_TIMEOUT:-900}" bash "$HERE/scenarios/$s.sh" 2>&1 | tee "$out" || rc=${PIPESTATUS[0]}
  sweep
  wall[$s]=$(since "$t")
  if [ "$rc" = 0 ]; then result[$s]=PASS; else result[$s]="FAIL (exit $rc)"; fi
  [ "$rc" = 124 ] && log "scenario $s timed out after ${RIG_SCENARIO_TIMEOUT:-900}s"
  while read -r line; do figures+=("$s: ${line#RIG-FIGURE }"); done < <(grep -a '^RIG-FIGURE ' "$out" || true)
done

echo
echo "Kernel test tier (QEMU TCG guests, Debian kernel $(cat "$(dirname "$(readlink -f "$RIG_CACHE/vmlinuz")")/kernel-version"))"
printf '  %-10s %8ss\n' "rig build" "$build_s"
failed=0
for s in "${scenarios[@]}"; do
  printf '  %-10s %8ss  %s\n' "$s" "${wall[$s]}" "${result[$s]}"
  [ "${result[$s]}" = PASS ] || failed=$((failed + 1))
done
printf '  %-10s %8ss\n' "total" "$(since "$t_all")"
for f in "${figures[@]}"; do echo "  figure  $f"; done
[ "$failed" = 0 ] || { echo "$failed of ${#scenarios[@]} scenarios failed"; exit 1; }
echo "all ${#scenarios[@]} scenarios passed"
