#!/usr/bin/env bash
# The kernel test tier: builds (or reuses) the QEMU rig, then runs each scenario in its own
# guests against this checkout's dist/cairn, one scenario at a time, and prints the figures.
#
# usage: test/rig/run.sh [SCENARIO...]     (default: every file in test/rig/scenarios/)
#   RIG_SCENARIO_TIMEOUT  seconds one scenario may take (default 900)
#   RIG_TOTAL_TIMEOUT     seconds the whole run may take, build included (default: no limit); a
#                         scenario gets at most what is left, and one that would start with less
#                         than a minute left fails as not run
#   RIG_BUILD_TIMEOUT     seconds the rig build may take (default 1200)
#   RIG_CACHE             where the rig and the guests' disks live (default .rig-cache/)
# Every scenario that fails (a timeout too) prints each guest's serial log tail.
# Needs root (mmdebstrap, depmod into the rig) and Debian's apt sources for the first build.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
[ "$(id -u)" = 0 ] || die "the rig needs root (mmdebstrap, and the build writes a root file system)"

mkdir -p "$RIG_CACHE"
# One rig at a time: each guest is a busy QEMU, and this machine has two cores.
exec 9>"$RIG_CACHE/lock"
flock -n 9 || { log "another rig run holds $RIG_CACHE/lock; waiting"; flock 9; }

# This checkout's binary, built (or rebuilt when the sources are newer) as `npm test` does; a
# CAIRN_BIN given from outside is used as it is.
if [ "$CAIRN_BIN" = "$RIG_ROOT/dist/cairn" ]; then
  bash "$RIG_ROOT/packaging/ensure-build.sh"
fi
[ -x "$CAIRN_BIN" ] || die "$CAIRN_BIN is missing"

t_all=$(now)
deadline=$(( SECONDS + ${RIG_TOTAL_TIMEOUT:-0} ))
left() { if [ "${RIG_TOTAL_TIMEOUT:-0}" -gt 0 ]; then echo $(( deadline - SECONDS )); else echo 999999; fi; }
build_to=${RIG_BUILD_TIMEOUT:-1200}
[ "$(left)" -lt "$build_to" ] && build_to=$(left)
mkdir -p "$RIG_RUN"
rc=0
timeout --kill-after=30 "$build_to" bash "$HERE/build.sh" 2>&1 | tee "$RIG_RUN/build.out" >&2 || rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || die "the rig build failed (exit $rc$([ "$rc" = 124 ] && echo ", timed out after ${build_to}s"))"
build_s=$(sed -n 's/^RIG-BUILD-SECONDS=//p' "$RIG_RUN/build.out")

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

# The serial log tails of the guests a scenario booted (logs newer than MARKER), for a scenario
# that was killed before its own EXIT trap could print them.
fallback_dump() {
  local marker=$1 f
  for f in "$RIG_RUN"/*.serial.log; do
    [ "$f" -nt "$marker" ] || continue
    echo "----- $(basename "$f" .serial.log): last ${RIG_TAIL:-60} lines of the serial log ($f)"
    tail -n "${RIG_TAIL:-60}" "$f" | tr -d '\r'
  done
}

declare -A wall result
figures=()
for s in "${scenarios[@]}"; do
  [ -f "$HERE/scenarios/$s.sh" ] || die "no scenario $s (test/rig/scenarios/$s.sh)"
  to=${RIG_SCENARIO_TIMEOUT:-900}
  [ "$(left)" -lt "$to" ] && to=$(left)
  if [ "$to" -lt 60 ]; then
    log "=== scenario $s: not run, the rig's time (RIG_TOTAL_TIMEOUT=${RIG_TOTAL_TIMEOUT:-}) is spent"
    wall[$s]=0.0; result[$s]="FAIL (not run: time budget spent)"
    continue
  fi
  log "=== scenario $s (at most ${to}s)"
  t=$(now)
  out=$RIG_RUN/$s.out
  mkdir -p "$RIG_RUN"
  touch "$RIG_RUN/.start-$s"
  rc=0
  timeout --kill-after=30 "$to" bash "$HERE/scenarios/$s.sh" 2>&1 | tee "$out" || rc=${PIPESTATUS[0]}
  sweep
  wall[$s]=$(since "$t")
  if [ "$rc" = 0 ]; then result[$s]=PASS; else result[$s]="FAIL (exit $rc)"; fi
  [ "$rc" = 124 ] || [ "$rc" = 137 ] && log "scenario $s timed out after ${to}s"
  # A scenario prints its guests' serial tails when it fails; one that was killed could not.
  if [ "$rc" != 0 ] && ! grep -qa -- '-- .*: last [0-9]* lines of the serial log' "$out"; then fallback_dump "$RIG_RUN/.start-$s"; fi
  rm -f "$RIG_RUN/.start-$s"
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
# The closing line CI reads: scenarios passed and failed.
echo "rig: $(( ${#scenarios[@]} - failed )) passed, $failed failed"
[ "$failed" = 0 ] || exit 1
