#!/usr/bin/env bash
# Stop everything tests/harness/up.sh started and remove its runtime state
# (engine data, registry storage, index, env file). Caches under
# ${XDG_CACHE_HOME:-~/.cache}/lava-docker-tests and the logs stay.
# Safe to run any number of times, and on a half-started harness.
#   --only-dockerd   stop the engine and drop its data only (used by up.sh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DIR="$(harness_dir)"
RUN="$(harness_run_dir "$DIR")"
STATE="$DIR/state"
MARKER="$DIR/.lava-harness"

if [[ ! -e "$MARKER" ]]; then
  # Nothing of ours here (never started, or already removed).
  rmdir "$DIR" 2>/dev/null || true
  exit 0
fi
if [[ "${LAVA_HARNESS_LOCK_HELD:-0}" != 1 ]]; then
  exec 8>"$DIR.lock"
  flock -w 900 8 || die "another up.sh or down.sh holds $DIR.lock"
fi

# Unmount whatever is left mounted below PATH, deepest first.
unmount_below() {
  local root="$1" target
  findmnt -rn -o TARGET 2>/dev/null | while read -r target; do
    target="$(printf '%b' "$target")" # findmnt escapes blanks as \x20
    if [[ "$target" == "$root" || "$target" == "$root"/* ]]; then
      printf '%s\n' "$target"
    fi
  done | sort -r | while read -r target; do
    umount -l "$target" 2>/dev/null || true
  done
}

stop_dockerd() {
  local pid
  pid="$(pid_from_file "$STATE/dockerd.pid")"
  [[ -n "$pid" ]] || pid="$(pid_from_file "$RUN/docker.pid")"
  if pid_alive "$pid"; then
    log "stopping dockerd ($pid)"
    stop_pid "$pid" 40
  fi
  # Its containerd and shims go with it on a clean stop; after a kill they may
  # linger. They all name our exec root on their command line.
  local leftover
  for leftover in $(pids_mentioning "$RUN/docker-exec"); do
    [[ "$leftover" == "$$" ]] && continue
    log "stopping leftover engine process $leftover"
    stop_pid "$leftover" 10
  done
  unmount_below "$RUN/docker-exec"
  unmount_below "$DIR/docker-data"
  rm -rf --one-file-system "$RUN/docker-exec" "$RUN/docker.sock" "$RUN/docker.pid" \
    "$STATE/dockerd.pid"
  # Deleting the engine's many small files can take a minute on a busy disk:
  # move them aside and delete them in the background.
  if [[ -d "$DIR/docker-data" ]]; then
    local trash
    trash="$(mktemp -d "$DIR.trash.XXXXXX")"
    mv "$DIR/docker-data" "$trash/"
  fi
}

# Delete moved-aside state in a detached process (also any earlier leftovers).
remove_trash() {
  local t
  for t in "$DIR".trash.*; do
    [[ -d "$t" ]] || continue
    unmount_below "$t"
    # flock -n: a deletion already under way (an earlier down.sh) is left to finish.
    setsid flock -n "$t" rm -rf --one-file-system "$t" </dev/null >/dev/null 2>&1 7>&- 8>&- &
  done
}

if [[ "${1:-}" == --only-dockerd ]]; then
  stop_dockerd
  remove_trash
  exit 0
fi

rm -f "$DIR/env"
pids=()
for name in index-auth index auth-registry registry; do
  pid="$(pid_from_file "$STATE/$name.pid")"
  if pid_alive "$pid"; then
    log "stopping $name ($pid)"
    pids+=("$pid")
  fi
done
stop_pids 10 "${pids[@]}"
stop_dockerd

unmount_below "$DIR"
# Everything but the logs, which stay for a post-mortem until the next run,
# and the marker that says this directory is ours.
trash="$(mktemp -d "$DIR.trash.XXXXXX")"
find "$DIR" -mindepth 1 -maxdepth 1 ! -name logs ! -name .lava-harness -exec mv -t "$trash" {} +
remove_trash
if [[ "$RUN" != "$DIR"/* ]]; then
  unmount_below "$RUN"
  rm -rf --one-file-system "$RUN"
fi
log "down"
