# Shared by up.sh and down.sh (sourced, not run): where the harness keeps its
# state and how it starts and stops the processes it owns.

shopt -s inherit_errexit
set -E # say where an unexpected failure happened
trap 'printf "harness: failed: %s:%s: %s\n" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" >&2' ERR
HARNESS_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3 # Debian's python, never a pyenv one from PATH
DOCKER_CLI=/usr/bin/docker

# State directory: absolute, created on demand, no whitespace (the env file is
# plain KEY=value lines).
harness_dir() {
  local dir="${LAVA_HARNESS_DIR:-build/harness}"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [[ "$dir" =~ [[:space:]] ]]; then
    echo "harness: LAVA_HARNESS_DIR must not contain whitespace: '$dir'" >&2
    return 1
  fi
  printf '%s\n' "$dir"
}

# Unix socket paths are limited to 107 bytes, and containerd puts its sockets
# deep under the exec root. When the state directory is too deep for that, the
# sockets and exec root live in a short directory under /tmp named after it.
harness_run_dir() {
  local dir="$1"
  if ((${#dir} <= 56)); then
    printf '%s/run\n' "$dir"
  else
    printf '/tmp/lava-harness-%s\n' "$(printf '%s' "$dir" | sha256sum | cut -c1-12)"
  fi
}

log() { printf 'harness: %s\n' "$*" >&2; }
die() {
  printf 'harness: error: %s\n' "$*" >&2
  exit 1
}

# A zombie counts as gone: whoever reaps our detached daemons may be slow.
pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z ]]
}

pid_from_file() {
  [[ -s "$1" ]] && tr -dc '0-9' <"$1" || true
}

# stop_pid PID [SECONDS]: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local pid="$1" wait="${2:-10}" i
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait * 10; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  log "pid $pid did not stop after ${wait}s, killing it"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
}

# Processes whose command line mentions PATH: containerd shims and the like
# started by our own dockerd, found by their unique state path.
pids_mentioning() {
  "$PY" -c '
import os, sys
needle = sys.argv[1].encode()
for pid in filter(str.isdigit, os.listdir("/proc")):
    if int(pid) == os.getpid():
        continue
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if needle in f.read():
                print(pid)
    except OSError:
        pass
' "$1"
}

# stop_pids SECONDS PID...: stop several processes at once.
stop_pids() {
  local wait="$1" pid
  shift
  for pid in "$@"; do
    stop_pid "$pid" "$wait" &
  done
  wait
}

free_port() {
  "$PY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# start_daemon NAME LOGFILE CMD...: start CMD detached from our stdio, lock
# fds and session (ctest waits for every holder of its output pipes), and
# record its pid.
start_daemon() {
  local name="$1" logfile="$2"
  shift 2
  setsid "$@" </dev/null >"$logfile" 2>&1 7>&- 8>&- &
  echo $! >"$STATE/$name.pid"
}

# wait_http URL SECONDS PIDFILE [CURL ARGS...]: until URL answers any HTTP status.
wait_http() {
  local url="$1" secs="$2" pidfile="$3" i
  shift 3
  for ((i = 0; i < secs * 10; i++)); do
    if curl -s -o /dev/null --max-time 2 "$@" "$url"; then
      return 0
    fi
    pid_alive "$(pid_from_file "$pidfile")" || return 1
    sleep 0.1
  done
  return 1
}
