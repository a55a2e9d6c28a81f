# Shared by the rig's scripts (sourced, not run). Paths, logging, and the guest helpers:
#   rig_boot NAME NODE [QEMU ARGS...]   start a guest in the background (QEMU TCG)
#   rig_wait NAME [SECONDS]             until its command agent answers
#   rig_exec NAME SCRIPT [SECONDS]      run a bash script in the guest; its output, its status
#   rig_must NAME SCRIPT [SECONDS]      the same, but a failure ends the scenario
#   rig_stop_all                        kill every guest this shell started (by pid)
# Every QEMU runs under `timeout`, listens on 127.0.0.1 only, and is killed by its own pid.
RIG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RIG_CACHE=${RIG_CACHE:-$RIG_ROOT/.rig-cache}
CAIRN_BIN=${CAIRN_BIN:-$RIG_ROOT/dist/cairn}
RIG_RUN=${RIG_RUN:-$RIG_CACHE/run}
# The longest a guest may live: a hung scenario still ends, and CI keeps its budget.
RIG_VM_TIMEOUT=${RIG_VM_TIMEOUT:-900}
RIG_VMS=()

log() { printf '[rig %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'; }

# A TCP port nobody listens on, for hostfwd and the guest link.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    [ -z "$(ss -Htan "sport = :$p")" ] && { echo "$p"; return; }
  done
}

# rig_boot NAME NODE [QEMU ARGS...]: a copy-on-write root over the shared image, an empty 4 GiB
# data disk (/dev/vdb), QEMU user networking with only the agent (5700) and the satellite (3366)
# forwarded from 127.0.0.1 (restrict=on: the guest reaches nothing else). TCG, because this
# machine's /dev/kvm cannot run a stock kernel; one vCPU each, as a second one gains nothing.
rig_boot() {
  local name=$1 node=$2; shift 2
  local agent sat
  mkdir -p "$RIG_RUN"
  rm -f "$RIG_RUN/$name".*
  qemu-img create -q -f qcow2 -b "$RIG_CACHE/rootfs.img" -F raw "$RIG_RUN/$name.root.qcow2"
  qemu-img create -q -f qcow2 "$RIG_RUN/$name.data.qcow2" "${RIG_DATA_SIZE:-4G}"
  agent=$(free_port); sat=$(free_port)
  echo "$agent" > "$RIG_RUN/$name.agent-port"; echo "$sat" > "$RIG_RUN/$name.sat-port"
  timeout --kill-after=5 "$RIG_VM_TIMEOUT" qemu-system-x86_64 \
    -accel tcg,thread=multi,tb-size=256 -cpu max -m "${RIG_MEM:-1024}" -smp 1 \
    -display none -monitor none -no-reboot -serial "file:$RIG_RUN/$name.serial.log" \
    -kernel "$RIG_CACHE/vmlinuz" -initrd "$RIG_CACHE/initrd.gz" \
    -append "console=ttyS0 root=/dev/vda init=/usr/local/sbin/rig-init rig.name=$name rig.node=$node net.ifnames=0 panic=-1 quiet loglevel=4" \
    -drive "file=$RIG_RUN/$name.root.qcow2,if=virtio,format=qcow2,cache=unsafe" \
    -drive "file=$RIG_RUN/$name.data.qcow2,if=virtio,format=qcow2,cache=unsafe" \
    -device virtio-rng-pci \
    -netdev "user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:$agent-:5700,hostfwd=tcp:127.0.0.1:$sat-:3366" \
    -device "virtio-net-pci,netdev=mgmt,mac=52:54:00:12:00:$(printf %02x "$node")" \
    "$@" > "$RIG_RUN/$name.qemu.log" 2>&1 &
  echo $! > "$RIG_RUN/$name.pid"
  RIG_VMS+=("$name")
  log "$name: QEMU pid $! (agent 127.0.0.1:$agent, satellite 127.0.0.1:$sat)"
}

rig_port() { cat "$RIG_RUN/$1.$2-port"; }
rig_alive() { local pid; pid=$(cat "$RIG_RUN/$1.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; }

# rig_exec NAME SCRIPT [SECONDS]: prints the script's output; returns its exit status, or 255 when
# the agent could not be reached (connection refused, no status line).
rig_exec() {
  local name=$1 script=$2 to=${3:-120} port out rc
  port=$(rig_port "$name" agent)
  out=$(timeout $((to + 15)) bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "%s %s\n" "$2" "$3" >&3 && cat <&3' \
        _ "$port" "$to" "$(printf '%s' "$script" | base64 -w0)" 2>/dev/null) || true
  # The status follows the output directly, which need not end with a newline.
  [[ $out == *@@RIG-RC=* ]] || { printf '%s\n' "$out"; return 255; }
  rc=${out##*@@RIG-RC=}
  [[ $rc =~ ^[0-9]+$ ]] || { printf '%s\n' "$out"; return 255; }
  printf '%s' "${out%@@RIG-RC=*}"
  return "$rc"
}

rig_must() {
  local out rc=0
  out=$(rig_exec "$@") || rc=$?
  if [ "$rc" != 0 ]; then
    printf '%s\n' "$out" >&2
    die "$1: exit $rc from: $2"
  fi
  printf '%s\n' "$out"
}

rig_wait() {
  local name=$1 to=${2:-180} t0=$SECONDS
  until rig_exec "$name" true 10 >/dev/null 2>&1; do
    rig_alive "$name" || die "$name: QEMU exited before its agent answered"
    [ $((SECONDS - t0)) -lt "$to" ] || die "$name: no agent after ${to}s"
    sleep 2
  done
  log "$name: agent answers after $((SECONDS - t0))s"
}

# The last lines each guest printed on its serial console (kernel, rig-init, the satellite), and
# what QEMU itself said: enough to understand a red run from CI output alone.
rig_dump() {
  local n
  for n in "${RIG_VMS[@]}"; do
    echo "----- $n: last ${RIG_TAIL:-60} lines of the serial log ($RIG_RUN/$n.serial.log)"
    tail -n "${RIG_TAIL:-60}" "$RIG_RUN/$n.serial.log" 2>/dev/null | tr -d '\r' || true
    if [ -s "$RIG_RUN/$n.qemu.log" ]; then echo "----- $n: QEMU"; tail -n 20 "$RIG_RUN/$n.qemu.log"; fi
    # the kernel's own recent messages (the console is `quiet`) and DRBD's, if the guest still answers
    if rig_alive "$n"; then
      echo "----- $n: dmesg tail, /proc/drbd, lvs"
      rig_exec "$n" 'dmesg | tail -n 25; cat /proc/drbd; lvs 2>/dev/null' 20 || true
    fi
  done
}

rig_stop_all() {
  local n pid
  for n in "${RIG_VMS[@]}"; do
    pid=$(cat "$RIG_RUN/$n.pid" 2>/dev/null) || continue
    # `timeout` is the recorded pid; it passes the signal on to its QEMU.
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -f "$RIG_RUN/$n.root.qcow2" "$RIG_RUN/$n.data.qcow2"
  done
  RIG_VMS=()
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls a host-side check every 2 s.
wait_until() {
  local to=$1 what=$2 t0=$SECONDS; shift 2
  until "$@"; do
    [ $((SECONDS - t0)) -lt "$to" ] || die "timed out after ${to}s waiting for $what"
    sleep 2
  done
}

# --- the controller on the host, and the satellites in the guests ---

# ctrl_start: `cairn controller` on 127.0.0.1 with a fresh data directory and a random cluster
# secret (exported, as the CLI and the satellites need the same one).
ctrl_start() {
  CTRL_PORT=$(free_port); CTRL_DIR=$RIG_RUN/controller
  rm -rf "$CTRL_DIR"; mkdir -p "$CTRL_DIR"
  CAIRN_CLUSTER_SECRET=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  export CAIRN_CLUSTER_SECRET LS_CONTROLLERS=127.0.0.1:$CTRL_PORT
  "$CAIRN_BIN" controller --data-dir "$CTRL_DIR" --rest-address 127.0.0.1 --rest-port "$CTRL_PORT" \
    > "$RIG_RUN/controller.log" 2>&1 &
  CTRL_PID=$!
  wait_until 30 "the controller's /health" curl -sf -o /dev/null "http://127.0.0.1:$CTRL_PORT/health"
  log "controller pid $CTRL_PID on 127.0.0.1:$CTRL_PORT"
}
# ctrl_restart: the same controller (data directory, port) again, e.g. to lose what it holds in
# memory only (the unlocked master passphrase).
ctrl_restart() {
  ctrl_stop
  "$CAIRN_BIN" controller --data-dir "$CTRL_DIR" --rest-address 127.0.0.1 --rest-port "$CTRL_PORT" \
    >> "$RIG_RUN/controller.log" 2>&1 &
  CTRL_PID=$!
  wait_until 30 "the restarted controller's /health" curl -sf -o /dev/null "http://127.0.0.1:$CTRL_PORT/health"
  log "controller restarted, pid $CTRL_PID"
}
ctrl_stop() {
  [ -n "${CTRL_PID:-}" ] || return 0
  kill "$CTRL_PID" 2>/dev/null && wait "$CTRL_PID" 2>/dev/null || true
  CTRL_PID=
}
ctrl_dump() {
  [ -f "$RIG_RUN/controller.log" ] || return 0
  echo "----- controller: last 30 lines of $RIG_RUN/controller.log"; tail -n 30 "$RIG_RUN/controller.log"
  echo "----- error reports"; cn err list 2>&1 | tail -n 20 || true
}
# The cairn CLI against this controller; `api PATH` is a REST GET, as JSON.
cn() { "$CAIRN_BIN" "$@"; }
api() { curl -sS --fail-with-body --max-time 60 "http://127.0.0.1:$CTRL_PORT$1"; }
# cn_ok ARGS...: a CLI call that must succeed; its output goes to the log either way.
cn_ok() {
  local out rc=0
  out=$(cn "$@" 2>&1) || rc=$?
  printf '%s\n' "$out" | sed 's/^/    /' >&2
  [ "$rc" = 0 ] || die "cairn $* exited $rc"
}

# sat_start NAME [ARGS...]: the satellite inside the guest, under the same secret; its log goes to the
# serial console, so a failure's serial tail shows it.
sat_start() {
  local n=$1; shift
  rig_must "$n" "CAIRN_CLUSTER_SECRET=$CAIRN_CLUSTER_SECRET setsid /usr/local/bin/cairn satellite \
    --node-name $n --data-dir /var/lib/cairn --satellite-port 3366 $* </dev/null >/dev/console 2>&1 & echo \$! > /run/cairn-satellite.pid" 30 >/dev/null
}
# sat_stop NAME: the guest's satellite, by its pid.
sat_stop() {
  rig_must "$1" 'p=$(cat /run/cairn-satellite.pid) && kill "$p" && while kill -0 "$p" 2>/dev/null; do sleep 0.5; done' 60 >/dev/null
}
node_online() {
  [ "$(api "/v1/nodes/$1" | jq -r '.connection_status')" = ONLINE ]
}
# node_register NAME: `node create` at the guest's forwarded satellite port, then waits ONLINE.
node_register() {
  cn_ok node create "$1" 127.0.0.1 --port "$(rig_port "$1" sat)"
  wait_until 120 "node $1 ONLINE" node_online "$1"
}

# pair_up [SATELLITE ARGS...]: guests node1 and node2 joined by a private link (10.99.0.1 and .2,
# a QEMU socket netdev on 127.0.0.1), each with a satellite reached through its forwarded port
# and DRBD told to use the link (PrefNic), and a thick LVM pool `thick` on its data disk.
pair_up() {
  local link i n
  link=$(free_port)
  rig_boot node1 1 -netdev "socket,id=data,listen=127.0.0.1:$link" -device virtio-net-pci,netdev=data,mac=52:54:00:99:00:01
  sleep 1   # the connecting side needs the listening one
  rig_boot node2 2 -netdev "socket,id=data,connect=127.0.0.1:$link" -device virtio-net-pci,netdev=data,mac=52:54:00:99:00:02
  ctrl_start
  for n in node1 node2; do
    rig_wait "$n" 300
    rig_must "$n" 'pvcreate -q -y /dev/vdb && vgcreate -q vg_rig /dev/vdb' 60 >/dev/null
    sat_start "$n" "$@"
  done
  rig_must node1 'ping -c 2 -W 2 10.99.0.2' 30 >/dev/null || die "no link between the guests"
  for i in 1 2; do
    node_register "node$i"
    cn_ok node interface create "node$i" data "10.99.0.$i"
    cn_ok node set-property "node$i" PrefNic data
    cn_ok sp create lvm "node$i" thick vg_rig
  done
}

# A satellite reports DRBD's state (from events2) with each full sync: when the desired state
# changes, and otherwise once a minute. `node reconnect` asks for one now, so checks see each
# state change within seconds instead of waiting for the next periodic sync.
refresh() { cn node reconnect "$@" >/dev/null 2>&1 || true; }
# disk_states RSC: "node1:UpToDate node2:Inconsistent", as Cairn reports them now
disk_states() {
  refresh node1 node2
  api /v1/view/resources | jq -r --arg r "$1" '[.[] | select(.name == $r) | "\(.node_name):\([.volumes[].state.disk_state // "-"] | join(","))"] | sort | join(" ")'
}
states_are() { [ "$(disk_states "$1")" = "$2" ]; }

# rig_scenario: the traps every scenario sets. A TERM (run.sh's timeout) becomes an ordinary exit,
# so the EXIT trap still dumps the logs and stops the guests.
rig_scenario() {
  trap 'rig_finish $?' EXIT
  trap 'exit 143' TERM INT
}

# rig_finish STATUS: on failure the serial tails, the controller's log and error reports; always
# the guests and the controller are stopped.
rig_finish() {
  local rc=$1
  trap - EXIT
  set +e   # cleanup goes on whatever fails in it
  if [ "$rc" != 0 ]; then rig_dump; ctrl_dump; fi
  # RIG_HOLD=SECONDS keeps a failed scenario's guests up that long, to look around with rig_exec.
  if [ "$rc" != 0 ] && [ -n "${RIG_HOLD:-}" ]; then log "holding the guests for ${RIG_HOLD}s (agent ports in $RIG_RUN/*.agent-port)"; sleep "$RIG_HOLD"; fi
  rig_stop_all
  ctrl_stop
  exit "$rc"
}
